// C = A . B where most entries of A are zero: the gradients that reach a
// layer's backward pass through ReLU, max-pooling and dropout (the weight
// and input gradients are products with that matrix on the left), leaving
// their zeros' share of the arithmetic out.
//
// A is first compressed row by row (its non-zero entries, columns
// increasing). The product keeps a strip of 32 columns of one row of C in
// eight vector registers and adds, for each entry a(m,k), a(m,k) times the
// strip of row k of B: the dense product's terms in its order, without the
// zero ones. The strip of B is taken 192 rows (24 KB) at a time, so the rows
// the entries pick, in an order no prefetcher follows, are in L1: read in
// place when close together, else packed.
#pragma once

#include <cstddef>

#include "kernels/gemm_packed.h"

namespace mnist::kernels {

// A (rows, K) with its zeros left out. Row m's entries are
// (column[e], value[e]) for e in [row_start[m], row_start[m + 1]), columns
// increasing.
struct SparseRows {
  const int* row_start;
  const int* column;
  const float* value;
  int rows;
};

// Compresses A (M,K), any strides, into row_start (M + 1 ints) and column
// and value (room for M * K each). Returns the number of entries. The SIMD
// twin tests four entries at once and skips four zeros in one go; A stored
// transposed (dout^T) is read in memory order, counting each row's entries
// in one pass and placing them in a second, rather than striding through
// memory a row of A at a time (the scalar twin's branches mispredict).
int compress_rows_simd128(int* row_start, int* column, float* value, StridedMatrix A, int M, int K);
int compress_rows_scalar(int* row_start, int* column, float* value, StridedMatrix A, int M, int K);

// Scratch of one call of the product below: a block of B's rows (floats)
// and the next entry of each row of A (ints).
inline constexpr std::size_t kGemmSparseABlockFloats = 192 * 32;  // kBlockRows x kStrip
inline std::size_t gemm_sparse_a_next_entry_ints(int rows) { return static_cast<std::size_t>(rows); }

// Columns [n0, n1) of C (A.rows, N), rows ldc apart:
//   C = (accumulate ? C : 0) + A . B, B (K,N) row-major with rows ldb apart.
// Threads take disjoint ranges of columns: each element of C is the work of
// one call, added in the order above whatever the split. block and
// next_entry: scratch as sized above, 16-byte aligned, the calling thread's.
void f32_gemm_sparse_a_simd128(float* C, std::ptrdiff_t ldc, const SparseRows& A, const float* B,
                               std::ptrdiff_t ldb, int n0, int n1, bool accumulate, float* block,
                               int* next_entry);
void f32_gemm_sparse_a_scalar(float* C, std::ptrdiff_t ldc, const SparseRows& A, const float* B,
                              std::ptrdiff_t ldb, int n0, int n1, bool accumulate);

}  // namespace mnist::kernels

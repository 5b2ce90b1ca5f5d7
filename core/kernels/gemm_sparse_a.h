// C = A . B where most entries of A are zero: the gradients that reach a
// layer's backward pass through ReLU, max-pooling and dropout. At the start
// of the tutorial CNN's training, 74% of the first dense layer's output
// gradient is zero (ReLU, then dropout keeping half) and 80% of the second
// convolution's (ReLU, then 2x2 max-pooling passing one pixel in four). The
// weight and input gradients are products with that matrix on the left, so
// leaving its zeros out leaves out that share of the arithmetic.
//
// A is first compressed row by row (its entries that are not zero, columns
// increasing). The product then keeps a strip of 32 columns of one row of C
// in eight vector registers and adds, for each entry a(m,k) of the row,
// a(m,k) times the strip of row k of B: the same terms in the same order as
// the dense product, without the zero ones. The strip of B the rows share is
// taken 192 rows at a time (24 KB of it), so the rows of B the entries pick,
// in no order a prefetcher could follow, are in L1: read in place when those
// rows are close together, else packed.
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
// memory a row of A at a time. It took 20 ms of a 250-image step in scalar
// code (3 ns an element, mostly mispredicted branches).
int compress_rows_simd128(int* row_start, int* column, float* value, StridedMatrix A, int M, int K);
int compress_rows_scalar(int* row_start, int* column, float* value, StridedMatrix A, int M, int K);

// Columns [n0, n1) of C (A.rows, N), rows ldc apart:
//   C = (accumulate ? C : 0) + A . B, B (K,N) row-major with rows ldb apart.
// Threads take disjoint ranges of columns: each element of C is the work of
// one call, added in the order above whatever the split.
void f32_gemm_sparse_a_simd128(float* C, std::ptrdiff_t ldc, const SparseRows& A, const float* B,
                               std::ptrdiff_t ldb, int n0, int n1, bool accumulate);
void f32_gemm_sparse_a_scalar(float* C, std::ptrdiff_t ldc, const SparseRows& A, const float* B,
                              std::ptrdiff_t ldb, int n0, int n1, bool accumulate);

}  // namespace mnist::kernels

// SIMD128 twin of gemm_sparse_a.h.
#include <simde/wasm/simd128.h>

#include <algorithm>
#include <vector>

#include "aligned_buffer.h"
#include "kernels/gemm_sparse_a.h"

namespace mnist::kernels {

namespace {

constexpr int kStrip = 32;  // columns of C kept in registers: eight vectors
// Rows of B per block: a packed block (kBlockRows x 32 floats, 24 KB) stays
// in L1: the entries of a row of A land anywhere in it, which the hardware
// cannot prefetch.
constexpr int kBlockRows = 192;
// The largest span of memory a block of B's rows may cover to be read in
// place rather than packed (see f32_gemm_sparse_a_simd128).
constexpr std::ptrdiff_t kInPlaceSpan = 256 << 10;

// The strip of B's rows [k0, k1), columns [n, n + 32), into out (32 floats a row).
void pack_block(float* out, const float* B, std::ptrdiff_t ldb, int k0, int k1, int n) {
  for (int k = k0; k < k1; ++k) {
    const float* src = B + k * ldb + n;
    float* dst = out + (k - k0) * kStrip;
    for (int v = 0; v < kStrip / 4; ++v)
      simde_wasm_v128_store(dst + 4 * v, simde_wasm_v128_load(src + 4 * v));
  }
}

// c[0, 4V) = (from_zero ? 0 : c[0, 4V)) + the sum over entries e in
// [e, end) with column < k1 of value[e] b(column[e] - k0, [0, 4V)), b rows
// ldb apart; returns the first entry left. from_zero: c has not been
// written yet (a product that does not accumulate, in its first block of
// rows of B), so the sums start from zero and are stored even with no entry
// to add, and C needs no zero fill first. V vectors of C stay in registers:
// 8 leave V8 room for the splat and a loaded vector.
template <int V>
inline int add_entries(float* c, const SparseRows& A, int e, int end, int k0, int k1,
                       const float* b, std::ptrdiff_t ldb, bool from_zero) {
  if (!from_zero && (e == end || A.column[e] >= k1)) return e;
  simde_v128_t acc[V];
  for (int v = 0; v < V; ++v)
    acc[v] = from_zero ? simde_wasm_f32x4_splat(0.0f) : simde_wasm_v128_load(c + 4 * v);
  for (; e < end && A.column[e] < k1; ++e) {
    const simde_v128_t a = simde_wasm_v128_load32_splat(A.value + e);
    const float* row = b + (A.column[e] - k0) * ldb;
    for (int v = 0; v < V; ++v)
      acc[v] = simde_wasm_f32x4_add(acc[v], simde_wasm_f32x4_mul(a, simde_wasm_v128_load(row + 4 * v)));
  }
  for (int v = 0; v < V; ++v) simde_wasm_v128_store(c + 4 * v, acc[v]);
  return e;
}

}  // namespace

int compress_rows_simd128(int* row_start, int* column, float* value, StridedMatrix A, int M, int K) {
  const simde_v128_t zero = simde_wasm_f32x4_splat(0.0f);
  if (A.col_stride == 1) {
    // Row-major: each row in order, four entries at a time. Each of the four
    // is written and kept only when not zero, so no branch depends on the data
    // but the one that skips four zeros.
    int entries = 0;
    for (int m = 0; m < M; ++m) {
      row_start[m] = entries;
      const float* row = A.data + m * A.row_stride;
      int k = 0;
      for (; k + 4 <= K; k += 4) {
        const int kept = simde_wasm_i32x4_bitmask(simde_wasm_f32x4_ne(simde_wasm_v128_load(row + k), zero));
        if (kept == 0) continue;
        for (int j = 0; j < 4; ++j) {
          column[entries] = k + j;
          value[entries] = row[k + j];
          entries += (kept >> j) & 1;
        }
      }
      for (; k < K; ++k) {
        column[entries] = k;
        value[entries] = row[k];
        entries += row[k] != 0.0f;
      }
    }
    row_start[M] = entries;
    return entries;
  }
  if (A.row_stride != 1) return compress_rows_scalar(row_start, column, value, A, M, K);
  // Stored transposed: row m of A is column m of D (K,M), rows of D col_stride apart.
  // Count each row's entries in one pass over D in memory order (a vector of
  // four counts at a time), then place them in a second.
  const int full = M - M % 4;
  for (int m = 0; m <= M; ++m) row_start[m] = 0;
  int* counts = row_start + 1;
  for (int k = 0; k < K; ++k) {
    const float* d = A.data + k * A.col_stride;
    int m = 0;
    for (; m < full; m += 4) {
      // A true lane of the comparison is -1: subtracting it counts one.
      const simde_v128_t kept = simde_wasm_f32x4_ne(simde_wasm_v128_load(d + m), zero);
      simde_wasm_v128_store(counts + m, simde_wasm_i32x4_sub(simde_wasm_v128_load(counts + m), kept));
    }
    for (; m < M; ++m) counts[m] += d[m] != 0.0f;
  }
  for (int m = 0; m < M; ++m) row_start[m + 1] += row_start[m];
  const int entries = row_start[M];
  // While placing, row_start[m] is row m's next free place; shifted back after.
  for (int k = 0; k < K; ++k) {
    const float* d = A.data + k * A.col_stride;
    for (int m0 = 0; m0 < M; m0 += 4) {
      int kept;
      if (m0 < full) {
        kept = simde_wasm_i32x4_bitmask(simde_wasm_f32x4_ne(simde_wasm_v128_load(d + m0), zero));
      } else {
        kept = 0;
        for (int j = 0; m0 + j < M; ++j) kept |= (d[m0 + j] != 0.0f) << j;
      }
      for (; kept != 0; kept &= kept - 1) {
        const int m = m0 + __builtin_ctz(static_cast<unsigned>(kept));
        column[row_start[m]] = k;
        value[row_start[m]] = d[m];
        ++row_start[m];
      }
    }
  }
  for (int m = M; m > 0; --m) row_start[m] = row_start[m - 1];
  row_start[0] = 0;
  return entries;
}

void f32_gemm_sparse_a_simd128(float* C, std::ptrdiff_t ldc, const SparseRows& A, const float* B,
                               std::ptrdiff_t ldb, int n0, int n1, bool accumulate, float* block,
                               int* next_entry) {
  int K = 0;  // rows of B that any entry reads
  for (int m = 0; m < A.rows; ++m)
    if (A.row_start[m + 1] > A.row_start[m]) K = std::max(K, A.column[A.row_start[m + 1] - 1] + 1);
  // B's rows are read in place when a block of them spans little memory (a
  // convolution's patches: packing would copy them once more for nothing);
  // rows far apart (a dense layer's, a block over hundreds of pages) are
  // packed.
  const bool in_place = kBlockRows * ldb * static_cast<std::ptrdiff_t>(sizeof(float)) <= kInPlaceSpan;
  int n = n0;
  // A strip of 32 columns at a time, and in it a block of rows of B at a
  // time: every row of A adds its entries that fall in the block. With no
  // entries at all (K = 0) one empty block still writes C's zeros.
  for (; n + kStrip <= n1; n += kStrip) {
    std::copy(A.row_start, A.row_start + A.rows, next_entry);
    for (int k0 = 0; k0 < std::max(K, 1); k0 += kBlockRows) {
      const int k1 = std::min(K, k0 + kBlockRows);
      if (!in_place) pack_block(block, B, ldb, k0, k1, n);
      const float* b = in_place ? B + k0 * ldb + n : block;
      const std::ptrdiff_t b_stride = in_place ? ldb : kStrip;
      for (int m = 0; m < A.rows; ++m)
        next_entry[m] = add_entries<kStrip / 4>(C + m * ldc + n, A, next_entry[m], A.row_start[m + 1],
                                                k0, k1, b, b_stride, !accumulate && k0 == 0);
    }
  }
  // The last columns four at a time, then one by one, reading B in place.
  for (; n + 4 <= n1; n += 4)
    for (int m = 0; m < A.rows; ++m)
      add_entries<1>(C + m * ldc + n, A, A.row_start[m], A.row_start[m + 1], 0, K, B + n, ldb,
                     !accumulate);
  if (n < n1) f32_gemm_sparse_a_scalar(C, ldc, A, B, ldb, n, n1, accumulate);
}

}  // namespace mnist::kernels

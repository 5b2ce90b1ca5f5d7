// SIMD128 twin of gemm_packed.h (see there for the layout).
#include <simde/wasm/simd128.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "aligned_buffer.h"
#include "kernels/gemm_packed.h"

namespace mnist::kernels {

namespace {

// 4x8: 8 accumulators + 2 B + 1 A. V8 keeps one of x86's 16 vector registers
// for itself; 6x8 (15 live) spilled and ran at 60% of this speed.
constexpr int kMr = 4;    // rows of the register tile
constexpr int kNr = 8;    // columns of the register tile: two vectors
constexpr int kKc = 256;  // depth of a block: a B panel (kKc x 8) is 8 KB, in L1
constexpr int kMc = 96;   // rows of an A block: 96 KB, in L2
constexpr int kNc = 512;  // columns of a B block: 512 KB

static_assert(kGemmPackedScratchFloats == kMc * kKc + kKc * kNc, "the header's size must match the blocking");

// Columns c0..c3 of four rows, each vector one row: out[q] is column q.
inline void transpose4(const simde_v128_t (&rows)[4], simde_v128_t (&out)[4]) {
  const simde_v128_t lo01 = simde_wasm_i32x4_shuffle(rows[0], rows[1], 0, 4, 1, 5);
  const simde_v128_t lo23 = simde_wasm_i32x4_shuffle(rows[2], rows[3], 0, 4, 1, 5);
  const simde_v128_t hi01 = simde_wasm_i32x4_shuffle(rows[0], rows[1], 2, 6, 3, 7);
  const simde_v128_t hi23 = simde_wasm_i32x4_shuffle(rows[2], rows[3], 2, 6, 3, 7);
  out[0] = simde_wasm_i32x4_shuffle(lo01, lo23, 0, 1, 4, 5);
  out[1] = simde_wasm_i32x4_shuffle(lo01, lo23, 2, 3, 6, 7);
  out[2] = simde_wasm_i32x4_shuffle(hi01, hi23, 0, 1, 4, 5);
  out[3] = simde_wasm_i32x4_shuffle(hi01, hi23, 2, 3, 6, 7);
}

// B block rows [k0, k0+kc) x cols [n0, n0+nc) into panels of 8 columns:
// panel p holds b(k, n0 + 8p + j) at [p * kc * 8 + (k - k0) * 8 + j], zeros past N.
// B stored transposed (a weight (N,K) read as K x N) is packed by 4x4
// transposes: a scalar gather would cost as much as a small product.
void pack_b(float* out, const StridedMatrix& B, int k0, int kc, int n0, int nc) {
  for (int p = 0; p * kNr < nc; ++p) {
    float* panel = out + static_cast<std::size_t>(p) * kc * kNr;
    const int cols = std::min(kNr, nc - p * kNr);
    int k = 0;
    if (B.row_stride == 1 && cols == kNr) {
      const float* column[kNr];
      for (int j = 0; j < kNr; ++j) column[j] = B.data + k0 + (n0 + p * kNr + j) * B.col_stride;
      for (; k + 4 <= kc; k += 4) {
        for (int half = 0; half < 2; ++half) {
          const simde_v128_t rows[4] = {simde_wasm_v128_load(column[4 * half] + k),
                                        simde_wasm_v128_load(column[4 * half + 1] + k),
                                        simde_wasm_v128_load(column[4 * half + 2] + k),
                                        simde_wasm_v128_load(column[4 * half + 3] + k)};
          simde_v128_t by_k[4];
          transpose4(rows, by_k);
          for (int q = 0; q < 4; ++q)
            simde_wasm_v128_store(panel + (k + q) * kNr + 4 * half, by_k[q]);
        }
      }
    }
    for (; k < kc; ++k) {
      const float* src = B.data + (k0 + k) * B.row_stride + (n0 + p * kNr) * B.col_stride;
      float* dst = panel + k * kNr;
      if (B.col_stride == 1 && cols == kNr) {
        std::memcpy(dst, src, sizeof(float) * kNr);
      } else {
        for (int j = 0; j < cols; ++j) dst[j] = src[j * B.col_stride];
        for (int j = cols; j < kNr; ++j) dst[j] = 0.0f;
      }
    }
  }
}

// A block rows [m0, m0+mc) x cols [k0, k0+kc) into panels of kMr rows:
// panel p holds a(m0 + kMr p + i, k) at [p * kc * kMr + (k - k0) * kMr + i], zeros past M.
// Row-major A (im2col's columns, a batch of inputs) is packed by 4x4
// transposes, transposed A by copying four floats at a time.
void pack_a(float* out, const StridedMatrix& A, int m0, int mc, int k0, int kc) {
  static_assert(kMr == 4, "the transposing path packs four rows at a time");
  for (int p = 0; p * kMr < mc; ++p) {
    float* panel = out + static_cast<std::size_t>(p) * kc * kMr;
    const int rows = std::min(kMr, mc - p * kMr);
    const float* row[kMr];
    for (int i = 0; i < rows; ++i)
      row[i] = A.data + (m0 + p * kMr + i) * A.row_stride + k0 * A.col_stride;
    int k = 0;
    if (A.row_stride == 1 && rows == kMr) {
      // A stored transposed (dout^T in a weight gradient): the panel's rows
      // at one k are already side by side.
      for (; k < kc; ++k)
        simde_wasm_v128_store(panel + k * kMr, simde_wasm_v128_load(row[0] + k * A.col_stride));
    } else if (A.col_stride == 1 && rows == kMr) {
      for (; k + 4 <= kc; k += 4) {
        const simde_v128_t block[4] = {
            simde_wasm_v128_load(row[0] + k), simde_wasm_v128_load(row[1] + k),
            simde_wasm_v128_load(row[2] + k), simde_wasm_v128_load(row[3] + k)};
        simde_v128_t by_k[4];
        transpose4(block, by_k);
        for (int q = 0; q < 4; ++q) simde_wasm_v128_store(panel + (k + q) * kMr, by_k[q]);
      }
    }
    for (int i = 0; i < rows; ++i)
      for (int kk = k; kk < kc; ++kk) panel[kk * kMr + i] = row[i][kk * A.col_stride];
    for (int i = rows; i < kMr; ++i)
      for (int kk = 0; kk < kc; ++kk) panel[kk * kMr + i] = 0.0f;
  }
}

// tile (MR x 8, rows ldt apart) += A (MR, kc) . B (kc, 8). Element (i, k) of
// A is a[i * a_row + k * a_step], row k of B starts at b + k * b_step. Packed
// panels are the case a_row = 1, a_step = kMr, b_step = 8 (constants once
// inlined); the in-place path passes the matrices' own strides.
// The tile starts from what C holds or, with `start` (a fresh C's first
// depth block), from those 8 values in every row: the bias or zeros, which
// C would otherwise have been filled with only to be read back.
template <int MR>
inline void microkernel(float* tile, std::ptrdiff_t ldt, const float* a, std::ptrdiff_t a_row,
                        std::ptrdiff_t a_step, const float* b, std::ptrdiff_t b_step, int kc,
                        const float* start = nullptr) {
  constexpr int V = kNr / 4;
  simde_v128_t acc[MR][V];
  for (int i = 0; i < MR; ++i)
    for (int v = 0; v < V; ++v)
      acc[i][v] = simde_wasm_v128_load(start ? start + 4 * v : tile + i * ldt + 4 * v);
  for (int k = 0; k < kc; ++k) {
    simde_v128_t bv[V];
    for (int v = 0; v < V; ++v) bv[v] = simde_wasm_v128_load(b + 4 * v);
    for (int i = 0; i < MR; ++i) {
      const simde_v128_t ai = simde_wasm_v128_load32_splat(a + i * a_row);
      for (int v = 0; v < V; ++v)
        acc[i][v] = simde_wasm_f32x4_add(acc[i][v], simde_wasm_f32x4_mul(ai, bv[v]));
    }
    a += a_step;
    b += b_step;
  }
  for (int i = 0; i < MR; ++i)
    for (int v = 0; v < V; ++v) simde_wasm_v128_store(tile + i * ldt + 4 * v, acc[i][v]);
}

// A packed panel of A times a packed panel of B.
inline void microkernel_packed(float* tile, std::ptrdiff_t ldt, const float* a, const float* b,
                               int kc, const float* start) {
  microkernel<kMr>(tile, ldt, a, 1, kMr, b, kNr, kc, start);
}

// Few rows of A (the softmax regression's 10 outputs, the last dense layer's
// weight gradient): B would be reused by at most kInPlaceMaxRows / kMr tiles,
// too few to repay copying it into panels, so the tiles read A and B where
// they are. B must have unit column stride.
constexpr int kInPlaceMaxRows = 12;

// C (M <= kInPlaceMaxRows, N) += A . B with no packing, in depth blocks of
// kKc so that the block of B the tiles share stays in cache (the first
// conv layer's weight gradient runs over K = 196,000 pixels).
void gemm_in_place(float* C, std::ptrdiff_t ldc, const StridedMatrix& A, const StridedMatrix& B,
                   int M, int N, int K) {
  const int full_cols = N - N % kNr;
  for (int k0 = 0; k0 < K; k0 += kKc) {
    const int kc = std::min(kKc, K - k0);
    for (int j = 0; j < full_cols; j += kNr) {
      for (int i = 0; i < M; i += kMr) {
        const float* a = A.data + i * A.row_stride + k0 * A.col_stride;
        float* c = C + i * ldc + j;
        const float* b = B.data + k0 * B.row_stride + j;
        switch (std::min(kMr, M - i)) {
          case 4: microkernel<4>(c, ldc, a, A.row_stride, A.col_stride, b, B.row_stride, kc); break;
          case 3: microkernel<3>(c, ldc, a, A.row_stride, A.col_stride, b, B.row_stride, kc); break;
          case 2: microkernel<2>(c, ldc, a, A.row_stride, A.col_stride, b, B.row_stride, kc); break;
          default:
            microkernel<1>(c, ldc, a, A.row_stride, A.col_stride, b, B.row_stride, kc);
            break;
        }
      }
    }
  }
  for (int i = 0; i < M; ++i) {
    for (int j = full_cols; j < N; ++j) {
      float sum = C[i * ldc + j];
      for (int k = 0; k < K; ++k)
        sum += A.data[i * A.row_stride + k * A.col_stride] * B.data[k * B.row_stride + j];
      C[i * ldc + j] = sum;
    }
  }
}

}  // namespace

void f32_gemm_packed_simd128(float* C, std::ptrdiff_t ldc, StridedMatrix A, StridedMatrix B,
                             const float* bias, int M, int N, int K, bool accumulate, float* scratch) {
  const bool packed = K > 0 && !(M <= kInPlaceMaxRows && B.col_stride == 1);
  // The packed tiles of a fresh C start from the bias or zeros themselves.
  if (!accumulate && !packed) {
    for (int m = 0; m < M; ++m) {
      float* row = C + m * ldc;
      if (bias) {
        std::memcpy(row, bias, sizeof(float) * N);
      } else {
        std::memset(row, 0, sizeof(float) * N);
      }
    }
  }
  if (K <= 0) return;
  if (!packed) {
    gemm_in_place(C, ldc, A, B, M, N, K);
    return;
  }
  alignas(16) float zeros[kNr] = {};
  float* const packed_a = scratch;
  float* const packed_b = scratch + static_cast<std::size_t>(kMc) * kKc;
  alignas(16) float edge[kMr * kNr];  // a tile that sticks out of C
  for (int n0 = 0; n0 < N; n0 += kNc) {
    const int nc = std::min(kNc, N - n0);
    // Equal depth blocks (K = 288 as 144 + 144, not 256 + 32): each block
    // loads and stores its tiles of C once.
    const int k_blocks = (K + kKc - 1) / kKc;
    const int kc_even = (K + k_blocks - 1) / k_blocks;
    for (int k0 = 0; k0 < K; k0 += kc_even) {
      const int kc = std::min(kc_even, K - k0);
      pack_b(packed_b, B, k0, kc, n0, nc);
      for (int m0 = 0; m0 < M; m0 += kMc) {
        const int mc = std::min(kMc, M - m0);
        pack_a(packed_a, A, m0, mc, k0, kc);
        for (int j = 0; j < nc; j += kNr) {
          const float* b_panel = packed_b + static_cast<std::size_t>(j) * kc;
          const int cols = std::min(kNr, nc - j);
          for (int i = 0; i < mc; i += kMr) {
            const float* a_panel = packed_a + static_cast<std::size_t>(i) * kc;
            const int rows = std::min(kMr, mc - i);
            float* c = C + (m0 + i) * ldc + n0 + j;
            const bool fresh = !accumulate && k0 == 0;
            if (rows == kMr && cols == kNr) {
              const float* start = fresh ? (bias ? bias + n0 + j : zeros) : nullptr;
              microkernel_packed(c, ldc, a_panel, b_panel, kc, start);
              continue;
            }
            for (int r = 0; r < rows; ++r) {
              if (!fresh) {
                std::memcpy(edge + r * kNr, c + r * ldc, sizeof(float) * cols);
              } else if (bias) {
                std::memcpy(edge + r * kNr, bias + n0 + j, sizeof(float) * cols);
              } else {
                std::memset(edge + r * kNr, 0, sizeof(float) * cols);
              }
            }
            microkernel_packed(edge, kNr, a_panel, b_panel, kc, nullptr);
            for (int r = 0; r < rows; ++r)
              std::memcpy(c + r * ldc, edge + r * kNr, sizeof(float) * cols);
          }
        }
      }
    }
  }
}

}  // namespace mnist::kernels

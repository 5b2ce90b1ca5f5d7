// SIMD128 twin of transpose.h. Tiles of 32x32 keep the 32 output rows a tile
// writes in cache while it is filled; inside a tile, 4x4 blocks are read as
// four vectors and written as four, transposed in registers. Edges that do
// not fill a block go element by element.
#include <simde/wasm/simd128.h>

#include <algorithm>
#include <cstddef>

#include "kernels/transpose.h"

namespace mnist::kernels {

namespace {

constexpr int kTile = 32;

void block4x4(float* out, std::size_t out_stride, const float* in, std::size_t in_stride) {
  const simde_v128_t a = simde_wasm_v128_load(in);
  const simde_v128_t b = simde_wasm_v128_load(in + in_stride);
  const simde_v128_t c = simde_wasm_v128_load(in + 2 * in_stride);
  const simde_v128_t d = simde_wasm_v128_load(in + 3 * in_stride);
  const simde_v128_t ab_low = simde_wasm_i32x4_shuffle(a, b, 0, 4, 1, 5);   // a0 b0 a1 b1
  const simde_v128_t ab_high = simde_wasm_i32x4_shuffle(a, b, 2, 6, 3, 7);  // a2 b2 a3 b3
  const simde_v128_t cd_low = simde_wasm_i32x4_shuffle(c, d, 0, 4, 1, 5);
  const simde_v128_t cd_high = simde_wasm_i32x4_shuffle(c, d, 2, 6, 3, 7);
  simde_wasm_v128_store(out, simde_wasm_i32x4_shuffle(ab_low, cd_low, 0, 1, 4, 5));
  simde_wasm_v128_store(out + out_stride, simde_wasm_i32x4_shuffle(ab_low, cd_low, 2, 3, 6, 7));
  simde_wasm_v128_store(out + 2 * out_stride, simde_wasm_i32x4_shuffle(ab_high, cd_high, 0, 1, 4, 5));
  simde_wasm_v128_store(out + 3 * out_stride, simde_wasm_i32x4_shuffle(ab_high, cd_high, 2, 3, 6, 7));
}

}  // namespace

void f32_transpose_simd128(float* out, const float* in, int rows, int cols) {
  const std::size_t in_stride = static_cast<std::size_t>(cols);
  const std::size_t out_stride = static_cast<std::size_t>(rows);
  for (int r0 = 0; r0 < rows; r0 += kTile) {
    const int r1 = std::min(rows, r0 + kTile);
    for (int c0 = 0; c0 < cols; c0 += kTile) {
      const int c1 = std::min(cols, c0 + kTile);
      int r = r0;
      for (; r + 4 <= r1; r += 4) {
        int c = c0;
        for (; c + 4 <= c1; c += 4) {
          block4x4(out + c * out_stride + r, out_stride, in + r * in_stride + c, in_stride);
        }
        for (; c < c1; ++c) {
          for (int rr = r; rr < r + 4; ++rr) out[c * out_stride + rr] = in[rr * in_stride + c];
        }
      }
      for (; r < r1; ++r) {
        for (int c = c0; c < c1; ++c) out[c * out_stride + r] = in[r * in_stride + c];
      }
    }
  }
}

}  // namespace mnist::kernels

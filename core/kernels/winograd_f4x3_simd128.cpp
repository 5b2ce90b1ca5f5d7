// SIMD128 twin of winograd_f4x3.h, for channel counts that are multiples of
// four (the op runs the scalar twin otherwise).
//
// Each 2-D transform runs as two passes of one-dimensional steps through a
// small buffer, not as one 6x6 block per tile and channel group, whose 36
// live vectors would spill (V8 has 16 registers).
#include <simde/wasm/simd128.h>

#include <algorithm>
#include <cstddef>
#include <vector>

#include "aligned_buffer.h"
#include "kernels/winograd_f4x3.h"
#include "kernels/winograd_f4x3_steps.h"

namespace mnist::kernels {

namespace {

struct Simd128Ops {
  using T = simde_v128_t;
  static T add(T a, T b) { return simde_wasm_f32x4_add(a, b); }
  static T sub(T a, T b) { return simde_wasm_f32x4_sub(a, b); }
};

}  // namespace

void winograd_f4x3_transform_input_simd128(float* V, std::size_t stride, const float* in, int n,
                                           int H, int W, int Ci, float* scratch) {
  const int across = (W + 3) / 4, down = (H + 3) / 4, tiles = across * down;
  // Taps outside the image read these zeros, so the loops over channels
  // have no test in them (every tile of a 14x14 image touches the border).
  float* const zeros = scratch;
  std::fill(zeros, zeros + Ci, 0.0f);
  // d B for a band of tiles: (6 input rows, across tiles, 6, Ci).
  const std::size_t row_floats = static_cast<std::size_t>(across) * 6 * Ci;
  float* const rows_b = scratch + Ci;
  for (int b = 0; b < n; ++b) {
    const float* image = in + static_cast<std::size_t>(b) * H * W * Ci;
    for (int ty = 0; ty < down; ++ty) {
      for (int i = 0; i < 6; ++i) {  // d B: along each input row of the band
        const int y = 4 * ty - 1 + i;
        for (int tx = 0; tx < across; ++tx) {
          const float* tap[6];
          for (int j = 0; j < 6; ++j) {
            const int x = 4 * tx - 1 + j;
            tap[j] = y >= 0 && y < H && x >= 0 && x < W
                         ? image + (static_cast<std::size_t>(y) * W + x) * Ci
                         : zeros;
          }
          float* h = rows_b + i * row_floats + static_cast<std::size_t>(tx) * 6 * Ci;
          for (int c = 0; c < Ci; c += 4) {
            simde_v128_t d[6], t[6];
            for (int j = 0; j < 6; ++j) d[j] = simde_wasm_v128_load(tap[j] + c);
            f4x3::input_step<Simd128Ops>(d, t);
            for (int k = 0; k < 6; ++k) simde_wasm_v128_store(h + static_cast<std::size_t>(k) * Ci + c, t[k]);
          }
        }
      }
      for (int tx = 0; tx < across; ++tx) {  // B^T (d B): down each column of each tile
        float* row = V + static_cast<std::size_t>(b * tiles + ty * across + tx) * Ci;
        for (int k = 0; k < 6; ++k) {
          const float* h = rows_b + (static_cast<std::size_t>(tx) * 6 + k) * Ci;
          for (int c = 0; c < Ci; c += 4) {
            simde_v128_t s[6], v[6];
            for (int i = 0; i < 6; ++i) s[i] = simde_wasm_v128_load(h + i * row_floats + c);
            f4x3::input_step<Simd128Ops>(s, v);
            for (int i = 0; i < 6; ++i) simde_wasm_v128_store(row + (6 * i + k) * stride + c, v[i]);
          }
        }
      }
    }
  }
}

void winograd_f4x3_transform_output_simd128(float* out, const float* M, std::size_t stride,
                                            const float* bias, int n, int H, int W, int Co, float* scratch) {
  float* const columns = scratch;  // A^T m for one tile: (4 rows, 6, Co)
  for_each_winograd_f4x3_tile(n, H, W, [&](int b, int tile, int y0, int x0) {
    const float* row = M + static_cast<std::size_t>(tile) * Co;
    for (int j = 0; j < 6; ++j) {  // A^T m: down each column
      for (int c = 0; c < Co; c += 4) {
        simde_v128_t m[6], s[4];
        for (int i = 0; i < 6; ++i) m[i] = simde_wasm_v128_load(row + (6 * i + j) * stride + c);
        f4x3::output_step<Simd128Ops>(m, s);
        for (int i = 0; i < 4; ++i)
          simde_wasm_v128_store(columns + static_cast<std::size_t>(6 * i + j) * Co + c, s[i]);
      }
    }
    // (A^T m) A + bias: along each output row inside the image.
    const int inside = W - x0 < 4 ? W - x0 : 4;
    float* image = out + static_cast<std::size_t>(b) * H * W * Co;
    for (int i = 0; i < 4 && y0 + i < H; ++i) {
      float* pixel = image + (static_cast<std::size_t>(y0 + i) * W + x0) * Co;
      const float* s = columns + static_cast<std::size_t>(6 * i) * Co;
      for (int c = 0; c < Co; c += 4) {
        simde_v128_t r[6], y[4];
        for (int j = 0; j < 6; ++j) r[j] = simde_wasm_v128_load(s + static_cast<std::size_t>(j) * Co + c);
        f4x3::output_step<Simd128Ops>(r, y);
        const simde_v128_t bias_c = simde_wasm_v128_load(bias + c);
        for (int j = 0; j < inside; ++j)
          simde_wasm_v128_store(pixel + static_cast<std::size_t>(j) * Co + c, simde_wasm_f32x4_add(y[j], bias_c));
      }
    }
  });
}

}  // namespace mnist::kernels

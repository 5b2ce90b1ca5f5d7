// SIMD128 twin of winograd_f2x3.h, for channel counts that are multiples of
// four (the op runs the scalar twin otherwise).
#include <simde/wasm/simd128.h>

#include <cstddef>
#include <vector>

#include "kernels/winograd_f2x3.h"

namespace mnist::kernels {

void winograd_f2x3_transform_input_simd128(float* V, std::size_t stride, const float* in, int n,
                                           int H, int W, int Ci) {
  // Taps outside the image read these zeros, so the loop over channels has
  // no test in it (most tiles of a 14x14 image touch the border).
  thread_local std::vector<float> zeros;
  if (zeros.size() < static_cast<std::size_t>(Ci)) zeros.resize(Ci, 0.0f);
  for_each_winograd_f2x3_tile(n, H, W, [&](int b, int tile, int y0, int x0) {
    const float* image = in + static_cast<std::size_t>(b) * H * W * Ci;
    int taps[16];
    winograd_f2x3_tile_taps(taps, y0, x0, H, W);
    const float* tap[16];
    for (int e = 0; e < 16; ++e)
      tap[e] = taps[e] < 0 ? zeros.data() : image + static_cast<std::size_t>(taps[e]) * Ci;
    float* row = V + static_cast<std::size_t>(tile) * Ci;
    for (int c = 0; c < Ci; c += 4) {
      simde_v128_t d[4][4];
      for (int e = 0; e < 16; ++e) d[e / 4][e % 4] = simde_wasm_v128_load(tap[e] + c);
      simde_v128_t bt_d[4][4];  // B^T d
      for (int j = 0; j < 4; ++j) {
        bt_d[0][j] = simde_wasm_f32x4_sub(d[0][j], d[2][j]);
        bt_d[1][j] = simde_wasm_f32x4_add(d[1][j], d[2][j]);
        bt_d[2][j] = simde_wasm_f32x4_sub(d[2][j], d[1][j]);
        bt_d[3][j] = simde_wasm_f32x4_sub(d[1][j], d[3][j]);
      }
      for (int i = 0; i < 4; ++i) {  // (B^T d) B
        const simde_v128_t* s = bt_d[i];
        float* v = row + 4 * i * stride + c;
        simde_wasm_v128_store(v, simde_wasm_f32x4_sub(s[0], s[2]));
        simde_wasm_v128_store(v + stride, simde_wasm_f32x4_add(s[1], s[2]));
        simde_wasm_v128_store(v + 2 * stride, simde_wasm_f32x4_sub(s[2], s[1]));
        simde_wasm_v128_store(v + 3 * stride, simde_wasm_f32x4_sub(s[1], s[3]));
      }
    }
  });
}

void winograd_f2x3_transform_output_simd128(float* out, const float* M, std::size_t stride,
                                            const float* bias, int n, int H, int W, int Co) {
  for_each_winograd_f2x3_tile(n, H, W, [&](int b, int tile, int y0, int x0) {
    float* image = out + static_cast<std::size_t>(b) * H * W * Co;
    // The tile's four output pixels, nullptr past the image's edge.
    float* pixel[2][2];
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 2; ++j)
        pixel[i][j] = y0 + i < H && x0 + j < W
                          ? image + (static_cast<std::size_t>(y0 + i) * W + x0 + j) * Co
                          : nullptr;
    const float* row = M + static_cast<std::size_t>(tile) * Co;
    for (int c = 0; c < Co; c += 4) {
      simde_v128_t m[4][4];
      for (int e = 0; e < 16; ++e) m[e / 4][e % 4] = simde_wasm_v128_load(row + e * stride + c);
      const simde_v128_t bias_c = simde_wasm_v128_load(bias + c);
      for (int i = 0; i < 2; ++i) {
        simde_v128_t s[4];  // row i of A^T m
        for (int j = 0; j < 4; ++j) {
          s[j] = i == 0 ? simde_wasm_f32x4_add(simde_wasm_f32x4_add(m[0][j], m[1][j]), m[2][j])
                        : simde_wasm_f32x4_sub(simde_wasm_f32x4_sub(m[1][j], m[2][j]), m[3][j]);
        }
        const simde_v128_t y[2] = {
            simde_wasm_f32x4_add(simde_wasm_f32x4_add(simde_wasm_f32x4_add(s[0], s[1]), s[2]),
                                 bias_c),
            simde_wasm_f32x4_add(simde_wasm_f32x4_sub(simde_wasm_f32x4_sub(s[1], s[2]), s[3]),
                                 bias_c)};
        for (int j = 0; j < 2; ++j) {
          if (pixel[i][j]) simde_wasm_v128_store(pixel[i][j] + c, y[j]);
        }
      }
    }
  });
}

}  // namespace mnist::kernels

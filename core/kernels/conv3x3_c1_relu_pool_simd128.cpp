// SIMD128 twin of conv3x3_c1_relu_pool.h: four output channels at a time.
#include <simde/wasm/simd128.h>

#include <cstddef>

#include "kernels/conv3x3_c1_relu_pool.h"

namespace mnist::kernels {

void f32_conv3x3_c1_relu_pool_simd128(float* out, const float* in, const float* U,
                                      std::size_t u_stride, const float* bias, int b0, int b1,
                                      int H, int W, int Co) {
  const int Ho = (H + 1) / 2, Wo = (W + 1) / 2;
  const int vector_end = Co / 4 * 4;
  const simde_v128_t zero = simde_wasm_f32x4_splat(0.0f);
  for (int b = b0; b < b1; ++b) {
    const float* image = in + static_cast<std::size_t>(b) * H * W;
    for (int oy = 0; oy < Ho; ++oy) {
      for (int ox = 0; ox < Wo; ++ox) {
        float v[16];
        winograd_f2x3_one_channel_tile(v, image, 2 * oy, 2 * ox, H, W);
        const bool second_row = 2 * oy + 1 < H, second_column = 2 * ox + 1 < W;
        float* o = out + ((static_cast<std::size_t>(b) * Ho + oy) * Wo + ox) * Co;
        for (int c = 0; c < vector_end; c += 4) {
          simde_v128_t m[16];
          for (int e = 0; e < 16; ++e)
            m[e] = simde_wasm_f32x4_mul(simde_wasm_v128_load(U + e * u_stride + c),
                                        simde_wasm_f32x4_splat(v[e]));
          simde_v128_t at_m[2][4];  // A^T m
          for (int j = 0; j < 4; ++j) {
            at_m[0][j] = simde_wasm_f32x4_add(simde_wasm_f32x4_add(m[j], m[4 + j]), m[8 + j]);
            at_m[1][j] = simde_wasm_f32x4_sub(simde_wasm_f32x4_sub(m[4 + j], m[8 + j]), m[12 + j]);
          }
          const simde_v128_t bias4 = simde_wasm_v128_load(bias + c);
          simde_v128_t y[2][2];  // (A^T m) A + bias
          for (int i = 0; i < 2; ++i) {
            const simde_v128_t* s = at_m[i];
            y[i][0] = simde_wasm_f32x4_add(
                simde_wasm_f32x4_add(simde_wasm_f32x4_add(s[0], s[1]), s[2]), bias4);
            y[i][1] = simde_wasm_f32x4_add(
                simde_wasm_f32x4_sub(simde_wasm_f32x4_sub(s[1], s[2]), s[3]), bias4);
          }
          // Max-pooling as kernels/maxpool2x2.h: a later pixel wins only if
          // greater, so NaN never wins after the first.
          simde_v128_t best = y[0][0];
          const auto take_if_greater = [&](simde_v128_t x) {
            best = simde_wasm_v128_bitselect(x, best, simde_wasm_f32x4_gt(x, best));
          };
          if (second_column) take_if_greater(y[0][1]);
          if (second_row) take_if_greater(y[1][0]);
          if (second_row && second_column) take_if_greater(y[1][1]);
          // ReLU as the layer: pmax(x, 0) = x < 0 ? 0 : x, NaN passing through.
          simde_wasm_v128_store(o + c, simde_wasm_f32x4_pmax(best, zero));
        }
        for (int c = vector_end; c < Co; ++c)
          o[c] = conv3x3_c1_relu_pool_channel(v, U + c, u_stride, bias[c], second_row, second_column);
      }
    }
  }
}

}  // namespace mnist::kernels

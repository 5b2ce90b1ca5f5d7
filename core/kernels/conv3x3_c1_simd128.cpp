// SIMD128 twin of conv3x3_c1.h.
#include <simde/wasm/simd128.h>

#include <cstddef>
#include <vector>

#include "aligned_buffer.h"
#include "kernels/conv3x3_c1.h"

namespace mnist::kernels {

void f32_conv3x3_c1_simd128(float* out, const float* in, const float* weight, const float* bias,
                            int b0, int b1, int H, int W, int Co, float* scratch) {
  // weight (Co,9) -> (9,Co), so four output channels load as one vector.
  for (int co = 0; co < Co; ++co)
    for (int k = 0; k < 9; ++k) scratch[k * Co + co] = weight[co * 9 + k];
  const float* wt = scratch;
  const int vector_end = Co / 4 * 4;
  for (int b = b0; b < b1; ++b) {
    const float* image = in + static_cast<std::size_t>(b) * H * W;
    for (int y = 0; y < H; ++y) {
      for (int x = 0; x < W; ++x) {
        float taps[9];
        for (int k = 0; k < 9; ++k) {
          const int sy = y + k / 3 - 1, sx = x + k % 3 - 1;
          taps[k] = (sy < 0 || sy >= H || sx < 0 || sx >= W) ? 0.0f : image[sy * W + sx];
        }
        simde_v128_t tap[9];
        for (int k = 0; k < 9; ++k) tap[k] = simde_wasm_f32x4_splat(taps[k]);
        float* o = out + ((static_cast<std::size_t>(b) * H + y) * W + x) * Co;
        for (int co = 0; co < vector_end; co += 4) {
          simde_v128_t acc = simde_wasm_v128_load(bias + co);
          for (int k = 0; k < 9; ++k) {
            acc = simde_wasm_f32x4_add(
                acc, simde_wasm_f32x4_mul(simde_wasm_v128_load(wt + k * Co + co), tap[k]));
          }
          simde_wasm_v128_store(o + co, acc);
        }
        for (int co = vector_end; co < Co; ++co) {
          float sum = bias[co];
          for (int k = 0; k < 9; ++k) sum += wt[k * Co + co] * taps[k];
          o[co] = sum;
        }
      }
    }
  }
}

}  // namespace mnist::kernels

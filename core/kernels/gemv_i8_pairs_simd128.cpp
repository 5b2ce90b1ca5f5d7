// SIMD128 twin of gemv_i8_pairs.h. A block of 32 outputs keeps its sums in
// eight int32x4 registers while it runs over the active pairs: each pair is
// one 64-byte line, four loads of sixteen weights.
#include <simde/wasm/simd128.h>

#include <cstddef>

#include "kernels/gemv_i8_pairs.h"

namespace mnist::kernels {

void i8_gemv_pairs_simd128(float* y, const I8PairWeights& w, const ActivePairs& x,
                           const float* bias) {
  const simde_v128_t x_scale = simde_wasm_f32x4_splat(x.x_scale);
  for (int block = 0; block < w.blocks; ++block) {
    const std::int8_t* q = w.q.data() + static_cast<std::size_t>(block) * w.pairs * kI8PairBytes;
    simde_v128_t sum[8];
    for (auto& s : sum) s = simde_wasm_i32x4_splat(0);
    for (int k = 0; k < x.count; ++k) {
      const simde_v128_t xx = simde_wasm_i32x4_splat(x.packed[k]);
      const std::int8_t* pair = q + static_cast<std::size_t>(x.pair[k]) * kI8PairBytes;
      for (int j = 0; j < 4; ++j) {
        const simde_v128_t v = simde_wasm_v128_load(pair + 16 * j);
        // Bytes 0-7: outputs 8j..8j+3, two inputs each; bytes 8-15: 8j+4..8j+7.
        sum[2 * j] = simde_wasm_i32x4_add(
            sum[2 * j], simde_wasm_i32x4_dot_i16x8(simde_wasm_i16x8_extend_low_i8x16(v), xx));
        sum[2 * j + 1] = simde_wasm_i32x4_add(
            sum[2 * j + 1], simde_wasm_i32x4_dot_i16x8(simde_wasm_i16x8_extend_high_i8x16(v), xx));
      }
    }
    const int first = block * kI8BlockOutputs;
    float out[kI8BlockOutputs];
    for (int j = 0; j < 8; ++j) {
      const simde_v128_t scale =
          simde_wasm_f32x4_mul(x_scale, simde_wasm_v128_load(w.scale.data() + first + 4 * j));
      simde_wasm_v128_store(out + 4 * j,
                            simde_wasm_f32x4_mul(simde_wasm_f32x4_convert_i32x4(sum[j]), scale));
    }
    const int n = w.outputs - first < kI8BlockOutputs ? w.outputs - first : kI8BlockOutputs;
    for (int o = 0; o < n; ++o) y[first + o] = (bias ? bias[first + o] : 0.0f) + out[o];
  }
}

}  // namespace mnist::kernels

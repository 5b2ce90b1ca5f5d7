// SIMD128 twin of gemv_i8_pairs.h. A block of 32 outputs keeps its sums in
// eight int32x4 registers while it runs over the pairs: each pair is two
// 32-byte rows, four loads of sixteen weights, interleaved two by two.
#include <simde/wasm/simd128.h>

#include <cstddef>

#include "kernels/gemv_i8_pairs.h"

namespace mnist::kernels {

void i8_gemv_pairs_simd128(float* y, const I8PairWeights& w, const ActivePairs& x,
                           const float* bias, BlockOrder order) {
  const simde_v128_t x_scale = simde_wasm_f32x4_splat(x.x_scale);
  const std::size_t block_bytes = static_cast<std::size_t>(w.inputs) * kI8BlockOutputs;
  for (int step = 0; step < w.blocks; ++step) {
    const int block = order == BlockOrder::kFirstToLast ? step : w.blocks - 1 - step;
    const std::int8_t* q = w.q.data() + block * block_bytes;
    simde_v128_t sum[8];
    for (auto& s : sum) s = simde_wasm_i32x4_splat(0);
    for (int k = 0; k < x.count; ++k) {
      const simde_v128_t xx = simde_wasm_i32x4_splat(x.packed[k]);
      const std::int8_t* a = q + static_cast<std::size_t>(x.first[k]) * kI8BlockOutputs;
      const std::int8_t* b = q + static_cast<std::size_t>(x.second[k]) * kI8BlockOutputs;
      for (int half = 0; half < 2; ++half) {
        const simde_v128_t va = simde_wasm_v128_load(a + 16 * half);
        const simde_v128_t vb = simde_wasm_v128_load(b + 16 * half);
        // Outputs 16h..16h+7 and 16h+8..16h+15, each as (a, b) byte pairs.
        const simde_v128_t lo = simde_wasm_i8x16_shuffle(va, vb, 0, 16, 1, 17, 2, 18, 3, 19,
                                                         4, 20, 5, 21, 6, 22, 7, 23);
        const simde_v128_t hi = simde_wasm_i8x16_shuffle(va, vb, 8, 24, 9, 25, 10, 26, 11, 27,
                                                         12, 28, 13, 29, 14, 30, 15, 31);
        simde_v128_t* s = sum + 4 * half;
        s[0] = simde_wasm_i32x4_add(s[0], simde_wasm_i32x4_dot_i16x8(simde_wasm_i16x8_extend_low_i8x16(lo), xx));
        s[1] = simde_wasm_i32x4_add(s[1], simde_wasm_i32x4_dot_i16x8(simde_wasm_i16x8_extend_high_i8x16(lo), xx));
        s[2] = simde_wasm_i32x4_add(s[2], simde_wasm_i32x4_dot_i16x8(simde_wasm_i16x8_extend_low_i8x16(hi), xx));
        s[3] = simde_wasm_i32x4_add(s[3], simde_wasm_i32x4_dot_i16x8(simde_wasm_i16x8_extend_high_i8x16(hi), xx));
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

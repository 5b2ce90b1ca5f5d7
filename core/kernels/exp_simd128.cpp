// SIMD128 twin of exp.h: four values at a time, no branches (the limits are
// a clamp and a mask); the tail goes through the scalar twin.
#include <simde/wasm/simd128.h>

#include "kernels/exp.h"

namespace mnist::kernels {

void f32_exp_simd128(float* out, const float* in, std::size_t n) {
  const simde_v128_t lowest = simde_wasm_f32x4_splat(kExpLowest);
  const simde_v128_t highest = simde_wasm_f32x4_splat(kExpHighest);
  const simde_v128_t log2e = simde_wasm_f32x4_splat(1.44269504088896341f);
  const simde_v128_t ln2_high = simde_wasm_f32x4_splat(0.693359375f);
  const simde_v128_t ln2_low = simde_wasm_f32x4_splat(2.12194440e-4f);
  const simde_v128_t one = simde_wasm_f32x4_splat(1.0f);
  const simde_v128_t bias = simde_wasm_i32x4_splat(127);
  const float c[6] = {1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f,
                      4.1665795894e-2f, 1.6666665459e-1f, 5.0000001201e-1f};
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const simde_v128_t x_in = simde_wasm_v128_load(in + i);
    // pmin(x, highest) is highest < x ? highest : x: NaN stays, as in the scalar twin.
    const simde_v128_t x = simde_wasm_f32x4_pmin(x_in, highest);
    const simde_v128_t nf = simde_wasm_f32x4_nearest(simde_wasm_f32x4_mul(x, log2e));
    simde_v128_t r = simde_wasm_f32x4_sub(x, simde_wasm_f32x4_mul(nf, ln2_high));
    r = simde_wasm_f32x4_add(r, simde_wasm_f32x4_mul(nf, ln2_low));
    const simde_v128_t r2 = simde_wasm_f32x4_mul(r, r);
    simde_v128_t p = simde_wasm_f32x4_splat(c[0]);
    for (int k = 1; k < 6; ++k) {
      p = simde_wasm_f32x4_add(simde_wasm_f32x4_mul(p, r), simde_wasm_f32x4_splat(c[k]));
    }
    const simde_v128_t y =
        simde_wasm_f32x4_add(simde_wasm_f32x4_add(simde_wasm_f32x4_mul(p, r2), r), one);
    const simde_v128_t ni = simde_wasm_i32x4_trunc_sat_f32x4(nf);
    // Division by 2 rounding toward zero, as the scalar twin's int division.
    const simde_v128_t half = simde_wasm_i32x4_shr(
        simde_wasm_i32x4_add(ni, simde_wasm_u32x4_shr(ni, 31)), 1);
    const simde_v128_t fa = simde_wasm_i32x4_shl(simde_wasm_i32x4_add(half, bias), 23);
    const simde_v128_t fb =
        simde_wasm_i32x4_shl(simde_wasm_i32x4_add(simde_wasm_i32x4_sub(ni, half), bias), 23);
    simde_v128_t result = simde_wasm_f32x4_mul(simde_wasm_f32x4_mul(y, fa), fb);
    // Below the lowest: 0. (NaN compares false and keeps its NaN.)
    result = simde_wasm_v128_andnot(result, simde_wasm_f32x4_lt(x_in, lowest));
    simde_wasm_v128_store(out + i, result);
  }
  if (i < n) f32_exp_scalar(out + i, in + i, n - i);
}

}  // namespace mnist::kernels

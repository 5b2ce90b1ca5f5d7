// SIMD128 twins of elementwise.h. Under Emscripten with -msimd128 SIMDe maps
// each simde_wasm_* call to the native WebAssembly instruction; natively it
// lowers to SSE. The scalar tails match elementwise_scalar.cpp exactly.
#include <simde/wasm/simd128.h>

#include <cmath>

#include "kernels/elementwise.h"

namespace mnist::kernels {

void f32_relu_forward_simd128(float* out, const float* in, std::size_t n) {
  const simde_v128_t zero = simde_wasm_f32x4_splat(0.0f);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    simde_v128_t x = simde_wasm_v128_load(in + i);
    // pmax(x, 0) = x < 0 ? 0 : x: one instruction, and NaN passes through.
    simde_wasm_v128_store(out + i, simde_wasm_f32x4_pmax(x, zero));
  }
  for (; i < n; ++i) out[i] = in[i] < 0.0f ? 0.0f : in[i];
}

void f32_relu_backward_simd128(float* din, const float* dout, const float* out, std::size_t n) {
  const simde_v128_t zero = simde_wasm_f32x4_splat(0.0f);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    simde_v128_t active = simde_wasm_f32x4_gt(simde_wasm_v128_load(out + i), zero);
    simde_v128_t g = simde_wasm_v128_and(simde_wasm_v128_load(dout + i), active);
    simde_wasm_v128_store(din + i, simde_wasm_f32x4_add(simde_wasm_v128_load(din + i), g));
  }
  for (; i < n; ++i) din[i] += out[i] > 0.0f ? dout[i] : 0.0f;
}

void f32_multiply_simd128(float* out, const float* in, const float* mask, std::size_t n) {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    simde_wasm_v128_store(out + i, simde_wasm_f32x4_mul(simde_wasm_v128_load(in + i),
                                                        simde_wasm_v128_load(mask + i)));
  }
  for (; i < n; ++i) out[i] = in[i] * mask[i];
}

void f32_multiply_add_simd128(float* acc, const float* a, const float* b, std::size_t n) {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    simde_v128_t p = simde_wasm_f32x4_mul(simde_wasm_v128_load(a + i), simde_wasm_v128_load(b + i));
    simde_wasm_v128_store(acc + i, simde_wasm_f32x4_add(simde_wasm_v128_load(acc + i), p));
  }
  for (; i < n; ++i) acc[i] += a[i] * b[i];
}

void f32_sgd_update_simd128(float* w, const float* g, float lr, std::size_t n) {
  const simde_v128_t vlr = simde_wasm_f32x4_splat(lr);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    simde_v128_t step = simde_wasm_f32x4_mul(vlr, simde_wasm_v128_load(g + i));
    simde_wasm_v128_store(w + i, simde_wasm_f32x4_sub(simde_wasm_v128_load(w + i), step));
  }
  for (; i < n; ++i) w[i] -= lr * g[i];
}

void f32_adam_update_simd128(float* w, float* m, float* v, const float* g, float lr_t, float b1,
                             float b2, float eps, std::size_t n) {
  const simde_v128_t vb1 = simde_wasm_f32x4_splat(b1);
  const simde_v128_t vb2 = simde_wasm_f32x4_splat(b2);
  const simde_v128_t v1mb1 = simde_wasm_f32x4_splat(1.0f - b1);
  const simde_v128_t v1mb2 = simde_wasm_f32x4_splat(1.0f - b2);
  const simde_v128_t veps = simde_wasm_f32x4_splat(eps);
  const simde_v128_t vlr = simde_wasm_f32x4_splat(lr_t);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    simde_v128_t gi = simde_wasm_v128_load(g + i);
    simde_v128_t mi = simde_wasm_f32x4_add(simde_wasm_f32x4_mul(vb1, simde_wasm_v128_load(m + i)),
                                           simde_wasm_f32x4_mul(v1mb1, gi));
    simde_v128_t vi = simde_wasm_f32x4_add(
        simde_wasm_f32x4_mul(vb2, simde_wasm_v128_load(v + i)),
        simde_wasm_f32x4_mul(v1mb2, simde_wasm_f32x4_mul(gi, gi)));
    simde_v128_t denom = simde_wasm_f32x4_add(simde_wasm_f32x4_sqrt(vi), veps);
    simde_v128_t step = simde_wasm_f32x4_div(simde_wasm_f32x4_mul(vlr, mi), denom);
    simde_wasm_v128_store(m + i, mi);
    simde_wasm_v128_store(v + i, vi);
    simde_wasm_v128_store(w + i, simde_wasm_f32x4_sub(simde_wasm_v128_load(w + i), step));
  }
  for (; i < n; ++i) {
    m[i] = b1 * m[i] + (1.0f - b1) * g[i];
    v[i] = b2 * v[i] + (1.0f - b2) * (g[i] * g[i]);
    w[i] -= (lr_t * m[i]) / (std::sqrt(v[i]) + eps);
  }
}

}  // namespace mnist::kernels

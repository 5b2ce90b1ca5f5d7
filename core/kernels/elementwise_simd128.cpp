// SIMD128 twins of elementwise.h. Under Emscripten with -msimd128 SIMDe maps
// each simde_wasm_* call to the native WebAssembly instruction; natively it
// lowers to SSE. The scalar tails match elementwise_scalar.cpp exactly.
#include <simde/wasm/simd128.h>

#include <algorithm>
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
    simde_wasm_v128_store(din + i, g);
  }
  for (; i < n; ++i) din[i] = out[i] > 0.0f ? dout[i] : 0.0f;
}

void f32_multiply_simd128(float* out, const float* in, const float* mask, std::size_t n) {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    simde_wasm_v128_store(out + i, simde_wasm_f32x4_mul(simde_wasm_v128_load(in + i),
                                                        simde_wasm_v128_load(mask + i)));
  }
  for (; i < n; ++i) out[i] = in[i] * mask[i];
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
    simde_v128_t vi =
        simde_wasm_f32x4_add(simde_wasm_f32x4_mul(vb2, simde_wasm_v128_load(v + i)),
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

// Row by row, so memory is read in order: up to 64 columns (16 vectors of
// partial sums) per pass, one pass over the rows for every bias here but
// the dense layers' (a column at a time would stride through all of x once
// per column).
void f32_column_sums_add_simd128(float* sums, const float* x, std::size_t rows, std::size_t cols) {
  constexpr std::size_t kVectors = 16;
  std::size_t c0 = 0;
  for (; c0 + 4 <= cols; c0 += 4 * kVectors) {
    const std::size_t vectors = std::min(kVectors, (cols - c0) / 4);
    simde_v128_t acc[kVectors];
    for (std::size_t v = 0; v < vectors; ++v) acc[v] = simde_wasm_v128_load(sums + c0 + 4 * v);
    for (std::size_t r = 0; r < rows; ++r) {
      const float* row = x + r * cols + c0;
      for (std::size_t v = 0; v < vectors; ++v)
        acc[v] = simde_wasm_f32x4_add(acc[v], simde_wasm_v128_load(row + 4 * v));
    }
    for (std::size_t v = 0; v < vectors; ++v) simde_wasm_v128_store(sums + c0 + 4 * v, acc[v]);
    if (vectors < kVectors) {
      c0 += 4 * vectors;
      break;
    }
  }
  for (std::size_t c = c0; c < cols; ++c) {
    float acc = 0.0f;
    for (std::size_t r = 0; r < rows; ++r) acc += x[r * cols + c];
    sums[c] += acc;
  }
}

// 16 pixels at a time: bytes widened to 16-bit, then to 32-bit. Byte b
// becomes the float 2^23 + b by placing it under the exponent bits of 2^23
// (0x4B000000); subtracting 2^23 leaves b exactly. A plain integer-to-float
// conversion instead is one clang 14 rewrites into sixteen scalar lane
// extracts and conversions per 16 bytes.
void f32_from_u8_simd128(float* out, const std::uint8_t* in, float scale, std::size_t n) {
  const simde_v128_t vscale = simde_wasm_f32x4_splat(scale);
  const simde_v128_t two_pow_23 = simde_wasm_f32x4_splat(8388608.0f);
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const simde_v128_t bytes = simde_wasm_v128_load(in + i);
    const simde_v128_t halves[2] = {simde_wasm_u16x8_extend_low_u8x16(bytes),
                                    simde_wasm_u16x8_extend_high_u8x16(bytes)};
    for (int h = 0; h < 2; ++h) {
      const simde_v128_t words[2] = {simde_wasm_u32x4_extend_low_u16x8(halves[h]),
                                     simde_wasm_u32x4_extend_high_u16x8(halves[h])};
      for (int w = 0; w < 2; ++w) {
        const simde_v128_t biased = simde_wasm_v128_or(words[w], two_pow_23);
        const simde_v128_t value = simde_wasm_f32x4_sub(biased, two_pow_23);
        simde_wasm_v128_store(out + i + 8 * h + 4 * w, simde_wasm_f32x4_mul(value, vscale));
      }
    }
  }
  for (; i < n; ++i) out[i] = in[i] * scale;
}

// Eight halves at a time, by the scalar twin's method (see there).
bool f32_from_f16_simd128(float* out, const std::uint8_t* in, std::size_t n) {
  const simde_v128_t magnitude_mask = simde_wasm_i32x4_splat(0x7FFF);
  const simde_v128_t sign_mask = simde_wasm_i32x4_splat(0x8000);
  const simde_v128_t exponent_mask = simde_wasm_i32x4_splat(0x7C00);
  const simde_v128_t float_exponent = simde_wasm_i32x4_splat(0x7F800000);
  const simde_v128_t rescale = simde_wasm_f32x4_splat(0x1p112f);
  simde_v128_t special_seen = simde_wasm_i32x4_splat(0);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const simde_v128_t halves = simde_wasm_v128_load(in + 2 * i);
    const simde_v128_t words[2] = {simde_wasm_u32x4_extend_low_u16x8(halves),
                                   simde_wasm_u32x4_extend_high_u16x8(halves)};
    for (int w = 0; w < 2; ++w) {
      const simde_v128_t h = words[w];
      const simde_v128_t shifted = simde_wasm_i32x4_shl(simde_wasm_v128_and(h, magnitude_mask), 13);
      const simde_v128_t sign = simde_wasm_i32x4_shl(simde_wasm_v128_and(h, sign_mask), 16);
      const simde_v128_t special =
          simde_wasm_i32x4_eq(simde_wasm_v128_and(h, exponent_mask), exponent_mask);
      special_seen = simde_wasm_v128_or(special_seen, special);
      const simde_v128_t finite_value = simde_wasm_f32x4_mul(shifted, rescale);
      const simde_v128_t special_value = simde_wasm_v128_or(shifted, float_exponent);
      const simde_v128_t value = simde_wasm_v128_bitselect(special_value, finite_value, special);
      simde_wasm_v128_store(out + i + 4 * w, simde_wasm_v128_or(value, sign));
    }
  }
  const bool tail_finite = f32_from_f16_scalar(out + i, in + 2 * i, n - i);
  return tail_finite && !simde_wasm_v128_any_true(special_seen);
}

}  // namespace mnist::kernels

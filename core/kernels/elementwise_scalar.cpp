// Scalar twins of elementwise.h: the reference each SIMD kernel is tested
// against, written in the same operation order.
#include <cmath>
#include <cstring>

#include "kernels/elementwise.h"

namespace mnist::kernels {

void f32_relu_forward_scalar(float* out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = in[i] < 0.0f ? 0.0f : in[i];
}

void f32_relu_backward_scalar(float* din, const float* dout, const float* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) din[i] = out[i] > 0.0f ? dout[i] : 0.0f;
}

void f32_multiply_scalar(float* out, const float* in, const float* mask, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = in[i] * mask[i];
}

void f32_sgd_update_scalar(float* w, const float* g, float lr, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) w[i] -= lr * g[i];
}

void f32_adam_update_scalar(float* w, float* m, float* v, const float* g, float lr_t, float b1,
                            float b2, float eps, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    m[i] = b1 * m[i] + (1.0f - b1) * g[i];
    v[i] = b2 * v[i] + (1.0f - b2) * (g[i] * g[i]);
    w[i] -= (lr_t * m[i]) / (std::sqrt(v[i]) + eps);
  }
}

bool f32_all_finite_scalar(const float* x, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(x[i])) return false;
  }
  return true;
}

void f32_column_sums_add_scalar(float* sums, const float* x, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) sums[c] += x[r * cols + c];
}

void f32_from_u8_scalar(float* out, const std::uint8_t* in, float scale, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = in[i] * scale;
}

// The SIMD twin's method, one value at a time: the half's exponent and
// mantissa shifted into a float's place read as a float 2^112 too small
// (127 - 15 in the exponent bias), subnormal halves included, so one
// multiply by 2^112 rescales them exactly. Exponent 31 (infinity, NaN)
// instead keeps its mantissa under a float's all-ones exponent.
bool f32_from_f16_scalar(float* out, const std::uint8_t* in, std::size_t n) {
  bool finite = true;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t h = in[2 * i] | (std::uint32_t{in[2 * i + 1]} << 8);
    const std::uint32_t shifted = (h & 0x7FFFu) << 13;
    const std::uint32_t sign = (h & 0x8000u) << 16;
    std::uint32_t bits;
    if ((h & 0x7C00u) == 0x7C00u) {
      finite = false;
      bits = shifted | 0x7F800000u;
    } else {
      float scaled;
      std::memcpy(&scaled, &shifted, 4);
      scaled *= 0x1p112f;
      std::memcpy(&bits, &scaled, 4);
    }
    bits |= sign;
    std::memcpy(out + i, &bits, 4);
  }
  return finite;
}

}  // namespace mnist::kernels

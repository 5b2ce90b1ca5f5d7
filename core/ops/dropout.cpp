#include "ops/dropout.h"

#include "kernels/elementwise.h"

namespace mnist {

void dropout_forward(float* out, float* mask, const float* in, std::size_t n, float keep_prob,
                     Rng& rng) {
  const float scale = 1.0f / keep_prob;
  for (std::size_t i = 0; i < n; ++i) mask[i] = rng.uniform() < keep_prob ? scale : 0.0f;
  kernels::f32_multiply_simd128(out, in, mask, n);
}

void dropout_backward(float* din, const float* dout, const float* mask, std::size_t n) {
  kernels::f32_multiply_add_simd128(din, dout, mask, n);
}

}  // namespace mnist

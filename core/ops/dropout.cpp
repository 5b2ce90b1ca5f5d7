#include "ops/dropout.h"

#include "kernels/elementwise.h"
#include "parallel/thread_pool.h"

namespace mnist {

void dropout_forward(float* out, float* mask, const float* in, std::size_t n, float keep_prob,
                     Rng& rng) {
  const float scale = 1.0f / keep_prob;
  // One random stream, in order: the mask does not depend on the thread count.
  for (std::size_t i = 0; i < n; ++i) mask[i] = rng.uniform() < keep_prob ? scale : 0.0f;
  parallel::parallel_elements(n, [&](std::size_t i, std::size_t count) {
    kernels::f32_multiply_simd128(out + i, in + i, mask + i, count);
  });
}

void dropout_backward(float* din, const float* dout, const float* mask, std::size_t n) {
  parallel::parallel_elements(n, [&](std::size_t i, std::size_t count) {
    kernels::f32_multiply_add_simd128(din + i, dout + i, mask + i, count);
  });
}

}  // namespace mnist

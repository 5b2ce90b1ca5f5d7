#include "ops/relu.h"

#include "kernels/elementwise.h"
#include "parallel/thread_pool.h"

namespace mnist {

void relu_forward(float* out, const float* in, std::size_t n) {
  parallel::parallel_elements(n, [&](std::size_t i, std::size_t count) {
    kernels::f32_relu_forward_simd128(out + i, in + i, count);
  });
}

void relu_backward(float* din, const float* dout, const float* out, std::size_t n) {
  parallel::parallel_elements(n, [&](std::size_t i, std::size_t count) {
    kernels::f32_relu_backward_simd128(din + i, dout + i, out + i, count);
  });
}

}  // namespace mnist

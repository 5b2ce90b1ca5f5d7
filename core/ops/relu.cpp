#include "ops/relu.h"

#include "kernels/elementwise.h"

namespace mnist {

void relu_forward(float* out, const float* in, std::size_t n) {
  kernels::f32_relu_forward_simd128(out, in, n);
}

void relu_backward(float* din, const float* dout, const float* out, std::size_t n) {
  kernels::f32_relu_backward_simd128(din, dout, out, n);
}

}  // namespace mnist

// ReLU op over the SIMD kernels.
#pragma once

#include <cstddef>

namespace mnist {

// out (n) = max(in, 0)
void relu_forward(float* out, const float* in, std::size_t n);
// din (n) = dout where out > 0, else 0. At exactly 0 the gradient is 0 (a kink).
void relu_backward(float* din, const float* dout, const float* out, std::size_t n);

}  // namespace mnist

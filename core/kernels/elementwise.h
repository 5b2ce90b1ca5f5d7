// Elementwise microkernels, each in two twins:
//   *_simd128: written once with SIMDe's WebAssembly SIMD128 API, so the same
//              source is real v128 code under Emscripten and SSE natively;
//   *_scalar:  the plain loop, the reference the SIMD twin is tested against.
// Every kernel handles any length n (a 4-wide body and a scalar tail) and
// unaligned pointers.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mnist::kernels {

// out[i] = max(in[i], 0); NaN stays NaN. out may alias in.
void f32_relu_forward_simd128(float* out, const float* in, std::size_t n);
void f32_relu_forward_scalar(float* out, const float* in, std::size_t n);

// din[i] = out[i] > 0 ? dout[i] : 0   (out is the ReLU's output)
void f32_relu_backward_simd128(float* din, const float* dout, const float* out, std::size_t n);
void f32_relu_backward_scalar(float* din, const float* dout, const float* out, std::size_t n);

// out[i] = in[i] * mask[i]   (dropout with a pre-scaled mask, forward and backward)
void f32_multiply_simd128(float* out, const float* in, const float* mask, std::size_t n);
void f32_multiply_scalar(float* out, const float* in, const float* mask, std::size_t n);

// w[i] -= lr * g[i]
void f32_sgd_update_simd128(float* w, const float* g, float lr, std::size_t n);
void f32_sgd_update_scalar(float* w, const float* g, float lr, std::size_t n);

// Adam, TensorFlow's form (lr_t already holds the bias correction):
//   m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g*g;  w -= lr_t * m / (sqrt(v) + eps)
void f32_adam_update_simd128(float* w, float* m, float* v, const float* g, float lr_t, float b1,
                             float b2, float eps, std::size_t n);
void f32_adam_update_scalar(float* w, float* m, float* v, const float* g, float lr_t, float b1,
                            float b2, float eps, std::size_t n);

// out[i] = in[i] * scale   (pixels as floats)
void f32_from_u8_simd128(float* out, const std::uint8_t* in, float scale, std::size_t n);
void f32_from_u8_scalar(float* out, const std::uint8_t* in, float scale, std::size_t n);

// out[i] = the IEEE binary16 value in bytes in[2i], in[2i+1] (little-endian),
// exactly (all 65,536 of them). Returns false when
// any is infinite or NaN; those are written too. The shipped model files'
// weights are halves, decoded in bulk as the page starts.
bool f32_from_f16_simd128(float* out, const std::uint8_t* in, std::size_t n);
bool f32_from_f16_scalar(float* out, const std::uint8_t* in, std::size_t n);

// sums[c] += sum over r of x[r * cols + c]   (a bias gradient: dout (rows, cols))
void f32_column_sums_add_simd128(float* sums, const float* x, std::size_t rows, std::size_t cols);
void f32_column_sums_add_scalar(float* sums, const float* x, std::size_t rows, std::size_t cols);

// True when every value is finite (no NaN, no infinity).
bool f32_all_finite_scalar(const float* x, std::size_t n);

}  // namespace mnist::kernels

// C (N,K) += A (M,N)^T . B (M,K) for a narrow C (N at most kNarrowMaxN
// columns of A) whose B is mostly zero: the weight gradient dweight (O,I) +=
// dout^T . in of a dense layer with few outputs, over inputs that are mostly
// zero. The tutorial's softmax regression is such a layer: 10 outputs over
// MNIST's pixels, most of them zero.
//
// Row m of B is read four columns at a time; a block of four zeros is
// skipped, and any other block adds a(m,n) times it to C's four columns for
// each n, so C is the same sum over m, in order, without the zero terms.
// C is read and written for every block of B, so on inputs without zeros
// it loses to the packed product: callers use it where B is mostly zero.
#pragma once

namespace mnist::kernels {

inline constexpr int kNarrowMaxN = 12;

// C (N,K) += A (M,N)^T . B (M,K), all row-major; N <= kNarrowMaxN.
void f32_gemm_tn_narrow_skip_zero_simd128(float* C, const float* A, const float* B, int M, int N,
                                          int K);
void f32_gemm_tn_narrow_skip_zero_scalar(float* C, const float* A, const float* B, int M, int N,
                                         int K);

}  // namespace mnist::kernels

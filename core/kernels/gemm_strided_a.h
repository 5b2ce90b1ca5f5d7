// C (+)= A . B where B (K,N) is row-major and A is read through strides, so
// the same kernel serves both products of a backward pass without copying:
//   a(m, k) = A[m * a_m_stride + k * a_k_stride]
//   din  = dout . W      A = dout (M,K):   a_m_stride = K, a_k_stride = 1
//   dW  += dout^T . in   A = dout (K,M):   a_m_stride = 1, a_k_stride = M
// Each C row is built from broadcasts of a(m,k) times rows of B, four columns
// at a time; K and N are blocked so a block of B stays in cache while every
// row of C uses it. Used in WebAssembly, where Eigen 3.4 has no SIMD path.
#pragma once

namespace mnist::kernels {

// C (M,N) = (accumulate ? C : 0) + sum over k of a(m,k) * B (K,N)[k, n].
void f32_gemm_strided_a_simd128(float* C, const float* A, int a_m_stride, int a_k_stride,
                                const float* B, int M, int N, int K, bool accumulate);
void f32_gemm_strided_a_scalar(float* C, const float* A, int a_m_stride, int a_k_stride,
                               const float* B, int M, int N, int K, bool accumulate);

}  // namespace mnist::kernels

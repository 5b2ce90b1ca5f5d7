// C = A . B^T + bias, where every output is the dot product of two rows that
// are contiguous in memory: A (M,K) row-major and B (N,K) row-major. That is
// the shape of both forward products here (dense: in (B,I) . weight (O,I)^T;
// conv: im2col (P,9Ci) . weight (Co,9Ci)^T), so no packing or transposing is
// needed. Used for the forward pass in WebAssembly, where Eigen 3.4 has no
// SIMD path; natively Eigen's AVX products are faster and stay in use.
#pragma once

namespace mnist::kernels {

// C (M,N) = A (M,K) . B (N,K)^T + bias (N); bias may be nullptr (no bias).
void f32_gemm_nt_bias_simd128(float* C, const float* A, const float* B, const float* bias, int M,
                              int N, int K);
void f32_gemm_nt_bias_scalar(float* C, const float* A, const float* B, const float* bias, int M,
                             int N, int K);

}  // namespace mnist::kernels

// C = bias + A . B for a few rows of A (one drawing) whose entries are often
// zero, with B stored (K,N): one row of B per input. The rows of B whose
// inputs are zero in every row of A are never read. After ReLU and pooling,
// 47% of the tutorial CNN's 3136 dense inputs are zero on the MNIST test
// images, so one drawing reads about half of the dense layer's 12.8 MB of
// weights, and reading them is most of what one drawing costs.
//
// Active rows are added four at a time, ((a0 b0 + a1 b1) + (a2 b2 + a3 b3)),
// so each output is loaded and stored once per four rows. Both twins add in
// that order.
#pragma once

namespace mnist::kernels {

// C (M,N) = bias (N) + A (M,K) . B (K,N); bias may be nullptr (zero).
void f32_gemm_skip_zero_rows_simd128(float* C, const float* A, const float* B, const float* bias,
                                     int M, int N, int K);
void f32_gemm_skip_zero_rows_scalar(float* C, const float* A, const float* B, const float* bias,
                                    int M, int N, int K);

}  // namespace mnist::kernels

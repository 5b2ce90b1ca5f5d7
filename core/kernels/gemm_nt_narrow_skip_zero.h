// C (M,N) = A (M,K) . B (N,K)^T + bias for a narrow C (N at most
// kNarrowMaxN) whose A is mostly zero: the forward pass of a dense layer with
// few outputs over inputs that are mostly zero, the tutorial's softmax
// regression (10 outputs over MNIST's pixels, 72% of the four-pixel blocks
// zero). Its weight gradient's twin is gemm_tn_narrow_skip_zero.h.
//
// Row m of A is read four columns at a time; a block of four zeros is
// skipped, and any other block is multiplied by the same four columns of
// each of B's N rows into N vectors of four partial sums, which end as
//   C[m][n] = ((s0 + s1) + (s2 + s3)) + tail + bias[n],
// the tail being the last K % 4 columns, one at a time. The packed product
// spent a 4x8 register tile on 10 outputs and did every block's products.
#pragma once

#include "kernels/gemm_tn_narrow_skip_zero.h"  // kNarrowMaxN

namespace mnist::kernels {

// Rows [m0, m1) of C (M,N) = A (M,K) . B (N,K)^T + bias (N), all row-major;
// N <= kNarrowMaxN; bias may be nullptr.
void f32_gemm_nt_narrow_skip_zero_simd128(float* C, const float* A, const float* B,
                                          const float* bias, int m0, int m1, int N, int K);
void f32_gemm_nt_narrow_skip_zero_scalar(float* C, const float* A, const float* B,
                                         const float* bias, int m0, int m1, int N, int K);

}  // namespace mnist::kernels

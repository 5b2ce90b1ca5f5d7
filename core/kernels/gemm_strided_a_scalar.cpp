// Scalar twin of gemm_strided_a.h: the reference the SIMD kernel is tested against.
#include "kernels/gemm_strided_a.h"

#include <cstddef>

namespace mnist::kernels {

void f32_gemm_strided_a_scalar(float* C, const float* A, int a_m_stride, int a_k_stride,
                               const float* B, int M, int N, int K, bool accumulate) {
  for (int m = 0; m < M; ++m) {
    for (int n = 0; n < N; ++n) {
      float sum = 0.0f;
      for (int k = 0; k < K; ++k) {
        sum += A[static_cast<std::size_t>(m) * a_m_stride + static_cast<std::size_t>(k) * a_k_stride] *
               B[static_cast<std::size_t>(k) * N + n];
      }
      float& c = C[static_cast<std::size_t>(m) * N + n];
      c = (accumulate ? c : 0.0f) + sum;
    }
  }
}

}  // namespace mnist::kernels

// Scalar twin of gemm_nt.h: the reference the SIMD kernel is tested against.
#include "kernels/gemm_nt.h"

#include <cstddef>

namespace mnist::kernels {

void f32_gemm_nt_bias_scalar(float* C, const float* A, const float* B, const float* bias, int M,
                             int N, int K) {
  for (int m = 0; m < M; ++m) {
    for (int n = 0; n < N; ++n) {
      const float* a = A + static_cast<std::size_t>(m) * K;
      const float* b = B + static_cast<std::size_t>(n) * K;
      float sum = 0.0f;
      for (int k = 0; k < K; ++k) sum += a[k] * b[k];
      C[static_cast<std::size_t>(m) * N + n] = sum + (bias ? bias[n] : 0.0f);
    }
  }
}

}  // namespace mnist::kernels

// Scalar twin of gemm_tn_narrow_skip_zero.h: the same sums over m, in order,
// leaving out B's zeros one at a time.
#include <cstddef>

#include "kernels/gemm_tn_narrow_skip_zero.h"

namespace mnist::kernels {

void f32_gemm_tn_narrow_skip_zero_scalar(float* C, const float* A, const float* B, int M, int N,
                                         int K) {
  for (int m = 0; m < M; ++m) {
    const float* a = A + static_cast<std::size_t>(m) * N;
    const float* b = B + static_cast<std::size_t>(m) * K;
    for (int k = 0; k < K; ++k) {
      if (b[k] == 0.0f) continue;
      for (int n = 0; n < N; ++n) C[static_cast<std::size_t>(n) * K + k] += a[n] * b[k];
    }
  }
}

}  // namespace mnist::kernels

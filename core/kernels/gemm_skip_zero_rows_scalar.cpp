// Scalar twin of gemm_skip_zero_rows.h: the reference the SIMD kernel is
// tested against, adding in the same order.
#include <cstddef>
#include <vector>

#include "kernels/gemm_skip_zero_rows.h"

namespace mnist::kernels {

void f32_gemm_skip_zero_rows_scalar(float* C, const float* A, const float* B, const float* bias,
                                    int M, int N, int K) {
  std::vector<int> active;
  for (int k = 0; k < K; ++k) {
    bool any = false;
    for (int m = 0; m < M; ++m) any = any || A[static_cast<std::size_t>(m) * K + k] != 0.0f;
    if (any) active.push_back(k);
  }
  for (int m = 0; m < M; ++m) {
    const float* a = A + static_cast<std::size_t>(m) * K;
    float* c = C + static_cast<std::size_t>(m) * N;
    for (int n = 0; n < N; ++n) c[n] = bias ? bias[n] : 0.0f;
    std::size_t r = 0;
    for (; r + 4 <= active.size(); r += 4) {
      const float* b0 = B + static_cast<std::size_t>(active[r]) * N;
      const float* b1 = B + static_cast<std::size_t>(active[r + 1]) * N;
      const float* b2 = B + static_cast<std::size_t>(active[r + 2]) * N;
      const float* b3 = B + static_cast<std::size_t>(active[r + 3]) * N;
      const float a0 = a[active[r]], a1 = a[active[r + 1]];
      const float a2 = a[active[r + 2]], a3 = a[active[r + 3]];
      for (int n = 0; n < N; ++n) c[n] += (a0 * b0[n] + a1 * b1[n]) + (a2 * b2[n] + a3 * b3[n]);
    }
    for (; r < active.size(); ++r) {
      const float* b0 = B + static_cast<std::size_t>(active[r]) * N;
      const float a0 = a[active[r]];
      for (int n = 0; n < N; ++n) c[n] += a0 * b0[n];
    }
  }
}

}  // namespace mnist::kernels

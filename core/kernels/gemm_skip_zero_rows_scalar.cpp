// Scalar twin of gemm_skip_zero_rows.h: the reference the SIMD kernel is
// tested against, adding in the same order.
#include <cstddef>

#include "kernels/gemm_skip_zero_rows.h"

namespace mnist::kernels {

void f32_gemm_skip_zero_rows_scalar(float* C, const float* A, const float* B, const float* bias,
                                    int M, int N, int K) {
  for (int m = 0; m < M; ++m) {
    float* c = C + static_cast<std::size_t>(m) * N;
    for (int n = 0; n < N; ++n) c[n] = bias ? bias[n] : 0.0f;
  }
  const auto row_of_b = [&](int k) { return B + static_cast<std::size_t>(k) * N; };
  for_each_active_row_of_b(
      A, M, K,
      [&](const int* group) {
        for (int m = 0; m < M; ++m) {
          const float* a = A + static_cast<std::size_t>(m) * K;
          float* c = C + static_cast<std::size_t>(m) * N;
          const float *b0 = row_of_b(group[0]), *b1 = row_of_b(group[1]);
          const float *b2 = row_of_b(group[2]), *b3 = row_of_b(group[3]);
          const float a0 = a[group[0]], a1 = a[group[1]], a2 = a[group[2]], a3 = a[group[3]];
          for (int n = 0; n < N; ++n) c[n] += (a0 * b0[n] + a1 * b1[n]) + (a2 * b2[n] + a3 * b3[n]);
        }
      },
      [&](int k) {
        for (int m = 0; m < M; ++m) {
          const float a0 = A[static_cast<std::size_t>(m) * K + k];
          const float* b0 = row_of_b(k);
          float* c = C + static_cast<std::size_t>(m) * N;
          for (int n = 0; n < N; ++n) c[n] += a0 * b0[n];
        }
      });
}

}  // namespace mnist::kernels

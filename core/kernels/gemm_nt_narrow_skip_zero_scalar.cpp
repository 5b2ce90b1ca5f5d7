// Scalar twin of gemm_nt_narrow_skip_zero.h: the same blocks, the same four
// partial sums per output, added in the same order.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/gemm_nt_narrow_skip_zero.h"

namespace mnist::kernels {

namespace {

// A block is skipped only when all its bits are zero, as the SIMD twin's
// v128.any_true tests (a -0.0 is kept).
bool all_bits_zero(const float* x) {
  std::uint32_t bits[4];
  std::memcpy(bits, x, sizeof bits);
  return (bits[0] | bits[1] | bits[2] | bits[3]) == 0;
}

}  // namespace

void f32_gemm_nt_narrow_skip_zero_scalar(float* C, const float* A, const float* B,
                                         const float* bias, int m0, int m1, int N, int K) {
  const int blocks_end = K - K % 4;
  for (int m = m0; m < m1; ++m) {
    const float* a = A + static_cast<std::size_t>(m) * K;
    for (int n = 0; n < N; ++n) {
      const float* b = B + static_cast<std::size_t>(n) * K;
      float s[4] = {0.0f, 0.0f, 0.0f, 0.0f};
      for (int k = 0; k < blocks_end; k += 4) {
        if (all_bits_zero(a + k)) continue;
        for (int j = 0; j < 4; ++j) {
          const float product = a[k + j] * b[k + j];
          s[j] = s[j] + product;
        }
      }
      float tail = 0.0f;
      for (int k = blocks_end; k < K; ++k) {
        const float product = a[k] * b[k];
        tail = tail + product;
      }
      const float sum = ((s[0] + s[1]) + (s[2] + s[3])) + tail;
      C[static_cast<std::size_t>(m) * N + n] = sum + (bias ? bias[n] : 0.0f);
    }
  }
}

}  // namespace mnist::kernels

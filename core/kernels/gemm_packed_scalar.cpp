// Scalar twin of gemm_packed.h: the reference the SIMD kernel is tested against.
#include "kernels/gemm_packed.h"

namespace mnist::kernels {

void f32_gemm_packed_scalar(float* C, std::ptrdiff_t ldc, StridedMatrix A, StridedMatrix B,
                            const float* bias, int M, int N, int K, bool accumulate) {
  for (int m = 0; m < M; ++m) {
    for (int n = 0; n < N; ++n) {
      float sum = 0.0f;
      for (int k = 0; k < K; ++k) {
        sum += A.data[m * A.row_stride + k * A.col_stride] *
               B.data[k * B.row_stride + n * B.col_stride];
      }
      float& c = C[m * ldc + n];
      c = (accumulate ? c : (bias ? bias[n] : 0.0f)) + sum;
    }
  }
}

}  // namespace mnist::kernels

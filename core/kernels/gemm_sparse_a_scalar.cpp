// Scalar twin of gemm_sparse_a.h.
#include "kernels/gemm_sparse_a.h"

namespace mnist::kernels {

int compress_rows_scalar(int* row_start, int* column, float* value, StridedMatrix A, int M, int K) {
  int entries = 0;
  for (int m = 0; m < M; ++m) {
    row_start[m] = entries;
    for (int k = 0; k < K; ++k) {
      const float a = A.data[m * A.row_stride + k * A.col_stride];
      if (a == 0.0f) continue;
      column[entries] = k;
      value[entries] = a;
      ++entries;
    }
  }
  row_start[M] = entries;
  return entries;
}

void f32_gemm_sparse_a_scalar(float* C, std::ptrdiff_t ldc, const SparseRows& A, const float* B,
                              std::ptrdiff_t ldb, int n0, int n1, bool accumulate) {
  for (int m = 0; m < A.rows; ++m) {
    float* c = C + m * ldc;
    for (int n = n0; n < n1; ++n) {
      float sum = accumulate ? c[n] : 0.0f;
      for (int e = A.row_start[m]; e < A.row_start[m + 1]; ++e)
        sum += A.value[e] * B[A.column[e] * ldb + n];
      c[n] = sum;
    }
  }
}

}  // namespace mnist::kernels

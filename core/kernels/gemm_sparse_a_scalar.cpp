// Scalar twin of gemm_sparse_a.h, and the compression both twins read.
#include <vector>

#include "kernels/gemm_sparse_a.h"

namespace mnist::kernels {

int compress_rows(int* row_start, int* column, float* value, StridedMatrix A, int M, int K) {
  int entries = 0;
  if (A.row_stride != 1 || A.col_stride == 1) {
    // Rows in memory order (A row-major, or any other layout).
    for (int m = 0; m < M; ++m) {
      row_start[m] = entries;
      const float* row = A.data + m * A.row_stride;
      for (int k = 0; k < K; ++k) {
        const float a = row[k * A.col_stride];
        // Written whatever a is, kept only when not zero: no branch to mispredict.
        column[entries] = k;
        value[entries] = a;
        entries += a != 0.0f;
      }
    }
    row_start[M] = entries;
    return entries;
  }
  // A stored transposed (dout^T in a weight gradient): reading a row of A
  // would stride through memory, so count each row's entries in one pass
  // over memory in order and place them in a second one.
  for (int m = 0; m <= M; ++m) row_start[m] = 0;
  for (int k = 0; k < K; ++k) {
    const float* column_of_a = A.data + k * A.col_stride;
    for (int m = 0; m < M; ++m) row_start[m + 1] += column_of_a[m] != 0.0f;
  }
  for (int m = 0; m < M; ++m) row_start[m + 1] += row_start[m];
  entries = row_start[M];
  // row_start[m] is row m's next free place while placing: shifted back after.
  for (int k = 0; k < K; ++k) {
    const float* column_of_a = A.data + k * A.col_stride;
    for (int m = 0; m < M; ++m) {
      const float a = column_of_a[m];
      if (a == 0.0f) continue;
      column[row_start[m]] = k;
      value[row_start[m]] = a;
      ++row_start[m];
    }
  }
  for (int m = M; m > 0; --m) row_start[m] = row_start[m - 1];
  row_start[0] = 0;
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

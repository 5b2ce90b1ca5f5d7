// C = bias + A . B for a few rows of A (one drawing) whose entries are often
// zero, with B stored (K,N): one row of B per input. The rows of B whose
// inputs are zero in every row of A are never read: after ReLU and pooling
// about half of the CNN's dense inputs are zero, and reading the weights is
// most of what one drawing costs.
//
// Active rows are added four at a time, in order, ((a0 b0 + a1 b1) + (a2 b2 +
// a3 b3)), so each output is loaded and stored once per four rows; the last
// one to three one by one. Both twins add in that order.
#pragma once

#include <cstddef>

namespace mnist::kernels {

// The order both twins add in: the columns k of A (M,K) with an entry that
// is not zero, in order, four at a time as four(group) with group[4] the
// columns, then the last one to three as one(k).
template <typename Four, typename One>
void for_each_active_row_of_b(const float* A, int M, int K, Four&& four, One&& one) {
  int group[4];
  int filled = 0;
  for (int k = 0; k < K; ++k) {
    bool active = false;
    for (int m = 0; m < M && !active; ++m) active = A[static_cast<std::size_t>(m) * K + k] != 0.0f;
    if (!active) continue;
    group[filled++] = k;
    if (filled == 4) {
      four(static_cast<const int*>(group));
      filled = 0;
    }
  }
  for (int j = 0; j < filled; ++j) one(group[j]);
}

// C (M,N) = bias (N) + A (M,K) . B (K,N); bias may be nullptr (zero).
void f32_gemm_skip_zero_rows_simd128(float* C, const float* A, const float* B, const float* bias,
                                     int M, int N, int K);
void f32_gemm_skip_zero_rows_scalar(float* C, const float* A, const float* B, const float* bias,
                                    int M, int N, int K);

}  // namespace mnist::kernels

// SIMD128 twin of gemm_nt.h. Register tiles of MR rows of A by NR rows of B
// accumulate MR*NR four-wide partial dot products along K, then reduce each
// across its lanes. 4x2 tiles suit batches (8 accumulators + 6 operands fit
// the 16 registers V8 maps SIMD128 onto on x86); single rows (one drawing,
// M = 1) use 1x8 tiles so eight weight rows stream at once (memory, not
// arithmetic, bounds them).
#include <simde/wasm/simd128.h>

#include <cstddef>

#include "kernels/gemm_nt.h"

namespace mnist::kernels {

namespace {

inline float lane_sum(simde_v128_t v) {
  return (simde_wasm_f32x4_extract_lane(v, 0) + simde_wasm_f32x4_extract_lane(v, 1)) +
         (simde_wasm_f32x4_extract_lane(v, 2) + simde_wasm_f32x4_extract_lane(v, 3));
}

template <int MR, int NR>
inline void tile(float* C, const float* A, const float* B, const float* bias, int m0, int n0, int N,
                 int K) {
  simde_v128_t acc[MR][NR];
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NR; ++j) acc[i][j] = simde_wasm_f32x4_splat(0.0f);
  const float* a[MR];
  const float* b[NR];
  for (int i = 0; i < MR; ++i) a[i] = A + static_cast<std::size_t>(m0 + i) * K;
  for (int j = 0; j < NR; ++j) b[j] = B + static_cast<std::size_t>(n0 + j) * K;
  int k = 0;
  for (; k + 4 <= K; k += 4) {
    simde_v128_t bv[NR];
    for (int j = 0; j < NR; ++j) bv[j] = simde_wasm_v128_load(b[j] + k);
    for (int i = 0; i < MR; ++i) {
      const simde_v128_t av = simde_wasm_v128_load(a[i] + k);
      for (int j = 0; j < NR; ++j)
        acc[i][j] = simde_wasm_f32x4_add(acc[i][j], simde_wasm_f32x4_mul(av, bv[j]));
    }
  }
  for (int i = 0; i < MR; ++i) {
    for (int j = 0; j < NR; ++j) {
      float sum = lane_sum(acc[i][j]);
      for (int kk = k; kk < K; ++kk) sum += a[i][kk] * b[j][kk];
      C[static_cast<std::size_t>(m0 + i) * N + n0 + j] = sum + (bias ? bias[n0 + j] : 0.0f);
    }
  }
}

template <int MR, int NR>
void rows_of(float* C, const float* A, const float* B, const float* bias, int m0, int N, int K) {
  int n = 0;
  for (; n + NR <= N; n += NR) tile<MR, NR>(C, A, B, bias, m0, n, N, K);
  for (; n < N; ++n) tile<MR, 1>(C, A, B, bias, m0, n, N, K);
}

}  // namespace

void f32_gemm_nt_bias_simd128(float* C, const float* A, const float* B, const float* bias, int M,
                              int N, int K) {
  int m = 0;
  for (; m + 4 <= M; m += 4) rows_of<4, 2>(C, A, B, bias, m, N, K);
  for (; m < M; ++m) rows_of<1, 8>(C, A, B, bias, m, N, K);
}

}  // namespace mnist::kernels

// SIMD128 twin of gemm_skip_zero_rows.h. Each group of four active rows of B
// (4 x N floats: 16 KB for the dense layer, in L1) is read once from memory
// and then once more per further row of A.
#include <simde/wasm/simd128.h>

#include <cstddef>

#include "kernels/gemm_skip_zero_rows.h"

namespace mnist::kernels {

namespace {

// c[n] += (a0 b0[n] + a1 b1[n]) + (a2 b2[n] + a3 b3[n]) for n < N.
void add_four_rows(float* c, const float* const b[4], const float a[4], int N) {
  const simde_v128_t a0 = simde_wasm_f32x4_splat(a[0]), a1 = simde_wasm_f32x4_splat(a[1]);
  const simde_v128_t a2 = simde_wasm_f32x4_splat(a[2]), a3 = simde_wasm_f32x4_splat(a[3]);
  int n = 0;
  for (; n + 4 <= N; n += 4) {
    const simde_v128_t low = simde_wasm_f32x4_add(simde_wasm_f32x4_mul(a0, simde_wasm_v128_load(b[0] + n)),
                                                  simde_wasm_f32x4_mul(a1, simde_wasm_v128_load(b[1] + n)));
    const simde_v128_t high = simde_wasm_f32x4_add(simde_wasm_f32x4_mul(a2, simde_wasm_v128_load(b[2] + n)),
                                                   simde_wasm_f32x4_mul(a3, simde_wasm_v128_load(b[3] + n)));
    simde_wasm_v128_store(c + n, simde_wasm_f32x4_add(simde_wasm_v128_load(c + n),
                                                      simde_wasm_f32x4_add(low, high)));
  }
  for (; n < N; ++n) c[n] += (a[0] * b[0][n] + a[1] * b[1][n]) + (a[2] * b[2][n] + a[3] * b[3][n]);
}

// c[n] += a0 b0[n] for n < N.
void add_one_row(float* c, const float* b0, float a0, int N) {
  const simde_v128_t av = simde_wasm_f32x4_splat(a0);
  int n = 0;
  for (; n + 4 <= N; n += 4) {
    simde_wasm_v128_store(c + n, simde_wasm_f32x4_add(simde_wasm_v128_load(c + n),
                                                      simde_wasm_f32x4_mul(av, simde_wasm_v128_load(b0 + n))));
  }
  for (; n < N; ++n) c[n] += a0 * b0[n];
}

}  // namespace

void f32_gemm_skip_zero_rows_simd128(float* C, const float* A, const float* B, const float* bias,
                                     int M, int N, int K) {
  for (int m = 0; m < M; ++m) {
    float* c = C + static_cast<std::size_t>(m) * N;
    for (int n = 0; n < N; ++n) c[n] = bias ? bias[n] : 0.0f;
  }
  for_each_active_row_of_b(
      A, M, K,
      [&](const int* group) {
        const float* b[4];
        for (int j = 0; j < 4; ++j) b[j] = B + static_cast<std::size_t>(group[j]) * N;
        for (int m = 0; m < M; ++m) {
          const float* a = A + static_cast<std::size_t>(m) * K;
          const float values[4] = {a[group[0]], a[group[1]], a[group[2]], a[group[3]]};
          add_four_rows(C + static_cast<std::size_t>(m) * N, b, values, N);
        }
      },
      [&](int k) {
        const float* b0 = B + static_cast<std::size_t>(k) * N;
        for (int m = 0; m < M; ++m) {
          add_one_row(C + static_cast<std::size_t>(m) * N, b0,
                      A[static_cast<std::size_t>(m) * K + k], N);
        }
      });
}

}  // namespace mnist::kernels

// SIMD128 twin of gemm_strided_a.h. Register tile: 4 rows of C by 8 columns
// (8 accumulators); for each k, two vectors of B and four broadcasts of A.
#include <simde/wasm/simd128.h>

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "kernels/gemm_strided_a.h"

namespace mnist::kernels {

namespace {

constexpr int kBlockK = 128;  // rows of B per block
constexpr int kBlockN = 256;  // columns of B per block: 128 KB of B stays in L2

// C[m0..m0+MR, n0..n0+8*V) += sum over k in [k0,k1) of a(m,k) * B[k, n].
template <int MR, int V>
inline void tile(float* C, const float* A, int sm, int sk, const float* B, int N, int m0, int n0,
                 int k0, int k1) {
  simde_v128_t acc[MR][V];
  for (int i = 0; i < MR; ++i)
    for (int v = 0; v < V; ++v)
      acc[i][v] = simde_wasm_v128_load(C + static_cast<std::size_t>(m0 + i) * N + n0 + 4 * v);
  for (int k = k0; k < k1; ++k) {
    const float* brow = B + static_cast<std::size_t>(k) * N + n0;
    simde_v128_t b[V];
    for (int v = 0; v < V; ++v) b[v] = simde_wasm_v128_load(brow + 4 * v);
    for (int i = 0; i < MR; ++i) {
      const simde_v128_t a = simde_wasm_f32x4_splat(
          A[static_cast<std::size_t>(m0 + i) * sm + static_cast<std::size_t>(k) * sk]);
      for (int v = 0; v < V; ++v) acc[i][v] = simde_wasm_f32x4_add(acc[i][v], simde_wasm_f32x4_mul(a, b[v]));
    }
  }
  for (int i = 0; i < MR; ++i)
    for (int v = 0; v < V; ++v)
      simde_wasm_v128_store(C + static_cast<std::size_t>(m0 + i) * N + n0 + 4 * v, acc[i][v]);
}

// The last N % 4 columns, plainly.
inline void tail_columns(float* C, const float* A, int sm, int sk, const float* B, int N, int m,
                         int n0, int n1, int k0, int k1) {
  for (int n = n0; n < n1; ++n) {
    float sum = 0.0f;
    for (int k = k0; k < k1; ++k) {
      sum += A[static_cast<std::size_t>(m) * sm + static_cast<std::size_t>(k) * sk] *
             B[static_cast<std::size_t>(k) * N + n];
    }
    C[static_cast<std::size_t>(m) * N + n] += sum;
  }
}

template <int MR>
void rows(float* C, const float* A, int sm, int sk, const float* B, int N, int m0, int nb0, int nb1,
          int k0, int k1) {
  int n = nb0;
  for (; n + 8 <= nb1; n += 8) tile<MR, 2>(C, A, sm, sk, B, N, m0, n, k0, k1);
  for (; n + 4 <= nb1; n += 4) tile<MR, 1>(C, A, sm, sk, B, N, m0, n, k0, k1);
  for (int i = 0; i < MR; ++i) tail_columns(C, A, sm, sk, B, N, m0 + i, n, nb1, k0, k1);
}

}  // namespace

void f32_gemm_strided_a_simd128(float* C, const float* A, int a_m_stride, int a_k_stride,
                                const float* B, int M, int N, int K, bool accumulate) {
  if (!accumulate) std::memset(C, 0, sizeof(float) * static_cast<std::size_t>(M) * N);
  for (int nb = 0; nb < N; nb += kBlockN) {
    const int nb1 = std::min(N, nb + kBlockN);
    for (int kb = 0; kb < K; kb += kBlockK) {
      const int kb1 = std::min(K, kb + kBlockK);
      int m = 0;
      for (; m + 4 <= M; m += 4) rows<4>(C, A, a_m_stride, a_k_stride, B, N, m, nb, nb1, kb, kb1);
      for (; m < M; ++m) rows<1>(C, A, a_m_stride, a_k_stride, B, N, m, nb, nb1, kb, kb1);
    }
  }
}

}  // namespace mnist::kernels

// SIMD128 twin of gemm_tn_narrow_skip_zero.h. Row m's N values of A sit in
// N registers (splatted) while the row of B goes by four columns at a time;
// C's rows are read and written where B is not zero. N is a template
// parameter so the splats stay in registers.
#include <simde/wasm/simd128.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>

#include "kernels/gemm_tn_narrow_skip_zero.h"
#include "kernels/nonzero_blocks_simd128.h"

namespace mnist::kernels {

namespace {

template <int N>
void rows_of_c(float* C, const float* A, int lda, const float* B, int M, int K) {
  for (int m = 0; m < M; ++m) {
    const float* a = A + static_cast<std::size_t>(m) * lda;
    const float* b = B + static_cast<std::size_t>(m) * K;
    simde_v128_t splat[N];
    for (int n = 0; n < N; ++n) splat[n] = simde_wasm_f32x4_splat(a[n]);
    int k = 0;
    while (k + 4 <= K) {
      int active[kListedBlocks];
      const int end = std::min(K - K % 4, k + 4 * kListedBlocks);
      const int count = list_nonzero_blocks(b, k, end, active);
      k = end;
      for (int j = 0; j < count; ++j) {
        const int at = active[j];
        const simde_v128_t x = simde_wasm_v128_load(b + at);
        for (int n = 0; n < N; ++n) {
          float* c = C + static_cast<std::size_t>(n) * K + at;
          simde_wasm_v128_store(c, simde_wasm_f32x4_add(simde_wasm_v128_load(c),
                                                        simde_wasm_f32x4_mul(splat[n], x)));
        }
      }
    }
    for (; k < K; ++k) {
      if (b[k] == 0.0f) continue;
      for (int n = 0; n < N; ++n) C[static_cast<std::size_t>(n) * K + k] += a[n] * b[k];
    }
  }
}

// rows_of_c<1> ... rows_of_c<kNarrowMaxN>, indexed by N - 1.
template <std::size_t... Index>
constexpr auto by_width(std::index_sequence<Index...>) {
  return std::array{&rows_of_c<static_cast<int>(Index) + 1>...};
}
constexpr auto kRowsOfC = by_width(std::make_index_sequence<kNarrowMaxN>{});

}  // namespace

// One pass over each row of B with all N splats in registers (N + 2 of the
// 16 that V8 maps SIMD128 onto on x86): two passes would lose to the packed
// product.
void f32_gemm_tn_narrow_skip_zero_simd128(float* C, const float* A, const float* B, int M, int N,
                                          int K) {
  if (N < 1 || N > kNarrowMaxN) return f32_gemm_tn_narrow_skip_zero_scalar(C, A, B, M, N, K);
  kRowsOfC[N - 1](C, A, N, B, M, K);
}

}  // namespace mnist::kernels

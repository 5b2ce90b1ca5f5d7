// SIMD128 twin of gemm_nt_narrow_skip_zero.h. The N vectors of partial sums
// stay in registers (N + 2 of the 16 that V8 maps SIMD128 onto on x86) while
// a row of A goes by; N is a template parameter so that they can.
#include <simde/wasm/simd128.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>

#include "kernels/gemm_nt_narrow_skip_zero.h"
#include "kernels/nonzero_blocks_simd128.h"

namespace mnist::kernels {

namespace {

template <int N>
void rows_of_c(float* C, const float* A, const float* B, const float* bias, int m0, int m1,
               int K) {
  const int blocks_end = K - K % 4;
  for (int m = m0; m < m1; ++m) {
    const float* a = A + static_cast<std::size_t>(m) * K;
    simde_v128_t sum[N];
    for (int n = 0; n < N; ++n) sum[n] = simde_wasm_f32x4_splat(0.0f);
    for (int k = 0; k < blocks_end;) {
      int active[kListedBlocks];
      const int end = std::min(blocks_end, k + 4 * kListedBlocks);
      const int count = list_nonzero_blocks(a, k, end, active);
      k = end;
      for (int j = 0; j < count; ++j) {
        const int at = active[j];
        const simde_v128_t x = simde_wasm_v128_load(a + at);
        for (int n = 0; n < N; ++n) {
          const simde_v128_t w = simde_wasm_v128_load(B + static_cast<std::size_t>(n) * K + at);
          sum[n] = simde_wasm_f32x4_add(sum[n], simde_wasm_f32x4_mul(x, w));
        }
      }
    }
    float* c = C + static_cast<std::size_t>(m) * N;
    for (int n = 0; n < N; ++n) {
      const float* b = B + static_cast<std::size_t>(n) * K;
      float tail = 0.0f;
      for (int k = blocks_end; k < K; ++k) {
        const float product = a[k] * b[k];
        tail = tail + product;
      }
      float lanes[4];
      simde_wasm_v128_store(lanes, sum[n]);
      const float total = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + tail;
      c[n] = total + (bias ? bias[n] : 0.0f);
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

void f32_gemm_nt_narrow_skip_zero_simd128(float* C, const float* A, const float* B,
                                          const float* bias, int m0, int m1, int N, int K) {
  if (N < 1 || N > kNarrowMaxN) {
    return f32_gemm_nt_narrow_skip_zero_scalar(C, A, B, bias, m0, m1, N, K);
  }
  kRowsOfC[N - 1](C, A, B, bias, m0, m1, K);
}

}  // namespace mnist::kernels

// SIMD128 twin of gemm_tn_narrow_skip_zero.h. Row m's N values of A sit in
// N registers (splatted) while the row of B goes by four columns at a time;
// C's rows are read and written where B is not zero. N is a template
// parameter so the splats stay in registers.
#include <simde/wasm/simd128.h>

#include <cstddef>

#include "kernels/gemm_tn_narrow_skip_zero.h"

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
    for (; k + 4 <= K; k += 4) {
      const simde_v128_t x = simde_wasm_v128_load(b + k);
      if (!simde_wasm_v128_any_true(x)) continue;  // four zeros (or -0)
      for (int n = 0; n < N; ++n) {
        float* c = C + static_cast<std::size_t>(n) * K + k;
        simde_wasm_v128_store(c, simde_wasm_f32x4_add(simde_wasm_v128_load(c),
                                                      simde_wasm_f32x4_mul(splat[n], x)));
      }
    }
    for (; k < K; ++k) {
      if (b[k] == 0.0f) continue;
      for (int n = 0; n < N; ++n) C[static_cast<std::size_t>(n) * K + k] += a[n] * b[k];
    }
  }
}

}  // namespace

// One pass over each row of B with all N splats in registers (N + 2 of the
// 16 that V8 maps SIMD128 onto on x86): for the softmax regression's 10
// outputs, 5 + 5 in two passes took longer than the packed product.
void f32_gemm_tn_narrow_skip_zero_simd128(float* C, const float* A, const float* B, int M, int N,
                                          int K) {
  switch (N) {
    case 1: return rows_of_c<1>(C, A, N, B, M, K);
    case 2: return rows_of_c<2>(C, A, N, B, M, K);
    case 3: return rows_of_c<3>(C, A, N, B, M, K);
    case 4: return rows_of_c<4>(C, A, N, B, M, K);
    case 5: return rows_of_c<5>(C, A, N, B, M, K);
    case 6: return rows_of_c<6>(C, A, N, B, M, K);
    case 7: return rows_of_c<7>(C, A, N, B, M, K);
    case 8: return rows_of_c<8>(C, A, N, B, M, K);
    case 9: return rows_of_c<9>(C, A, N, B, M, K);
    case 10: return rows_of_c<10>(C, A, N, B, M, K);
    case 11: return rows_of_c<11>(C, A, N, B, M, K);
    case 12: return rows_of_c<12>(C, A, N, B, M, K);
    default: return f32_gemm_tn_narrow_skip_zero_scalar(C, A, B, M, N, K);  // not narrow: callers check
  }
}

}  // namespace mnist::kernels

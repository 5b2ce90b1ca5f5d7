// SIMD128 twin of maxpool2x2.h.
#include <simde/wasm/simd128.h>

#include <cstddef>

#include "kernels/maxpool2x2.h"

namespace mnist::kernels {

namespace {

template <bool kRecordArgmax>
void maxpool2x2(float* out, std::int32_t* argmax, const float* in, int b0, int b1, int H, int W,
                int C) {
  const int Ho = (H + 1) / 2, Wo = (W + 1) / 2;
  const int vector_end = C / 4 * 4;
  const simde_v128_t lanes = simde_wasm_i32x4_make(0, 1, 2, 3);
  for (int b = b0; b < b1; ++b) {
    for (int oy = 0; oy < Ho; ++oy) {
      for (int ox = 0; ox < Wo; ++ox) {
        const std::size_t o = ((static_cast<std::size_t>(b) * Ho + oy) * Wo + ox) * C;
        // The window's pixels in (dy, dx) order, first one first.
        std::size_t pixels[4];
        int count = 0;
        for (int dy = 0; dy < 2; ++dy) {
          for (int dx = 0; dx < 2; ++dx) {
            const int y = 2 * oy + dy, x = 2 * ox + dx;
            if (y < H && x < W)
              pixels[count++] = ((static_cast<std::size_t>(b) * H + y) * W + x) * C;
          }
        }
        for (int c = 0; c < vector_end; c += 4) {
          simde_v128_t best = simde_wasm_v128_load(in + pixels[0] + c);
          simde_v128_t index = simde_wasm_i32x4_add(
              simde_wasm_i32x4_splat(static_cast<std::int32_t>(pixels[0] + c)), lanes);
          for (int p = 1; p < count; ++p) {
            const simde_v128_t v = simde_wasm_v128_load(in + pixels[p] + c);
            const simde_v128_t wins = simde_wasm_f32x4_gt(v, best);  // false for NaN: it never wins
            best = simde_wasm_v128_bitselect(v, best, wins);
            if constexpr (kRecordArgmax) {
              const simde_v128_t at = simde_wasm_i32x4_add(
                  simde_wasm_i32x4_splat(static_cast<std::int32_t>(pixels[p] + c)), lanes);
              index = simde_wasm_v128_bitselect(at, index, wins);
            }
          }
          simde_wasm_v128_store(out + o + c, best);
          if constexpr (kRecordArgmax) simde_wasm_v128_store(argmax + o + c, index);
        }
        for (int c = vector_end; c < C; ++c) {
          float best = in[pixels[0] + c];
          std::int32_t index = static_cast<std::int32_t>(pixels[0] + c);
          for (int p = 1; p < count; ++p) {
            if (in[pixels[p] + c] > best) {
              best = in[pixels[p] + c];
              index = static_cast<std::int32_t>(pixels[p] + c);
            }
          }
          out[o + c] = best;
          if constexpr (kRecordArgmax) argmax[o + c] = index;
        }
      }
    }
  }
}

}  // namespace

void f32_maxpool2x2_simd128(float* out, std::int32_t* argmax, const float* in, int b0, int b1,
                            int H, int W, int C) {
  if (argmax) return maxpool2x2<true>(out, argmax, in, b0, b1, H, W, C);
  maxpool2x2<false>(out, nullptr, in, b0, b1, H, W, C);
}

}  // namespace mnist::kernels

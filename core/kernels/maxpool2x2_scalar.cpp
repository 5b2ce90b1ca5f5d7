// Scalar twin of maxpool2x2.h.
#include <cstddef>

#include "kernels/maxpool2x2.h"

namespace mnist::kernels {

void f32_maxpool2x2_scalar(float* out, std::int32_t* argmax, const float* in, int b0, int b1, int H,
                           int W, int C) {
  const int Ho = (H + 1) / 2, Wo = (W + 1) / 2;
  for (int b = b0; b < b1; ++b) {
    for (int oy = 0; oy < Ho; ++oy) {
      for (int ox = 0; ox < Wo; ++ox) {
        const std::size_t o = ((static_cast<std::size_t>(b) * Ho + oy) * Wo + ox) * C;
        const std::size_t first = ((static_cast<std::size_t>(b) * H + 2 * oy) * W + 2 * ox) * C;
        for (int c = 0; c < C; ++c) {
          out[o + c] = in[first + c];
          if (argmax) argmax[o + c] = static_cast<std::int32_t>(first + c);
        }
        for (int dy = 0; dy < 2; ++dy) {
          const int y = 2 * oy + dy;
          if (y >= H) continue;
          for (int dx = 0; dx < 2; ++dx) {
            const int x = 2 * ox + dx;
            if (x >= W || (dy == 0 && dx == 0)) continue;
            const std::size_t i = ((static_cast<std::size_t>(b) * H + y) * W + x) * C;
            for (int c = 0; c < C; ++c) {
              if (in[i + c] > out[o + c]) {
                out[o + c] = in[i + c];
                if (argmax) argmax[o + c] = static_cast<std::int32_t>(i + c);
              }
            }
          }
        }
      }
    }
  }
}

}  // namespace mnist::kernels

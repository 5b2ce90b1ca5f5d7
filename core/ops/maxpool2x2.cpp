#include "ops/maxpool2x2.h"

#include <cstddef>

namespace mnist {

void maxpool2x2_forward(float* out, std::int32_t* argmax, const float* in, int B, int H, int W,
                        int C) {
  const int Ho = maxpool2x2_out_size(H);
  const int Wo = maxpool2x2_out_size(W);
  for (int b = 0; b < B; ++b) {
    for (int oy = 0; oy < Ho; ++oy) {
      for (int ox = 0; ox < Wo; ++ox) {
        const std::size_t o = ((static_cast<std::size_t>(b) * Ho + oy) * Wo + ox) * C;
        const std::size_t first = ((static_cast<std::size_t>(b) * H + 2 * oy) * W + 2 * ox) * C;
        for (int c = 0; c < C; ++c) {
          out[o + c] = in[first + c];
          argmax[o + c] = static_cast<std::int32_t>(first + c);
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
                argmax[o + c] = static_cast<std::int32_t>(i + c);
              }
            }
          }
        }
      }
    }
  }
}

void maxpool2x2_backward(float* din, const float* dout, const std::int32_t* argmax, int B, int Ho,
                         int Wo, int C) {
  const std::size_t n = static_cast<std::size_t>(B) * Ho * Wo * C;
  for (std::size_t o = 0; o < n; ++o) din[argmax[o]] += dout[o];
}

}  // namespace mnist

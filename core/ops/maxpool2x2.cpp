#include "ops/maxpool2x2.h"

#include <cstddef>

#include "parallel/thread_pool.h"

namespace mnist {

namespace {

// Work per image, for deciding how many images make a chunk worth a thread.
double pool_cost(int H, int W, int C) { return 2.0 * H * W * C; }

}  // namespace

void maxpool2x2_forward(float *out, std::int32_t *argmax, const float *in, int B, int H, int W,
                        int C) {
  const int Ho = maxpool2x2_out_size(H);
  const int Wo = maxpool2x2_out_size(W);
  parallel::parallel_for(B, parallel::min_chunk_for(pool_cost(H, W, C)), 1, [&](int b0, int b1) {
    for (int b = b0; b < b1; ++b) {
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
  });
}

// Each image's winners lie in that image, so images are routed in parallel.
void maxpool2x2_backward(float *din, const float *dout, const std::int32_t *argmax, int B, int Ho,
                         int Wo, int C) {
  const std::size_t per_image = static_cast<std::size_t>(Ho) * Wo * C;
  parallel::parallel_for(B, parallel::min_chunk_for(pool_cost(2 * Ho, 2 * Wo, C)), 1,
                         [&](int b0, int b1) {
                           for (std::size_t o = b0 * per_image; o < b1 * per_image; ++o)
                             din[argmax[o]] += dout[o];
                         });
}

}  // namespace mnist

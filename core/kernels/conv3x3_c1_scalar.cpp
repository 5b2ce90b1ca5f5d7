// Scalar twin of conv3x3_c1.h.
#include <cstddef>

#include "kernels/conv3x3_c1.h"

namespace mnist::kernels {

void f32_conv3x3_c1_scalar(float* out, const float* in, const float* weight, const float* bias,
                           int b0, int b1, int H, int W, int Co) {
  for (int b = b0; b < b1; ++b) {
    const float* image = in + static_cast<std::size_t>(b) * H * W;
    for (int y = 0; y < H; ++y) {
      for (int x = 0; x < W; ++x) {
        float* o = out + ((static_cast<std::size_t>(b) * H + y) * W + x) * Co;
        for (int co = 0; co < Co; ++co) {
          float sum = bias[co];
          for (int k = 0; k < 9; ++k) {
            const int sy = y + k / 3 - 1, sx = x + k % 3 - 1;
            const float tap = (sy < 0 || sy >= H || sx < 0 || sx >= W) ? 0.0f : image[sy * W + sx];
            sum += weight[co * 9 + k] * tap;
          }
          o[co] = sum;
        }
      }
    }
  }
}

}  // namespace mnist::kernels

// Scalar twin of conv3x3_c1_relu_pool.h, and the input transform both share.
#include <cstddef>

#include "kernels/conv3x3_c1_relu_pool.h"
#include "kernels/winograd_f2x3.h"

namespace mnist::kernels {

void winograd_f2x3_one_channel_tile(float v[16], const float* image, int y0, int x0, int H,
                                    int W) {
  float d[16];
  if (y0 >= 1 && x0 >= 1 && y0 + 2 < H && x0 + 2 < W) {  // inside the image: most windows
    const float* patch = image + (y0 - 1) * W + (x0 - 1);
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 4; ++j) d[4 * i + j] = patch[i * W + j];
  } else {
    int taps[16];
    winograd_f2x3_tile_taps(taps, y0, x0, H, W);
    for (int e = 0; e < 16; ++e) d[e] = taps[e] < 0 ? 0.0f : image[taps[e]];
  }
  winograd_f2x3_input_tile(d, v);
}

float conv3x3_c1_relu_pool_channel(const float v[16], const float* u, std::size_t u_stride,
                                    float bias, bool second_row, bool second_column) {
  float m[16];
  for (int e = 0; e < 16; ++e) m[e] = u[e * u_stride] * v[e];
  float at_m[2][4];  // A^T m
  for (int j = 0; j < 4; ++j) {
    at_m[0][j] = (m[j] + m[4 + j]) + m[8 + j];
    at_m[1][j] = (m[4 + j] - m[8 + j]) - m[12 + j];
  }
  float y[2][2];  // (A^T m) A + bias
  for (int i = 0; i < 2; ++i) {
    const float* s = at_m[i];
    y[i][0] = ((s[0] + s[1]) + s[2]) + bias;
    y[i][1] = ((s[1] - s[2]) - s[3]) + bias;
  }
  float best = y[0][0];
  if (second_column && y[0][1] > best) best = y[0][1];
  if (second_row && y[1][0] > best) best = y[1][0];
  if (second_row && second_column && y[1][1] > best) best = y[1][1];
  return best < 0.0f ? 0.0f : best;
}

void f32_conv3x3_c1_relu_pool_scalar(float* out, const float* in, const float* U,
                                     std::size_t u_stride, const float* bias, int b0, int b1,
                                     int H, int W, int Co) {
  const int Ho = (H + 1) / 2, Wo = (W + 1) / 2;
  for (int b = b0; b < b1; ++b) {
    const float* image = in + static_cast<std::size_t>(b) * H * W;
    for (int oy = 0; oy < Ho; ++oy) {
      for (int ox = 0; ox < Wo; ++ox) {
        float v[16];
        winograd_f2x3_one_channel_tile(v, image, 2 * oy, 2 * ox, H, W);
        const bool second_row = 2 * oy + 1 < H, second_column = 2 * ox + 1 < W;
        float* o = out + ((static_cast<std::size_t>(b) * Ho + oy) * Wo + ox) * Co;
        for (int c = 0; c < Co; ++c)
          o[c] = conv3x3_c1_relu_pool_channel(v, U + c, u_stride, bias[c], second_row, second_column);
      }
    }
  }
}

}  // namespace mnist::kernels

// The weight transform, the tiles' geometry, and the reference twins of
// winograd_f4x3.h: one channel at a time, in the SIMD twins' order.
#include <cstddef>

#include "kernels/winograd_f4x3.h"
#include "kernels/winograd_f4x3_steps.h"

namespace mnist::kernels {

namespace {

// u = G g for one column g of three taps.
void weight_step(const float g[3], float u[6]) {
  const float g02 = g[0] + g[2];
  const float e = g[0] * (1.0f / 24) + g[2] * (1.0f / 6), f = g[1] * (1.0f / 12);
  u[0] = g[0] * (1.0f / 4);
  u[1] = (g02 + g[1]) * (-1.0f / 6);
  u[2] = (g02 - g[1]) * (-1.0f / 6);
  u[3] = e + f;
  u[4] = e - f;
  u[5] = g[2];
}

// The offsets (in pixels from the image's start) of the 6x6 input of the
// tile whose first output pixel is (y0, x0), or -1 outside the image. (The
// SIMD twin finds them a row of a band at a time.)
void tile_taps(int taps[36], int y0, int x0, int H, int W) {
  for (int i = 0; i < 6; ++i) {
    for (int j = 0; j < 6; ++j) {
      const int y = y0 - 1 + i, x = x0 - 1 + j;
      taps[6 * i + j] = y >= 0 && y < H && x >= 0 && x < W ? y * W + x : -1;
    }
  }
}

}  // namespace

void winograd_f4x3_transform_weights(float* U, std::size_t stride, const float* weight, int Ci,
                                     int Co) {
  // Once per training step (the layer keeps it for predictions): each of
  // the 36 matrices is written in order, input channels innermost.
  for (int co = 0; co < Co; ++co) {
    const float* g = weight + static_cast<std::size_t>(co) * 9 * Ci;  // g[(3 ky + kx) Ci + ci]
    float* u = U + static_cast<std::size_t>(co) * Ci;
    for (int ci = 0; ci < Ci; ++ci) {
      float gg[3][6];  // G g: six rows by three columns, stored by column
      for (int kx = 0; kx < 3; ++kx) {
        const float column[3] = {g[kx * Ci + ci], g[(3 + kx) * Ci + ci], g[(6 + kx) * Ci + ci]};
        weight_step(column, gg[kx]);
      }
      for (int i = 0; i < 6; ++i) {  // (G g) G^T
        const float row[3] = {gg[0][i], gg[1][i], gg[2][i]};
        float v[6];
        weight_step(row, v);
        for (int j = 0; j < 6; ++j) u[(6 * i + j) * stride + ci] = v[j];
      }
    }
  }
}

void winograd_f4x3_transform_input_scalar(float* V, std::size_t stride, const float* in, int n,
                                          int H, int W, int Ci) {
  using Ops = f4x3::ScalarOps;
  for_each_winograd_f4x3_tile(n, H, W, [&](int b, int tile, int y0, int x0) {
    const float* image = in + static_cast<std::size_t>(b) * H * W * Ci;
    int taps[36];
    tile_taps(taps, y0, x0, H, W);
    float* row = V + static_cast<std::size_t>(tile) * Ci;
    for (int c = 0; c < Ci; ++c) {
      float h[6][6];  // d B, by input row
      for (int i = 0; i < 6; ++i) {
        float d[6];
        for (int j = 0; j < 6; ++j) {
          const int tap = taps[6 * i + j];
          d[j] = tap < 0 ? 0.0f : image[static_cast<std::size_t>(tap) * Ci + c];
        }
        f4x3::input_step<Ops>(d, h[i]);
      }
      for (int k = 0; k < 6; ++k) {  // B^T (d B), by column
        const float s[6] = {h[0][k], h[1][k], h[2][k], h[3][k], h[4][k], h[5][k]};
        float v[6];
        f4x3::input_step<Ops>(s, v);
        for (int i = 0; i < 6; ++i) row[(6 * i + k) * stride + c] = v[i];
      }
    }
  });
}

void winograd_f4x3_transform_output_scalar(float* out, const float* M, std::size_t stride,
                                           const float* bias, int n, int H, int W, int Co) {
  using Ops = f4x3::ScalarOps;
  for_each_winograd_f4x3_tile(n, H, W, [&](int b, int tile, int y0, int x0) {
    float* image = out + static_cast<std::size_t>(b) * H * W * Co;
    const float* row = M + static_cast<std::size_t>(tile) * Co;
    for (int c = 0; c < Co; ++c) {
      float s[6][4];  // A^T m, by column
      for (int j = 0; j < 6; ++j) {
        float m[6];
        for (int i = 0; i < 6; ++i) m[i] = row[(6 * i + j) * stride + c];
        f4x3::output_step<Ops>(m, s[j]);
      }
      for (int i = 0; i < 4; ++i) {  // (A^T m) A + bias
        const float r[6] = {s[0][i], s[1][i], s[2][i], s[3][i], s[4][i], s[5][i]};
        float y[4];
        f4x3::output_step<Ops>(r, y);
        for (int j = 0; j < 4; ++j) {
          if (y0 + i < H && x0 + j < W)
            image[(static_cast<std::size_t>(y0 + i) * W + x0 + j) * Co + c] = y[j] + bias[c];
        }
      }
    }
  });
}

}  // namespace mnist::kernels

// The weight transform, the tiles' geometry, and the reference twins of
// winograd_f2x3.h: one channel at a time, in the SIMD twins' order.
#include <cstddef>

#include "kernels/winograd_f2x3.h"

namespace mnist::kernels {

void winograd_f2x3_transform_weights(float* U, std::size_t stride, const float* weight, int Ci,
                                     int Co) {
  // Input channels innermost: the nine taps are read, and each of the 16
  // matrices written, in order, and the compiler vectorises the loop.
  for (int co = 0; co < Co; ++co) {
    const float* g = weight + static_cast<std::size_t>(co) * 9 * Ci;  // g[(3 ky + kx) Ci + ci]
    float* u = U + static_cast<std::size_t>(co) * Ci;
    for (int ci = 0; ci < Ci; ++ci) {
      float r[4][3];  // G g
      for (int kx = 0; kx < 3; ++kx) {
        const float g0 = g[kx * Ci + ci], g1 = g[(3 + kx) * Ci + ci], g2 = g[(6 + kx) * Ci + ci];
        r[0][kx] = g0;
        r[1][kx] = 0.5f * ((g0 + g1) + g2);
        r[2][kx] = 0.5f * ((g0 - g1) + g2);
        r[3][kx] = g2;
      }
      for (int i = 0; i < 4; ++i) {  // (G g) G^T
        u[(4 * i + 0) * stride + ci] = r[i][0];
        u[(4 * i + 1) * stride + ci] = 0.5f * ((r[i][0] + r[i][1]) + r[i][2]);
        u[(4 * i + 2) * stride + ci] = 0.5f * ((r[i][0] - r[i][1]) + r[i][2]);
        u[(4 * i + 3) * stride + ci] = r[i][2];
      }
    }
  }
}

void winograd_f2x3_input_tile(const float d[16], float v[16]) {
  float bt_d[4][4];  // B^T d
  for (int j = 0; j < 4; ++j) {
    bt_d[0][j] = d[j] - d[8 + j];
    bt_d[1][j] = d[4 + j] + d[8 + j];
    bt_d[2][j] = d[8 + j] - d[4 + j];
    bt_d[3][j] = d[4 + j] - d[12 + j];
  }
  for (int i = 0; i < 4; ++i) {  // (B^T d) B
    const float* s = bt_d[i];
    v[4 * i + 0] = s[0] - s[2];
    v[4 * i + 1] = s[1] + s[2];
    v[4 * i + 2] = s[2] - s[1];
    v[4 * i + 3] = s[1] - s[3];
  }
}

void winograd_f2x3_tile_taps(int taps[16], int y0, int x0, int H, int W) {
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) {
      const int y = y0 - 1 + i, x = x0 - 1 + j;
      taps[4 * i + j] = y >= 0 && y < H && x >= 0 && x < W ? y * W + x : -1;
    }
  }
}

void winograd_f2x3_transform_input_scalar(float* V, std::size_t stride, const float* in, int n,
                                          int H, int W, int Ci) {
  for_each_winograd_f2x3_tile(n, H, W, [&](int b, int tile, int y0, int x0) {
    const float* image = in + static_cast<std::size_t>(b) * H * W * Ci;
    int taps[16];
    winograd_f2x3_tile_taps(taps, y0, x0, H, W);
    float* row = V + static_cast<std::size_t>(tile) * Ci;
    for (int c = 0; c < Ci; ++c) {
      float d[16], v[16];
      for (int e = 0; e < 16; ++e)
        d[e] = taps[e] < 0 ? 0.0f : image[static_cast<std::size_t>(taps[e]) * Ci + c];
      winograd_f2x3_input_tile(d, v);
      for (int e = 0; e < 16; ++e) row[e * stride + c] = v[e];
    }
  });
}

void winograd_f2x3_transform_output_scalar(float* out, const float* M, std::size_t stride,
                                           const float* bias, int n, int H, int W, int Co) {
  for_each_winograd_f2x3_tile(n, H, W, [&](int b, int tile, int y0, int x0) {
    float* image = out + static_cast<std::size_t>(b) * H * W * Co;
    const float* row = M + static_cast<std::size_t>(tile) * Co;
    for (int c = 0; c < Co; ++c) {
      float m[4][4];
      for (int e = 0; e < 16; ++e) m[e / 4][e % 4] = row[e * stride + c];
      float at_m[2][4];  // A^T m
      for (int j = 0; j < 4; ++j) {
        at_m[0][j] = (m[0][j] + m[1][j]) + m[2][j];
        at_m[1][j] = (m[1][j] - m[2][j]) - m[3][j];
      }
      for (int i = 0; i < 2; ++i) {  // (A^T m) A + bias
        const float* s = at_m[i];
        const float y[2] = {((s[0] + s[1]) + s[2]) + bias[c], ((s[1] - s[2]) - s[3]) + bias[c]};
        for (int j = 0; j < 2; ++j) {
          if (y0 + i < H && x0 + j < W)
            image[(static_cast<std::size_t>(y0 + i) * W + x0 + j) * Co + c] = y[j];
        }
      }
    }
  });
}

}  // namespace mnist::kernels

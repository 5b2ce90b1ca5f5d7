// The weight transform, one tile's input transform and the tiles' geometry
// of winograd_f2x3.h.
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

}  // namespace mnist::kernels

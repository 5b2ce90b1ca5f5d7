#include "ops/conv2d.h"

#include <cstring>

#include "kernels/gemm_nt.h"
#include "kernels/gemm_strided_a.h"
#include "ops/eigen_views.h"

namespace mnist {

void conv2d_3x3_im2col(float* cols, const float* in, int B, int H, int W, int Ci) {
  const std::size_t row = 9 * static_cast<std::size_t>(Ci);
  for (int b = 0; b < B; ++b) {
    const float* image = in + static_cast<std::size_t>(b) * H * W * Ci;
    for (int y = 0; y < H; ++y) {
      for (int x = 0; x < W; ++x) {
        float* dst = cols + ((static_cast<std::size_t>(b) * H + y) * W + x) * row;
        for (int ky = 0; ky < 3; ++ky) {
          const int sy = y + ky - 1;
          for (int kx = 0; kx < 3; ++kx) {
            const int sx = x + kx - 1;
            float* patch = dst + (ky * 3 + kx) * Ci;
            if (sy < 0 || sy >= H || sx < 0 || sx >= W) {
              std::memset(patch, 0, sizeof(float) * Ci);
            } else {
              std::memcpy(patch, image + (static_cast<std::size_t>(sy) * W + sx) * Ci,
                          sizeof(float) * Ci);
            }
          }
        }
      }
    }
  }
}

void conv2d_3x3_col2im_add(float* din, const float* dcols, int B, int H, int W, int Ci) {
  const std::size_t row = 9 * static_cast<std::size_t>(Ci);
  for (int b = 0; b < B; ++b) {
    float* image = din + static_cast<std::size_t>(b) * H * W * Ci;
    for (int y = 0; y < H; ++y) {
      for (int x = 0; x < W; ++x) {
        const float* src = dcols + ((static_cast<std::size_t>(b) * H + y) * W + x) * row;
        for (int ky = 0; ky < 3; ++ky) {
          const int sy = y + ky - 1;
          if (sy < 0 || sy >= H) continue;
          for (int kx = 0; kx < 3; ++kx) {
            const int sx = x + kx - 1;
            if (sx < 0 || sx >= W) continue;
            const float* patch = src + (ky * 3 + kx) * Ci;
            float* pixel = image + (static_cast<std::size_t>(sy) * W + sx) * Ci;
            for (int c = 0; c < Ci; ++c) pixel[c] += patch[c];
          }
        }
      }
    }
  }
}

void conv2d_forward(float* out, float* cols, const float* in, const float* weight,
                    const float* bias, int B, int H, int W, int Ci, int Co) {
  const int P = B * H * W;
  const int K = 9 * Ci;
  conv2d_3x3_im2col(cols, in, B, H, W, Ci);
#ifdef MNIST_GEMM_SIMD128  // WebAssembly: see kernels/gemm_nt.h
  kernels::f32_gemm_nt_bias_simd128(out, cols, weight, bias, P, Co, K);
  return;
#endif
  MatrixView out_m(out, P, Co);
  out_m.noalias() = ConstMatrixView(cols, P, K) * ConstMatrixView(weight, Co, K).transpose();
  out_m.rowwise() += Eigen::Map<const Eigen::RowVectorXf>(bias, Co);
}

void conv2d_backward(float* din, float* dweight, float* dbias, float* dcols, const float* dout,
                     const float* cols, const float* weight, int B, int H, int W, int Ci, int Co) {
  const int P = B * H * W;
  const int K = 9 * Ci;
  ConstMatrixView dout_m(dout, P, Co);
  Eigen::Map<Eigen::RowVectorXf>(dbias, Co) += dout_m.colwise().sum();
#ifdef MNIST_GEMM_SIMD128  // WebAssembly: see kernels/gemm_strided_a.h
  kernels::f32_gemm_strided_a_simd128(dweight, dout, 1, Co, cols, Co, K, P, true);
  if (din) {
    kernels::f32_gemm_strided_a_simd128(dcols, dout, Co, 1, weight, P, K, Co, false);
    conv2d_3x3_col2im_add(din, dcols, B, H, W, Ci);
  }
  return;
#endif
  MatrixView(dweight, Co, K).noalias() += dout_m.transpose() * ConstMatrixView(cols, P, K);
  if (din) {
    MatrixView(dcols, P, K).noalias() = dout_m * ConstMatrixView(weight, Co, K);
    conv2d_3x3_col2im_add(din, dcols, B, H, W, Ci);
  }
}

}  // namespace mnist

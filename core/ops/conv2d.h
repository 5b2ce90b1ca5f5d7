// 3x3 convolution, stride 1, SAME padding (one zero pixel on each side), any
// channel counts. Forward is computed directly for one input channel and
// with Winograd's F(4x4, 3x3) for more (ops/conv2d_winograd.h); backward as
// im2col + matrix products (see tensor.h for why NHWC makes that
// transpose-free).
#pragma once

#include <algorithm>
#include <cstddef>

namespace mnist {

// Size in floats of the im2col workspace: (B*H*W, 9*Ci).
inline std::size_t conv2d_3x3_cols_size(int B, int H, int W, int Ci) {
  return static_cast<std::size_t>(B) * H * W * 9 * Ci;
}

// cols (B*H*W, 9*Ci): row p holds the 3x3xCi patch around pixel p, zeros
// outside the image; column order (ky, kx, ci) matches weight (Co,3,3,Ci).
void conv2d_3x3_im2col(float* cols, const float* in, int B, int H, int W, int Ci);

// Backward's products run a few images at a time, so that the patches one
// product reads (or dcols it writes) are still in cache: the second layer's products ran at 33 GFLOP/s on 4 images
// and 24 on 128 (wasm, one thread).
int conv2d_images_per_product(int H, int W, int Ci);
// Backward deals the batch's chunks of conv2d_images_per_product() images into
// this many slots, which threads take whole (see conv2d.cpp): at most as many
// threads as slots share a layer's backward.
constexpr int kConvBackwardSlots = 8;

// Forward runs directly with one input channel (kernels/conv3x3_c1.h) and by
// Winograd with more: only then does it use winograd_weights, below.
inline bool conv2d_forward_uses_winograd(int Ci) { return Ci > 1; }

// out (B,H,W,Co) = conv(in (B,H,W,Ci), weight (Co,3,3,Ci)) + bias (Co).
// winograd_weights is nullptr or, with more than one input channel,
// winograd_transform_weights() of weight (ops/conv2d_winograd.h).
void conv2d_forward(float* out, const float* in, const float* weight, const float* bias, int B,
                    int H, int W, int Ci, int Co, const float* winograd_weights = nullptr);

// Accumulates (+=) into dweight (Co,3,3,Ci) and dbias (Co), and writes din
// (B,H,W,Ci) unless it is nullptr. in is forward's input: backward makes the
// patches of a few images at a time again from it.
void conv2d_backward(float* din, float* dweight, float* dbias, const float* dout, const float* in,
                     const float* weight, int B, int H, int W, int Ci, int Co);

}  // namespace mnist

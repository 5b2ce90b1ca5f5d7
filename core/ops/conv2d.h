// 3x3 convolution, stride 1, SAME padding (one zero pixel on each side), any
// channel counts. Forward is computed directly for one input channel and
// with Winograd's F(4x4, 3x3) for more (ops/conv2d_winograd.h); backward as
// im2col + matrix products (see tensor.h for why NHWC makes that
// transpose-free).
#pragma once

#include <algorithm>
#include <cstddef>

#include "workspace.h"

namespace mnist {

// Size in floats of the im2col workspace: (B*H*W, 9*Ci).
inline std::size_t conv2d_3x3_cols_size(int B, int H, int W, int Ci) {
  return static_cast<std::size_t>(B) * H * W * 9 * Ci;
}

// cols (B*H*W, 9*Ci): row p holds the 3x3xCi patch around pixel p, zeros
// outside the image; column order (ky, kx, ci) matches weight (Co,3,3,Ci).
void conv2d_3x3_im2col(float* cols, const float* in, int B, int H, int W, int Ci, Workspace& ws);
ScratchSize conv2d_3x3_im2col_scratch(int H, int W, int Ci);

// Backward's products run a few images at a time, so that the patches one
// product reads (or dcols it writes) are still in cache: the second layer's products ran at 33 GFLOP/s on 4 images
// and 24 on 128 (wasm, one thread).
int conv2d_images_per_product(int H, int W, int Ci);
// Backward deals the batch's chunks of conv2d_images_per_product() images into
// this many slots, which threads take whole (see conv2d.cpp): at most as many
// threads as slots share a layer's backward.
constexpr int kConvBackwardSlots = 8;

// out (B,H,W,Co) = conv(in (B,H,W,1), weight (Co,3,3,1)) + bias (Co),
// directly (kernels/conv3x3_c1.h): one input channel. More channels run by
// Winograd (ops/conv2d_winograd.h).
void conv2d_direct_c1(float* out, const float* in, const float* weight, const float* bias, int B, int H, int W,
                      int Co, Workspace& ws);
ScratchSize conv2d_direct_c1_scratch(int Co);

// Accumulates (+=) into dweight (Co,3,3,Ci) and dbias (Co), and writes din
// (B,H,W,Ci) unless it is nullptr. in is forward's input: backward makes the
// patches of a few images at a time again from it.
void conv2d_backward(float* din, float* dweight, float* dbias, const float* dout, const float* in,
                     const float* weight, int B, int H, int W, int Ci, int Co, Workspace& ws);
ScratchSize conv2d_backward_scratch(int B, int H, int W, int Ci, int Co, bool with_din);

}  // namespace mnist

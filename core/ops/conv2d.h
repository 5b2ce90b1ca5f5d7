// 3x3 convolution, stride 1, SAME padding (one zero pixel on each side), any
// channel counts. Forward is computed directly for one input channel and
// with Winograd's F(2x2, 3x3) for more (ops/conv2d_winograd.h); backward as
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

// din (B,H,W,Ci) += the patches of dcols folded back onto their pixels.
void conv2d_3x3_col2im_add(float* din, const float* dcols, int B, int H, int W, int Ci);

// Backward's products for more than one input channel run a few images at
// a time, so that the patches one product reads (or dcols it writes) are
// still in cache: the second layer's products ran at 33 GFLOP/s on 4 images
// and 24 on 128 (wasm, one thread).
int conv2d_images_per_product(int H, int W, int Ci);
// Backward's products leave out the zeros of dout (ops/matmul.h), and four
// images of the second layer are then too little work to split between
// threads. On two threads a chunk's two products run side by side; on more,
// backward's chunks are as many times larger as there are threads. The sums
// come out the same, bit for bit, whatever the chunk.
int conv2d_images_per_backward_product(int H, int W, int Ci);
inline std::size_t conv2d_backward_chunk_cols_size(int B, int H, int W, int Ci) {
  return conv2d_3x3_cols_size(std::min(B, conv2d_images_per_backward_product(H, W, Ci)), H, W, Ci);
}

// Forward runs directly with one input channel (kernels/conv3x3_c1.h) and by
// Winograd with more: only then does it use winograd_weights, below.
inline bool conv2d_forward_uses_winograd(int Ci) { return Ci > 1; }

// out (B,H,W,Co) = conv(in (B,H,W,Ci), weight (Co,3,3,Ci)) + bias (Co).
// With one input channel, cols is nullptr or holds conv2d_3x3_cols_size()
// floats: the patches backward reads (training). With more it is not used
// (backward makes its patches again). winograd_weights is nullptr or, with
// more than one input channel, winograd_transform_weights() of weight
// (ops/conv2d_winograd.h).
void conv2d_forward(float* out, float* cols, const float* in, const float* weight,
                    const float* bias, int B, int H, int W, int Ci, int Co,
                    const float* winograd_weights = nullptr);

// Accumulates (+=): dweight (Co,3,3,Ci), dbias (Co), and din (B,H,W,Ci) unless
// din is nullptr. in is forward's input. With one input channel, cols must
// still hold forward's patches of in; with more, backward makes each chunk's
// patches in it again, and it holds conv2d_backward_chunk_cols_size() floats.
// dcols is a workspace of conv2d_backward_chunk_cols_size() floats (unused
// without din).
void conv2d_backward(float* din, float* dweight, float* dbias, float* dcols, float* cols,
                     const float* dout, const float* in, const float* weight, int B, int H, int W,
                     int Ci, int Co);

}  // namespace mnist

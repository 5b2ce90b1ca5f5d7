// The forward pass of a 3x3 convolution (stride 1, SAME) with Winograd's
// F(4x4, 3x3) (kernels/winograd_f4x3.h), used where the input has more than
// one channel: the tutorial CNN's second layer takes 3.6 million
// multiply-adds per image by im2col + one product, 1.6 million with
// F(2x2, 3x3) and 1.18 million here. Measured on that layer (native SSE, one
// thread): one image 144 -> 124 us, 250 images 35.3 -> 31.6 ms against
// F(2x2, 3x3). Results differ from the direct sum by rounding only (the
// transforms add and scale a few terms before the products).
#pragma once

#include <cstddef>

namespace mnist {

// The weights' transform, which every forward pass needs: 36 matrices
// (Co,Ci), or with one input channel F(2x2, 3x3)'s 16 for the first layer's
// fused kernel (conv2d_3x3_c1_relu_pool_predict).
// A model that only predicts makes it once (Conv2dLayer::prepare_inference):
// on every drawing it took 0.04 ms of the second layer's 0.3.
std::size_t winograd_weights_size(int Ci, int Co);
void winograd_transform_weights(float* transformed, const float* weight, int Ci, int Co);

// out (B,H,W,Co) = conv(in (B,H,W,Ci), weight (Co,3,3,Ci)) + bias (Co).
// transformed is winograd_transform_weights() of weight, or nullptr to make
// it here. Workspaces are the calling thread's own and grow once, like the
// products' packing buffers.
void conv2d_3x3_winograd_forward(float* out, const float* in, const float* weight,
                                 const float* transformed, const float* bias, int B, int H, int W,
                                 int Ci, int Co);

// A prediction's first block when its input has one channel: out (B,
// ceil(H/2), ceil(W/2), Co) = max(0, maxpool2x2(conv(in (B,H,W,1)) + bias)),
// each pooling window one Winograd tile (kernels/conv3x3_c1_relu_pool.h).
// transformed as above (Ci = 1) or nullptr.
void conv2d_3x3_c1_relu_pool_predict(float* out, const float* in, const float* weight,
                                     const float* transformed, const float* bias, int B, int H,
                                     int W, int Co);

}  // namespace mnist

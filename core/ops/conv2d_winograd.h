// The forward pass of a 3x3 convolution (stride 1, SAME) with Winograd's
// F(2x2, 3x3) (kernels/winograd_f2x3.h): 2.25x fewer multiplies than im2col
// + one product, used where the input has more than one channel (the
// tutorial CNN's second layer: 3.6 million multiply-adds per image by
// im2col, 1.6 million here). Results differ from the direct sum by rounding
// only (the transforms add and subtract a few terms before the products).
#pragma once

#include <cstddef>

namespace mnist {

// The weights' transform, which every forward pass needs: 16 matrices (Co,Ci).
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

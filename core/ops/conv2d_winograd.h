// The forward pass of a 3x3 convolution (stride 1, SAME) with Winograd's
// F(4x4, 3x3) (kernels/winograd_f4x3.h), used where the input has more than
// one channel: a third of im2col's multiply-adds for the tutorial CNN's
// second layer. Results differ from the direct sum by rounding only (the
// transforms add and scale a few terms before the products).
#pragma once

#include <cstddef>

#include "workspace.h"

namespace mnist {

// The weights' transform, which every forward pass needs: 36 matrices
// (Co,Ci), or with one input channel F(2x2, 3x3)'s 16 for the first layer's
// fused kernel (conv2d_3x3_c1_relu_pool_predict).
// A model that only predicts makes it once (Conv2dLayer::prepare_inference)
// rather than on every drawing.
std::size_t winograd_weights_size(int Ci, int Co);
void winograd_transform_weights(float* transformed, const float* weight, int Ci, int Co);

// out (B,H,W,Co) = conv(in (B,H,W,Ci), weight (Co,3,3,Ci)) + bias (Co).
// transformed is winograd_transform_weights() of weight, or nullptr to make
// it here, in the shared scratch.
void conv2d_3x3_winograd_forward(float* out, const float* in, const float* weight,
                                 const float* transformed, const float* bias, int B, int H, int W,
                                 int Ci, int Co, Workspace& ws);
ScratchSize conv2d_3x3_winograd_forward_scratch(int B, int H, int W, int Ci, int Co, bool weights_kept);

// A prediction's first block when its input has one channel: out (B,
// ceil(H/2), ceil(W/2), Co) = max(0, maxpool2x2(conv(in (B,H,W,1)) + bias)),
// each pooling window one Winograd tile (kernels/conv3x3_c1_relu_pool.h).
// transformed as above (Ci = 1) or nullptr.
void conv2d_3x3_c1_relu_pool_predict(float* out, const float* in, const float* weight,
                                     const float* transformed, const float* bias, int B, int H,
                                     int W, int Co, Workspace& ws);
ScratchSize conv2d_3x3_c1_relu_pool_predict_scratch(int Co, bool weights_kept);

}  // namespace mnist

// The forward pass of a 3x3 convolution (stride 1, SAME) with Winograd's
// F(2x2, 3x3) (kernels/winograd_f2x3.h): 2.25x fewer multiplies than im2col
// + one product, used where the input has more than one channel (the
// tutorial CNN's second layer: 3.6 million multiply-adds per image by
// im2col, 1.6 million here). Results differ from the direct sum by rounding
// only (the transforms add and subtract a few terms before the products).
#pragma once

namespace mnist {

// out (B,H,W,Co) = conv(in (B,H,W,Ci), weight (Co,3,3,Ci)) + bias (Co).
// Workspaces are the calling thread's own and grow once, like the products'
// packing buffers.
void conv2d_3x3_winograd_forward(float* out, const float* in, const float* weight,
                                 const float* bias, int B, int H, int W, int Ci, int Co);

}  // namespace mnist

// A 3x3 SAME convolution of a one-channel image (the first layer of the
// CNN), computed directly: as im2col + matrix product its depth would be 9,
// too shallow for the packed kernel's tiles (it ran at a fifth of its speed).
// Each pixel's nine taps are broadcast and multiply the output channels four
// at a time, against weights transposed to (9, Co).
#pragma once

namespace mnist::kernels {

// out (B,H,W,Co) = conv(in (B,H,W,1), weight (Co,3,3,1)) + bias (Co), for
// images [b0, b1) only (so threads can split the batch). scratch: 9 * Co
// floats, 16-byte aligned, for the weights transposed.
void f32_conv3x3_c1_simd128(float* out, const float* in, const float* weight, const float* bias,
                            int b0, int b1, int H, int W, int Co, float* scratch);
void f32_conv3x3_c1_scalar(float* out, const float* in, const float* weight, const float* bias,
                           int b0, int b1, int H, int W, int Co);

}  // namespace mnist::kernels

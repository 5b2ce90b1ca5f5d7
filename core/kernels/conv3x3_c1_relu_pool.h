// A prediction's first block, 3x3 convolution of one channel, ReLU and 2x2
// max-pooling, in one pass. Each pooling window is one tile of Winograd's
// F(2x2, 3x3) (kernels/winograd_f2x3.h): the 16 values of the window's 4x4
// input patch are transformed once for all output channels, each channel
// then takes 16 multiplies for the window's four outputs instead of 36, and
// only the pooled maximum is written, not the four outputs for the pooling
// and ReLU passes to read back.
//
// out (B, ceil(H/2), ceil(W/2), Co) = max(0, maxpool2x2(conv(in) + bias)) for
// images [b0, b1) of in (B,H,W,1). The convolution is Winograd's, so it
// differs from the direct one (kernels/conv3x3_c1.h) by rounding; pooling
// and ReLU are as kernels/maxpool2x2.h and the ReLU layer compute them: the
// window's pixels that exist, in (dy, dx) order, the first winning ties and
// NaN never winning after it, then x < 0 ? 0 : x. Both twins compute each
// channel with the same operations in the same order, so they agree bit for bit.
#pragma once

#include <cstddef>

namespace mnist::kernels {

// U: the weights' transform for one input channel, 16 rows of Co floats,
// u_stride apart (winograd_f2x3_transform_weights with Ci = 1).
void f32_conv3x3_c1_relu_pool_simd128(float* out, const float* in, const float* U,
                                      std::size_t u_stride, const float* bias, int b0, int b1,
                                      int H, int W, int Co);
void f32_conv3x3_c1_relu_pool_scalar(float* out, const float* in, const float* U,
                                     std::size_t u_stride, const float* bias, int b0, int b1,
                                     int H, int W, int Co);

// The transformed input of one window, B^T d B, for the window whose first
// output pixel is (y0, x0) of image `image` (H,W): both twins' first step.
void winograd_f2x3_one_channel_tile(float v[16], const float* image, int y0, int x0, int H, int W);
// One output channel of one window from its transformed input v: the
// scalar twin's every channel and the SIMD twin's last Co % 4. u points at
// the channel's first transformed weight.
float conv3x3_c1_relu_pool_channel(const float v[16], const float* u, std::size_t u_stride,
                                   float bias, bool second_row, bool second_column);

}  // namespace mnist::kernels

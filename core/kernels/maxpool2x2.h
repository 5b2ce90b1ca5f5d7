// Max-pool 2x2, stride 2, SAME (see ops/maxpool2x2.h), for images [b0, b1):
// out (B,Ho,Wo,C), argmax (B,Ho,Wo,C) flat indices into in (B,H,W,C), or
// nullptr when nothing will go backward (a prediction), which leaves out the
// indices' work. On
// ties the first pixel of the window wins; NaN never wins. The SIMD twin
// takes four channels at a time (NHWC keeps them side by side), choosing
// values and indices with one comparison mask.
#pragma once

#include <cstdint>

namespace mnist::kernels {

void f32_maxpool2x2_simd128(float* out, std::int32_t* argmax, const float* in, int b0, int b1,
                            int H, int W, int C);
void f32_maxpool2x2_scalar(float* out, std::int32_t* argmax, const float* in, int b0, int b1, int H,
                           int W, int C);

}  // namespace mnist::kernels

// Max-pool 2x2, stride 2, SAME padding: Ho = ceil(H/2), Wo = ceil(W/2); an odd
// edge pools over the pixels that exist (TensorFlow pads at the end only).
#pragma once

#include <cstdint>

namespace mnist {

inline int maxpool2x2_out_size(int n) { return (n + 1) / 2; }

// out (B,Ho,Wo,C) = max over each 2x2 window of in (B,H,W,C).
// argmax (B,Ho,Wo,C): flat index into in of the winner. On ties the first
// pixel in (dy, dx) order wins: a kink where finite differences disagree.
// argmax may be nullptr: a prediction, which needs no winners.
void maxpool2x2_forward(float* out, std::int32_t* argmax, const float* in, int B, int H, int W,
                        int C);

// din (B,H,W,C) = dout (B,Ho,Wo,C) routed to each window's winner, 0 elsewhere.
void maxpool2x2_backward(float* din, const float* dout, const std::int32_t* argmax, int B, int H,
                         int W, int C);

}  // namespace mnist

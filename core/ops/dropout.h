// Inverted dropout: during training each value is kept with probability
// keep_prob and scaled by 1/keep_prob, so inference needs no rescaling.
// The mask stores the scale (0 or 1/keep_prob), so backward cannot forget it.
#pragma once

#include <cstddef>

#include "rng.h"

namespace mnist {

// Values per block of the mask drawn from one random stream (see dropout.cpp):
// enough random numbers to pay for handing a block to another thread.
constexpr std::size_t kDropoutBlock = 1 << 14;

// mask (n) = keep ? 1/keep_prob : 0;  out (n) = in * mask. Draws one number
// pair from rng whatever n is; the mask is the same on any thread count.
void dropout_forward(float* out, float* mask, const float* in, std::size_t n, float keep_prob,
                     Rng& rng);
// din (n) = dout * mask
void dropout_backward(float* din, const float* dout, const float* mask, std::size_t n);

}  // namespace mnist

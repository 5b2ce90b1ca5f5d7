// Inverted dropout: during training each value is kept with probability
// keep_prob and scaled by 1/keep_prob, so inference needs no rescaling.
// The mask stores the scale (0 or 1/keep_prob), so backward cannot forget it.
#pragma once

#include <cstddef>

#include "rng.h"

namespace mnist {

// mask (n) = keep ? 1/keep_prob : 0;  out (n) = in * mask
void dropout_forward(float* out, float* mask, const float* in, std::size_t n, float keep_prob,
                     Rng& rng);
// din (n) += dout * mask
void dropout_backward(float* din, const float* dout, const float* mask, std::size_t n);

}  // namespace mnist

// Training-time augmentation: small random shifts, scales, rotations, shears
// and stroke-thickness changes, so a model learns digits as people draw them
// and not only MNIST's own centred, evenly inked ones.
#pragma once

#include <cstdint>

#include "rng.h"

namespace mnist {

struct AugmentConfig {
  bool enabled = false;
  float max_shift = 1.5f;         // pixels, each axis
  float max_rotation_deg = 12.0f; // either way
  float max_scale = 0.1f;         // scale in [1 - s, 1 + s]
  float max_shear = 0.15f;
  float thickness_probability = 0.5f;  // chance of a thicker or thinner stroke
};

// out (rows*cols) floats in [0,1] = a random transform of image (rows*cols)
// bytes. Sampling is bilinear around the image centre.
void augment_image(float* out, const std::uint8_t* image, int rows, int cols,
                   const AugmentConfig& config, Rng& rng);

}  // namespace mnist

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
  // A smooth random warp, as a hand's wobble (Simard et al. 2003): each
  // pixel moves by up to this many pixels, the moves varying gently across
  // the image. 0: none.
  float elastic = 0.0f;
  // This part of the examples are not digits (two digits side by side, a
  // piece of one, the halves of two), with a uniform target, so that the
  // model learns not to be sure of them: the number reader judges its cuts
  // by the model's confidence. 0: none.
  float non_digit_fraction = 0.0f;
  // This part of the 1s and 7s are drawn in a style MNIST's American
  // writers seldom used: a 1 with a flag (sometimes a base too), a 7 with
  // a crossbar. 0: none.
  float regional_styles = 0.0f;
};

// Draws a regional style onto image (rows*cols bytes, a `label` digit) in
// place: a flag, perhaps with a base, on a 1; a crossbar on a 7; other
// digits and images too small to read are left as they are.
void add_regional_style(std::uint8_t* image, int rows, int cols, int label, Rng& rng);

// out (rows*cols) floats in [0,1] = a random transform of image (rows*cols)
// bytes. Sampling is bilinear around the image centre.
void augment_image(float* out, const std::uint8_t* image, int rows, int cols,
                   const AugmentConfig& config, Rng& rng);

// out (rows*cols) = something that is not one digit, made from two digits a
// and b (rows*cols bytes each) as a number reader's bad cut would give it:
// both side by side, a piece of a, or a's right part beside b's left part,
// scaled and centred as a digit is (preprocess/digit_input.h).
void make_non_digit(float* out, const std::uint8_t* a, const std::uint8_t* b, int rows, int cols, Rng& rng);

}  // namespace mnist

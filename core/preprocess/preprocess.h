// From any image of a digit to the 28x28 input the network wants, following
// how MNIST itself was made (LeCun et al.): light ink on black, the digit's
// longer side scaled to 20 px with anti-aliasing, placed in 28x28 so that its
// centre of mass is at the centre.
//
// Recipe "mnist" (the default), step by step:
//   1. grayscale; a non-opaque alpha channel (a canvas) is the ink itself;
//   2. polarity: ink is whichever extreme lies further from the border's median,
//      so dark-on-light paper and light-on-dark canvases both end as light ink;
//   3. uneven lighting removed: subtract a background estimated by a wide min
//      filter (wider than any stroke) and a blur;
//   4. Otsu threshold picks the ink; a soft ramp keeps anti-aliased edges;
//      specks much smaller than the largest stroke are dropped;
//   5. crop to the ink, thicken strokes much thinner than MNIST's (a pen on
//      paper), scale the longer side to 20 px by area averaging, and centre
//      the mass at MNIST's (14, 14) with a sub-pixel shift.
// An image with no ink is reported empty instead of being guessed.
//
// Recipe "naive" is the TensorFlow tutorial's OpenCV recipe: resize the whole
// image to 28x28, threshold at 140, invert. Kept so the two can be compared.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "preprocess/digit_input.h"
#include "preprocess/image_ops.h"
#include "status.h"

namespace mnist {

enum class PreprocessRecipe { mnist, naive };
Result<PreprocessRecipe> parse_recipe(std::string_view name);

// pixels (height, width, channels), channels 1 (gray), 2 (gray+alpha),
// 3 (RGB) or 4 (RGBA), 8 bits each.
Result<Preprocessed> preprocess_image(std::span<const std::uint8_t> pixels, int width, int height,
                                      int channels, PreprocessRecipe recipe = PreprocessRecipe::mnist);

// Checks an image buffer (the same limits as preprocess_image) and returns it
// in gray, shrunk so that its longer side is at most max_side, with whether
// its ink is known (a transparent canvas's alpha).
Result<std::pair<GrayImage, bool>> gray_working_image(std::span<const std::uint8_t> pixels, int width,
                                                      int height, int channels, int max_side);

}  // namespace mnist

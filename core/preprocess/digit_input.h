// Step 5 of the MNIST recipe (see preprocess.h): one digit's ink, cut out,
// becomes the network's 28x28 input. Shared by the one-digit recipe and the
// number reader, which calls it once per digit.
#pragma once

#include <array>

#include "preprocess/image_ops.h"

namespace mnist {

inline constexpr int kInputSide = 28;   // must match INPUT_SIDE, which the engine exports to the page
inline constexpr int kDigitBox = 20;

struct Preprocessed {
  bool empty = true;                                    // no ink found
  std::array<float, kInputSide * kInputSide> pixels{};  // (28,28), ink 1, background 0
};

// crop: the digit's ink (1 ink, 0 background) with a pixel of margin.
// area, perimeter: of its pixels over the ink threshold, for the stroke width.
// Thickens strokes far thinner than MNIST's, scales the longer side to 20 px
// by area averaging and puts the centre of mass at MNIST's (14, 14).
Preprocessed digit_to_input(const GrayImage& crop, int area, int perimeter);

}  // namespace mnist

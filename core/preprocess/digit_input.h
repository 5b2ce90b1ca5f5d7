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

// The pixels (x, y) in [x0, x1] x [y0, y1] for which solid(x, y) is true,
// and those of them with a 4-neighbour for which it is false (solid is asked
// about neighbours outside the range too, so it must answer for them).
struct InkCount {
  int area = 0;
  int perimeter = 0;
};
template <class Solid>
InkCount count_ink(int x0, int y0, int x1, int y1, const Solid& solid) {
  InkCount n;
  for (int y = y0; y <= y1; ++y) {
    for (int x = x0; x <= x1; ++x) {
      if (!solid(x, y)) continue;
      ++n.area;
      n.perimeter += !solid(x - 1, y) || !solid(x + 1, y) || !solid(x, y - 1) || !solid(x, y + 1);
    }
  }
  return n;
}

// A line's width from its ink: 2 * area / perimeter (a line of width w and
// length l has area w * l and about 2 * l edge pixels); 1 without ink.
inline float stroke_width(int area, int perimeter) { return perimeter ? 2.0f * area / perimeter : 1.0f; }

// crop: the digit's ink (1 ink, 0 background) with a pixel of margin.
// area, perimeter: of its pixels over the ink threshold (count_ink), for the
// stroke width.
// Thickens strokes far thinner than MNIST's, scales the longer side to 20 px
// by area averaging and puts the centre of mass at MNIST's (14, 14).
Preprocessed digit_to_input(const GrayImage& crop, int area, int perimeter);

}  // namespace mnist

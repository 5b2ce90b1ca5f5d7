// Synthetic numbers for measuring the number reader: MNIST test digits set
// side by side as a person writes a number (sizes varying a little, a slight
// slope, a wobbly baseline), spaced, close, touching or overlapping, then
// rendered as a photo on paper (photo_synth.h).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "data/dataset.h"
#include "image_file.h"
#include "preprocess/image_ops.h"
#include "preprocess/segment.h"
#include "rng.h"
#include "status.h"

namespace mnist::cli {

// How far apart neighbouring digits' ink is, in MNIST pixels (a digit is
// about 20 tall): spaced 3 to 9, close 0.6 to 2, touching 0 (the ink meets),
// overlapping -1 to -3 (the ink crosses).
enum class Spacing { spaced, close, touching, overlapping };
Result<Spacing> parse_spacing(std::string_view name);
std::string_view spacing_name(Spacing spacing);

struct ComposedNumber {
  GrayImage ink;            // (h,w) light ink on black, 2 pixels per MNIST pixel
  std::string text;         // the digits, such as "2026"
  std::vector<Box> boxes;   // each digit's ink, in ink pixels
};

// digits: indices of examples in `source`, in reading order.
ComposedNumber compose_number(const Dataset& source, std::span<const int> digits, Spacing spacing, Rng& rng);

struct NumberPhoto {
  DecodedImage photo;
  std::string text;
  std::vector<Box> boxes;  // in photo pixels
};

// A photo of the number: any aspect from square to 3:1, 300 to 1500 px wide
// (or width x height when both are given), the number across 40% to 95% of it.
NumberPhoto synthesize_number_photo(const ComposedNumber& number, Rng& rng, int width = 0, int height = 0);

}  // namespace mnist::cli

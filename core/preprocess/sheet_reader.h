// Reading every number on a sheet: the sheet found and straightened
// (sheet.h), its ink found (ink.h), the marks grouped into numbers in
// reading order (text_lines.h), and each number read (number_reader.h).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "preprocess/number_reader.h"
#include "preprocess/sheet.h"
#include "status.h"

namespace mnist {

// More separate marks than this on a sheet are text or noise, not numbers.
inline constexpr int kMaxSheetMarks = 96;

struct SheetReading {
  std::vector<NumberReading> numbers;  // reading order; boxes in the photo's pixels
  std::string message;                 // why some or all of the ink was not read; "" when it all was
  SheetKind sheet = SheetKind::none;   // how the photo was read
  std::array<Point, 4> corners{};      // the sheet's corners in the photo, when straightened
};

// pixels (h,w,channels) as for preprocess_image; classes: K of the classifier.
Result<SheetReading> read_numbers_in_image(std::span<const std::uint8_t> pixels, int width, int height,
                                           int channels, int classes, const DigitClassifier& classify,
                                           const CutChoice& choice = {});

}  // namespace mnist

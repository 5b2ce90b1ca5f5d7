// Which marks on a sheet make which number, geometry only: marks on one line
// within about a digit's height of each other are one number, numbers are
// put in reading order (lines top to bottom, then left to right along a
// line, the sheet's own slant allowed for). Each number's digits are then
// found by group_into_digits (segment.h).
#pragma once

#include <span>
#include <vector>

#include "preprocess/segment.h"

namespace mnist {

inline constexpr int kMaxNumbers = 12;

struct NumberPlace {
  Box box;
  std::vector<int> atoms;  // indices into the boxes given, in order
};

struct SheetLayout {
  std::vector<NumberPlace> numbers;  // reading order; at most kMaxNumbers
  int left_out = 0;                  // marks too small to be part of any number
  bool scattered = false;            // mostly lone marks spread over the sheet: not numbers
  bool more = false;                 // more than kMaxNumbers were found
};

SheetLayout group_into_numbers(std::span<const Box> atoms);

}  // namespace mnist

// Finding the digits of a number in its ink, geometry only: which pieces of
// ink (the blobs of a photo, the strokes of the pad) make one digit, which
// marks are not digits, the order to read them in, and where a piece wider
// than one digit might be cut. Which cuts are taken is the number reader's
// choice (number_reader.h): it asks the network.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "preprocess/image_ops.h"

namespace mnist {

// A box in continuous coordinates: x0 <= x < x1, y0 <= y < y1.
struct Box {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  float width() const { return x1 - x0; }
  float height() const { return y1 - y0; }
  float center_x() const { return (x0 + x1) / 2; }
  float center_y() const { return (y0 + y1) / 2; }
};

struct DigitGroup {
  Box box;
  std::vector<int> atoms;  // indices into the boxes given, in order
};

struct Grouping {
  std::vector<DigitGroup> groups;  // left to right
  float digit_height = 0;          // a typical digit's height
  int left_out = 0;                // marks too small to be digits, or off the number's line
  bool scattered = false;          // too many marks off any line: not a number
  // A minus sign: a short flat mark at about mid-height before the first
  // digit. A decimal point: a small round mark near the baseline in the gap
  // between two digits. Neither is ever a digit nor left out.
  std::optional<Box> minus, point;
};

// Height of a typical digit among boxes: the median of those at least 40% as
// tall as the tallest (the smaller ones are flags, dots and bars); at least 1.
float typical_height(std::span<const Box> boxes);
float gap_between(const Box& a, const Box& b);  // 0 when they touch or overlap
// Union-find: the root of i's set in parent (halving the path on the way).
int find_root(std::vector<int>& parent, int i);
Box united(const Box& a, const Box& b);

// atoms: the boxes of the pieces of ink. Pieces that share most of their
// columns are one digit (a 5's flag, a 4 in two strokes, a broken pen line);
// small marks near a digit join it, others (dots, dashes, specks) are left
// out, as are digits far off the line through the others (a slope is fine);
// a minus sign and a decimal point are recognised by their shape and place.
// crossing: pairs of atoms whose lines cross (strokes on the pad), which are
// one digit unless together they are wider than one.
Grouping group_into_digits(std::span<const Box> atoms, std::span<const std::pair<int, int>> crossing = {});

// A path from the top row of an image to its bottom: in each row, the last
// column that belongs to the left side. It may step one column per row, so
// it can follow the gap between slanted digits that overlap.
struct CutPath {
  std::vector<int> last_left;  // (h)
  float mean_x = 0;
  float crossed = 0;           // rows in which it cuts through ink (both sides over 0.5)
};

// Paths through ink (h,w), one group's own ink, that cross as little ink as
// they can: at the valleys of its column profile and at even spacing for the
// number of digits its width suggests, each at least 0.18 digit heights from
// the next and from the ends; two per digit expected and two more, at most
// kMaxCuts. Left to right.
inline constexpr int kMaxCuts = 16;
std::vector<CutPath> candidate_cuts(const GrayImage& ink, float digit_height);

}  // namespace mnist

// Reading a number of 1 to kMaxDigits digits in a photo or in the pad's
// strokes: the ink is found as for one digit (ink.h), split into digits
// (segment.h), and each digit goes through the MNIST recipe on its own
// (digit_input.h). Where a piece of ink is wider than a digit, candidate cuts
// are tried and the network's own confidence in the pieces chooses among
// them (segmentation by recognition), so the classifier is a parameter:
// preprocessing does not depend on a model.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "preprocess/digit_input.h"
#include "preprocess/ink.h"
#include "preprocess/segment.h"
#include "preprocess/strokes.h"
#include "status.h"

namespace mnist {

inline constexpr int kMaxDigits = 12;
// Photos are read at this longer side: a number of twelve digits across it
// still has digits some 40 px tall.
inline constexpr int kPhotoWorkingSide = 768;
// More separate marks than this are noise or text, not a number.
inline constexpr int kMaxMarks = 48;

// inputs (N,28,28) -> probabilities (N,K), for N >= 1.
using DigitClassifier = std::function<void(const float* inputs, int count, float* probabilities)>;

// How a group of ink wider than a digit is cut: the weights of the cut
// choice, in log probability. The defaults were chosen on numbers of MNIST
// test digits 0-4999 (tests/native/number_reading_test.cpp); widths are in
// digit heights.
struct CutChoice {
  float split_from = 0.9f;       // cuts are tried in a group wider than this...
  float split_aspect = 1.15f;    // ...and wider than this many times its own height
  float max_piece_width = 1.3f;  // a piece wider than this is not one digit
  float piece_cost = 0.0f;       // what reading one more digit costs
  float cross_cost = 2.0f;       // per stroke a cut goes through
  float wide_from = 0.9f;        // a piece wider than this costs
  float wide_slope = 5.0f;       // this much per digit height more
  float sliver_width = 0.3f;     // a piece narrower than this read as anything but 1
  float sliver_cost = 3.0f;      // costs this
  float fragment_height = 0.45f; // a piece shorter than this
  float fragment_cost = 4.0f;    // costs this
  float aspect_weight = 0.0f;    // weight of how usual the piece's shape is for its digit
};

struct ReadDigit {
  int digit = -1;
  std::vector<float> probabilities;  // (K)
  Box box;                           // in the input's coordinates: image pixels, or pad units
  Preprocessed input;                // what the network saw
};

struct NumberReading {
  std::vector<ReadDigit> digits;  // in reading order; none when nothing was found
  std::string message;            // why some or all of the ink was not read; "" when it all was
  bool negative = false;          // a minus sign stands before the digits
  int point_after = -1;           // a decimal point follows this many digits (1 to size-1), or -1
  Box box;                        // the number's ink, sign and point too (as the digits' boxes)
  std::string text() const;       // as written, such as "2026", "-3.5" or "3.50"
};

// pixels (h,w,channels) as for preprocess_image; classes: K of the classifier.
Result<NumberReading> read_number_in_image(std::span<const std::uint8_t> pixels, int width, int height,
                                           int channels, int classes, const DigitClassifier& classify,
                                           const CutChoice& choice = {});
// Strokes in pad units; each digit is rendered with a line an eighth of its
// size, as MNIST's ink is.
NumberReading read_number_in_strokes(std::span<const Stroke> strokes, int classes,
                                     const DigitClassifier& classify, const CutChoice& choice = {});
// The common part: boxes come back in the ink map's pixels. crossing: pairs
// of blobs whose lines cross (see group_into_digits). least_digit_height:
// what the caller knows of a digit's height in the map's pixels (strokes:
// from their centre lines), so that a flat stroke such as a bar is not taken
// for a row of digits as tall as its line is wide.
NumberReading read_number(const InkMap& ink, int classes, const DigitClassifier& classify,
                          std::span<const std::pair<int, int>> crossing = {}, float least_digit_height = 0,
                          const CutChoice& choice = {});
// One number made of some of the ink's blobs (indices into ink.blobs), as
// the sheet reader finds them (text_lines.h).
NumberReading read_number_of(const InkMap& ink, std::span<const int> blobs, int classes,
                             const DigitClassifier& classify, const CutChoice& choice = {});

}  // namespace mnist

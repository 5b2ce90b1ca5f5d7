// Reading numbers: the grouping of ink into digits, the stroke renderer, the
// cut choice, and the accuracy on synthetic photos of numbers made of MNIST
// test digits (cli/number_synth.h), by how close the digits are.
//
// Tuning and reporting use different digits: the settings of the number
// reader were chosen on numbers of test digits 0-4999
// (MNIST_NUMBERS_SPLIT=tune); the figures asserted and put in the README come
// from digits 5000-9999, on which nothing was tuned.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#include "api/recognizer.h"
#include "number_synth.h"
#include "preprocess/number_reader.h"
#include "test_util.h"
#include "test_paths.h"

namespace mnist {
namespace {

using test::shipped_cnn;

Box box(float x0, float y0, float x1, float y1) { return {x0, y0, x1, y1}; }

TEST(GroupIntoDigits, PiecesSharingColumnsAreOneDigit) {
  // A 5 whose flag is apart, then a 4 in two strokes, then a 1.
  const std::vector<Box> atoms = {box(0, 20, 30, 60), box(8, 0, 34, 8),     // 5: body, flag
                                  box(50, 0, 80, 45), box(70, 5, 76, 60),   // 4: angle, stem
                                  box(100, 0, 106, 60)};                    // 1
  const Grouping g = group_into_digits(atoms);
  ASSERT_EQ(g.groups.size(), 3u);
  EXPECT_EQ(g.groups[0].atoms, (std::vector<int>{0, 1}));
  EXPECT_EQ(g.groups[1].atoms, (std::vector<int>{2, 3}));
  EXPECT_EQ(g.groups[2].atoms, (std::vector<int>{4}));
  EXPECT_EQ(g.left_out, 0);
  EXPECT_FALSE(g.scattered);
}

TEST(GroupIntoDigits, FragmentsBesideADigitJoinIt) {
  // Photos of pen lines broken by light: a 5 whose flag sits up and to the
  // right, sharing few columns; a 7 split at its corner into a short arc and
  // the stem beside it. A digit-sized neighbour stays apart.
  const std::vector<Box> atoms = {box(0, 12, 60, 100), box(40, 0, 110, 22),   // 5: body, flag
                                  box(160, 0, 180, 40), box(180, 2, 200, 100), // 7: arc, stem
                                  box(240, 0, 290, 100)};                      // a 0
  const Grouping g = group_into_digits(atoms);
  ASSERT_EQ(g.groups.size(), 3u);
  EXPECT_EQ(g.groups[0].atoms, (std::vector<int>{0, 1}));
  EXPECT_EQ(g.groups[1].atoms, (std::vector<int>{2, 3}));
  EXPECT_EQ(g.groups[2].atoms, (std::vector<int>{4}));
}

TEST(GroupIntoDigits, ReadingOrderFollowsASlopeAndLeavesOutStrayMarks) {
  std::vector<Box> atoms;
  for (int k = 5; k >= 0; --k) atoms.push_back(box(k * 40.f, k * 6.f, k * 40.f + 25, k * 6.f + 50));  // sloped, given right to left
  atoms.push_back(box(110, 60, 114, 64));   // a decimal point at the baseline, between the third and fourth digits
  atoms.push_back(box(60, 300, 90, 350));   // a digit-sized mark far below the line
  atoms.push_back(box(150, -30, 154, -26)); // a speck above the line
  const Grouping g = group_into_digits(atoms);
  ASSERT_EQ(g.groups.size(), 6u);
  for (int k = 0; k < 6; ++k) EXPECT_EQ(g.groups[k].atoms, (std::vector<int>{5 - k}));
  EXPECT_EQ(g.left_out, 2);
  ASSERT_TRUE(g.point);
  EXPECT_EQ(g.point->x0, 110);
  EXPECT_FALSE(g.minus);
  EXPECT_FALSE(g.scattered);
  EXPECT_NEAR(g.digit_height, 50, 1);
}

TEST(GroupIntoDigits, AMinusIsAFlatMarkAtMidHeightBeforeTheFirstDigit) {
  // "-3.5": a dash before the first digit at mid-height, a dot in the gap at the baseline.
  const std::vector<Box> atoms = {box(0, 22, 25, 28), box(40, 0, 70, 50), box(80, 44, 86, 50), box(96, 0, 126, 50)};
  const Grouping g = group_into_digits(atoms);
  ASSERT_EQ(g.groups.size(), 2u);
  ASSERT_TRUE(g.minus);
  EXPECT_EQ(g.minus->x0, 0);
  ASSERT_TRUE(g.point);
  EXPECT_EQ(g.point->x0, 80);
  EXPECT_EQ(g.left_out, 0);
  // The same dash at the top of the line is a 5's or 7's bar, not a sign;
  // a dot at mid-height is not a point; a dash after the number is not a sign.
  const std::vector<Box> others = {box(0, 0, 25, 6), box(40, 0, 70, 50), box(80, 22, 86, 28), box(96, 0, 126, 50),
                                   box(140, 22, 165, 28)};
  const Grouping o = group_into_digits(others);
  EXPECT_FALSE(o.minus);
  EXPECT_FALSE(o.point);
}

TEST(GroupIntoDigits, ScatteredMarksAreNotANumber) {
  Rng rng(5);
  std::vector<Box> atoms;
  for (int k = 0; k < 12; ++k) {
    const float x = rng.uniform(0, 1000), y = rng.uniform(0, 1000);
    atoms.push_back(box(x, y, x + 30, y + 40));
  }
  EXPECT_TRUE(group_into_digits(atoms).scattered);
}

TEST(CandidateCuts, FindTheGapBetweenTwoSlantedBars) {
  // Two bars leaning right, overlapping in their columns: no straight cut
  // separates them, a path that steps along the gap does.
  GrayImage ink(60, 40);
  for (int y = 0; y < 40; ++y) {
    const int shift = (39 - y) / 3;
    for (int x = 8; x < 14; ++x) ink.at(x + shift, y) = 1;
    for (int x = 30; x < 36; ++x) ink.at(x + shift, y) = 1;
  }
  const auto cuts = candidate_cuts(ink, 40);
  ASSERT_FALSE(cuts.empty());
  bool clean = false;
  for (const CutPath& c : cuts) {
    float crossed = 0;
    for (int y = 0; y < 40; ++y) crossed += ink.at(c.last_left[y], y) * ink.at(c.last_left[y] + 1, y);
    clean = clean || crossed == 0;
  }
  EXPECT_TRUE(clean);
}

TEST(RasterizeStrokes, EachPixelBelongsToTheNearestStrokeAndLinesHaveTheirWidth) {
  const std::vector<Stroke> strokes = {{{10, 10}, {10, 50}}, {{30, 10}, {30, 50}}};
  const std::vector<float> widths = {4, 8};
  const InkMap map = rasterize_strokes(strokes, 1.0f, 0, 0, 60, 60, widths);
  ASSERT_FALSE(map.empty);
  ASSERT_EQ(map.blobs.size(), 2u);
  EXPECT_EQ(map.labels[30 * 60 + 10], 1);
  EXPECT_EQ(map.labels[30 * 60 + 30], 2);
  EXPECT_NEAR(map.blobs[0].box.width(), 4, 1);
  EXPECT_NEAR(map.blobs[1].box.width(), 8, 1);
  EXPECT_EQ(map.labels[30 * 60 + 20], 0);
}

TEST(StrokesFromArrays, RefusesBadInput) {
  const float points[] = {1, 2, 3, 4, 5, 6};
  EXPECT_TRUE(strokes_from_arrays(points, std::vector<int>{1, 2}));
  EXPECT_FALSE(strokes_from_arrays(points, std::vector<int>{1, 1}));
  EXPECT_FALSE(strokes_from_arrays(points, std::vector<int>{4}));
  EXPECT_FALSE(strokes_from_arrays(points, std::vector<int>{0, 3}));
  EXPECT_FALSE(strokes_from_arrays(std::span(points, 5), std::vector<int>{2}));
  const float nan_points[] = {1, 2, NAN, 4};
  EXPECT_FALSE(strokes_from_arrays(nan_points, std::vector<int>{2}));
}

// A bar drawn on the pad (a 7's top before its stem, a dash) is as wide as a
// digit, not a row of digits as tall as its line is thick: a handful of
// pieces at most go to the network, so live reading stays quick.
TEST(StrokeNumbers, ABarIsNotARowOfDigits) {
  Stroke bar;
  for (int k = 0; k <= 20; ++k) bar.push_back({20.0f + 11.5f * k, 50.0f});
  int images = 0;
  const DigitClassifier count_then_classify = [&](const float* inputs, int count, float* probabilities) {
    images += count;
    shipped_cnn().classifier()(inputs, count, probabilities);
  };
  const NumberReading r = read_number_in_strokes(std::span(&bar, 1), 10, count_then_classify);
  EXPECT_LE(r.digits.size(), 1u) << r.text();
  EXPECT_LE(images, 10);
}

// The cut choice to measure: the defaults, or for tuning those named in
// MNIST_CUT_CHOICE ("piece_cost=0.5,cross_cost=2").
CutChoice cut_choice() {
  CutChoice c;
  const char* spec = std::getenv("MNIST_CUT_CHOICE");
  if (!spec) return c;
  const std::pair<const char*, float*> fields[] = {
      {"split_from", &c.split_from},     {"split_aspect", &c.split_aspect}, {"max_piece_width", &c.max_piece_width},
      {"piece_cost", &c.piece_cost},     {"cross_cost", &c.cross_cost},     {"wide_from", &c.wide_from},
      {"wide_slope", &c.wide_slope},     {"sliver_width", &c.sliver_width}, {"sliver_cost", &c.sliver_cost},
      {"fragment_height", &c.fragment_height}, {"fragment_cost", &c.fragment_cost}, {"aspect_weight", &c.aspect_weight}};
  std::string rest = spec;
  while (!rest.empty()) {
    const std::string item = rest.substr(0, rest.find(','));
    rest = rest.find(',') == std::string::npos ? "" : rest.substr(rest.find(',') + 1);
    const auto eq = item.find('=');
    for (const auto& [name, field] : fields) {
      if (item.substr(0, eq) == name) *field = std::stof(item.substr(eq + 1));
    }
  }
  return c;
}

// How the reader does on numbers of MNIST test digits rendered as photos.
struct Tally {
  int right = 0, total = 0, digits_right = 0, digits = 0;
  double rate() const { return total ? double(right) / total : 0; }
};

Tally read_photos(cli::Spacing spacing, int count, std::uint64_t seed, bool tune) {
  const Dataset& test = test::mnist_data().test;
  const int first = tune ? 0 : 5000;
  Rng rng(seed, 77);
  const CutChoice choice = cut_choice();
  Tally t;
  const bool verbose = std::getenv("MNIST_NUMBERS_VERBOSE") != nullptr;
  for (int n = 0; n < count; ++n) {
    const int length = 2 + static_cast<int>(rng.below(5));
    std::vector<int> indices;
    for (int k = 0; k < length; ++k) indices.push_back(first + static_cast<int>(rng.below(5000)));
    const cli::ComposedNumber number = cli::compose_number(test, indices, spacing, rng);
    const cli::NumberPhoto photo = cli::synthesize_number_photo(number, rng);
    auto r = read_number_in_image(photo.photo.pixels, photo.photo.width, photo.photo.height, 3, 10,
                                  shipped_cnn().classifier(), choice);
    EXPECT_TRUE(r) << r.message();
    if (!r) continue;
    const std::string read = r.value().text();
    ++t.total;
    t.right += read == photo.text;
    t.digits += length;
    for (std::size_t k = 0; k < std::min(read.size(), photo.text.size()); ++k) t.digits_right += read[k] == photo.text[k];
    if (verbose && read != photo.text) {
      std::printf("  %s #%d: %s read as %s\n", std::string(cli::spacing_name(spacing)).c_str(), n,
                  photo.text.c_str(), read.c_str());
    }
  }
  return t;
}

TEST(NumberPhotos, AreReadByHowCloseTheirDigitsAre) {
  const bool tune = std::getenv("MNIST_NUMBERS_SPLIT") && !std::strcmp(std::getenv("MNIST_NUMBERS_SPLIT"), "tune");
  const int count = std::getenv("MNIST_NUMBERS_COUNT") ? std::atoi(std::getenv("MNIST_NUMBERS_COUNT")) : 150;
  struct Goal {
    cli::Spacing spacing;
    double at_least;
  };
  for (Goal g : {Goal{cli::Spacing::spaced, 0.96}, Goal{cli::Spacing::close, 0.94},
                 Goal{cli::Spacing::touching, 0.80}, Goal{cli::Spacing::overlapping, 0.0}}) {
    const Tally t = read_photos(g.spacing, count, 1000 + static_cast<int>(g.spacing), tune);
    std::printf("number photos (%s split), %s: %d of %d numbers right (%.3f), digits %.4f\n",
                tune ? "tuning" : "report", std::string(cli::spacing_name(g.spacing)).c_str(), t.right, t.total,
                t.rate(), double(t.digits_right) / t.digits);
    if (!tune) EXPECT_GE(t.rate(), g.at_least) << cli::spacing_name(g.spacing);
  }
}

}  // namespace
}  // namespace mnist

// Reading every number on a sheet: the homography, the sheet finder, the
// grouping of marks into numbers, and the accuracy on synthetic photos of
// sheets (cli/sheet_synth.h) made of MNIST test digits. As for numbers
// (number_reading_test.cpp), settings were chosen on digits 0-4999
// (MNIST_SHEETS_SPLIT=tune) and the figures asserted come from 5000-9999.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#include "api/recognizer.h"
#include "preprocess/sheet.h"
#include "preprocess/sheet_reader.h"
#include "preprocess/text_lines.h"
#include "sheet_synth.h"
#include "test_paths.h"
#include "test_util.h"

namespace mnist {
namespace {

using test::shipped_cnn;

std::vector<std::string> texts(const SheetReading& r) {
  std::vector<std::string> out;
  for (const NumberReading& n : r.numbers) out.push_back(n.text());
  return out;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& t : v) s += (s.empty() ? "" : " ") + t;
  return "[" + s + "]";
}

TEST(Homography, MapsFourPointsAndBack) {
  const std::array<Point, 4> a{Point{0, 0}, Point{100, 0}, Point{100, 50}, Point{0, 50}};
  const std::array<Point, 4> b{Point{12, 7}, Point{90, 20}, Point{80, 70}, Point{5, 60}};
  Homography h, back;
  ASSERT_TRUE(Homography::between(a, b, h));
  ASSERT_TRUE(Homography::between(b, a, back));
  for (int k = 0; k < 4; ++k) {
    EXPECT_NEAR(h.apply(a[k]).x, b[k].x, 1e-3);
    EXPECT_NEAR(h.apply(a[k]).y, b[k].y, 1e-3);
  }
  const Point p = back.apply(h.apply({37, 21}));
  EXPECT_NEAR(p.x, 37, 1e-3);
  EXPECT_NEAR(p.y, 21, 1e-3);
  const std::array<Point, 4> line{Point{0, 0}, Point{1, 1}, Point{2, 2}, Point{3, 3}};
  EXPECT_FALSE(Homography::between(a, line, h));
}

// A light quadrilateral on a dark table is found and straightened; a photo
// that is all paper, with a shadow across it, is left as it is.
TEST(FindSheet, StraightensALightQuadrilateralAndLeavesPlainPaperAlone) {
  GrayImage photo(400, 300, 0.25f);
  const std::array<Point, 4> corners{Point{80, 40}, Point{330, 60}, Point{310, 270}, Point{60, 250}};
  Homography to_quad;
  ASSERT_TRUE(Homography::between({Point{0, 0}, Point{1, 0}, Point{1, 1}, Point{0, 1}}, corners, to_quad));
  Homography from_quad;
  ASSERT_TRUE(Homography::between(corners, {Point{0, 0}, Point{1, 0}, Point{1, 1}, Point{0, 1}}, from_quad));
  for (int y = 0; y < photo.height; ++y) {
    for (int x = 0; x < photo.width; ++x) {
      const Point p = from_quad.apply({x + 0.5f, y + 0.5f});
      if (p.x >= 0 && p.x <= 1 && p.y >= 0 && p.y <= 1) photo.at(x, y) = 0.9f;
    }
  }
  const SheetView view = find_sheet(photo);
  ASSERT_EQ(view.kind, SheetKind::straightened);
  for (int k = 0; k < 4; ++k) {
    EXPECT_NEAR(view.corners[k].x, corners[k].x, 6) << k;
    EXPECT_NEAR(view.corners[k].y, corners[k].y, 6) << k;
  }
  EXPECT_NEAR(float(view.image.width) / view.image.height, 250.0f / 210.0f, 0.1f);
  GrayImage paper(400, 300, 0.9f);
  for (int y = 0; y < 300; ++y)
    for (int x = 0; x < 400; ++x) paper.at(x, y) -= 0.4f * x / 400;
  EXPECT_EQ(find_sheet(paper).kind, SheetKind::none);
}

TEST(GroupIntoNumbers, LinesTopToBottomThenLeftToRight) {
  auto b = [](float x0, float y0, float x1, float y1) { return Box{x0, y0, x1, y1}; };
  // Line 1: "12" on the left and "7" far to the right; line 2: "-3.5".
  const std::vector<Box> atoms = {b(400, 10, 430, 60),                        // 7
                                  b(100, 200, 125, 206), b(140, 180, 170, 230),  // minus, 3
                                  b(180, 224, 186, 230), b(196, 180, 226, 230),  // point, 5
                                  b(100, 12, 110, 62), b(125, 10, 155, 60),     // 1, 2
                                  b(600, 500, 603, 503)};                       // a speck
  const SheetLayout layout = group_into_numbers(atoms);
  ASSERT_EQ(layout.numbers.size(), 3u);
  EXPECT_EQ(layout.numbers[0].atoms, (std::vector<int>{5, 6}));
  EXPECT_EQ(layout.numbers[1].atoms, (std::vector<int>{0}));
  EXPECT_EQ(layout.numbers[2].atoms, (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(layout.left_out, 1);
  EXPECT_FALSE(layout.scattered);
}

struct SheetTally {
  int scenes = 0, right = 0, numbers = 0, plain = 0, plain_right = 0, marked = 0, marked_right = 0;
};

SheetTally read_sheets(int count, int first_numbers, int last_numbers, std::uint64_t seed, bool tune) {
  const Dataset& test = test::mnist_data().test;
  Rng rng(seed, 91);
  SheetTally t;
  const bool verbose = std::getenv("MNIST_SHEETS_VERBOSE") != nullptr;
  for (int s = 0; s < count; ++s) {
    const int numbers = first_numbers + static_cast<int>(rng.below(last_numbers - first_numbers + 1));
    const cli::SheetScene scene = cli::synthesize_sheet_scene(test, tune ? 0 : 5000, numbers, rng);
    auto r = shipped_cnn().read_image(scene.photo.pixels, scene.photo.width, scene.photo.height, 3);
    EXPECT_TRUE(r) << r.message();
    if (!r) continue;
    const std::vector<std::string> read = texts(r.value());
    ++t.scenes;
    t.right += read == scene.numbers;
    for (std::size_t k = 0; k < scene.numbers.size(); ++k) {
      const std::string& written = scene.numbers[k];
      const bool ok = std::find(read.begin(), read.end(), written) != read.end();
      const bool marked = written.find_first_of("-.") != std::string::npos;
      (marked ? t.marked : t.plain) += 1;
      (marked ? t.marked_right : t.plain_right) += ok;
    }
    if (verbose && read != scene.numbers) {
      std::printf("  sheet %d%s: %s read as %s (%s)\n", s, scene.cut ? " (cut)" : "", joined(scene.numbers).c_str(),
                  joined(read).c_str(), r.value().message.c_str());
      if (std::getenv("MNIST_SHEETS_SAVE")) cli::write_png("/tmp/dbg/sheet_" + std::to_string(s) + ".png", scene.photo);
    }
  }
  return t;
}

TEST(SheetPhotos, EveryNumberIsReadInReadingOrder) {
  const bool tune = std::getenv("MNIST_SHEETS_SPLIT") && !std::strcmp(std::getenv("MNIST_SHEETS_SPLIT"), "tune");
  const int count = std::getenv("MNIST_SHEETS_COUNT") ? std::atoi(std::getenv("MNIST_SHEETS_COUNT")) : 120;
  const SheetTally t = read_sheets(count, 1, 3, 3100, tune);
  const double plain = double(t.plain_right) / std::max(1, t.plain), marked = double(t.marked_right) / std::max(1, t.marked);
  std::printf("sheet photos (%s split), 1 to 3 numbers: %d of %d sheets read right (%.3f); numbers without a sign "
              "or point %.3f (%d), with %.3f (%d)\n",
              tune ? "tuning" : "report", t.right, t.scenes, double(t.right) / t.scenes, plain, t.plain, marked, t.marked);
  if (tune) return;
  // The goal is 0.90; 0.817 is measured on this split (see docs/BENCHMARKS.md).
  EXPECT_GE(double(t.right) / t.scenes, 0.78);
  EXPECT_GE(marked, plain - 0.08);
}

TEST(SheetPhotos, ABlankSheetReadsAsNothing) {
  const SheetTally t = read_sheets(20, 0, 0, 3200, false);
  std::printf("blank sheets read as nothing: %d of %d\n", t.right, t.scenes);
  EXPECT_GE(t.right, t.scenes - 1);  // 19 of 20 measured: one cut sheet read a mark at its edge
}

}  // namespace
}  // namespace mnist

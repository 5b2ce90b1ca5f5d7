// Preprocessing: the same digit drawn small and off-centre or large and
// centred, dark on light or light on dark, gives nearly the same 28x28 input;
// an empty image is empty; bad buffers are rejected.
#include <gtest/gtest.h>

#include <cmath>

#include "preprocess/preprocess.h"
#include "test_util.h"

namespace mnist {
namespace {

// Renders MNIST digit `index` of the test set into a w x h RGBA canvas: the
// digit's 28x28 frame scaled to `size` px at (x0, y0), ink and background
// colours given (0..255 gray).
std::vector<std::uint8_t> render(int index, int w, int h, int size, int x0, int y0, int ink, int paper) {
  const Dataset& test = test::mnist_data().test;
  const std::uint8_t* digit = test.image(index);
  std::vector<std::uint8_t> rgba(std::size_t(w) * h * 4);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      float a = 0;
      const float sx = (x - x0) * 28.0f / size, sy = (y - y0) * 28.0f / size;
      if (sx >= 0 && sy >= 0 && sx < 28 && sy < 28) a = digit[int(sy) * 28 + int(sx)] / 255.0f;
      const auto v = static_cast<std::uint8_t>(paper + (ink - paper) * a + 0.5f);
      std::uint8_t* p = rgba.data() + (std::size_t(y) * w + x) * 4;
      p[0] = p[1] = p[2] = v;
      p[3] = 255;
    }
  }
  return rgba;
}

double l1_distance(const Preprocessed& a, const Preprocessed& b) {
  double d = 0;
  for (std::size_t i = 0; i < a.pixels.size(); ++i) d += std::fabs(a.pixels[i] - b.pixels[i]);
  return d;
}

double ink(const Preprocessed& a) {
  double s = 0;
  for (float v : a.pixels) s += v;
  return s;
}

Preprocessed run(const std::vector<std::uint8_t>& rgba, int w, int h) {
  auto r = preprocess_image(rgba, w, h, 4);
  EXPECT_TRUE(r) << r.message();
  return r.value();
}

TEST(Preprocess, SmallOffCentreEqualsLargeCentred) {
  for (int index : {0, 1, 2, 3, 4}) {
    const auto big = run(render(index, 280, 280, 280, 0, 0, 255, 0), 280, 280);
    const auto small = run(render(index, 280, 280, 90, 170, 15, 255, 0), 280, 280);
    ASSERT_FALSE(big.empty);
    ASSERT_FALSE(small.empty);
    // Nearly the same: the difference is small next to the ink itself.
    EXPECT_LT(l1_distance(big, small), 0.2 * ink(big)) << "digit " << index;
  }
}

TEST(Preprocess, DarkOnLightEqualsLightOnDark) {
  for (int index : {0, 7, 11}) {
    const auto light_ink = run(render(index, 200, 150, 120, 30, 10, 255, 0), 200, 150);
    const auto dark_ink = run(render(index, 200, 150, 120, 30, 10, 20, 230), 200, 150);
    EXPECT_LT(l1_distance(light_ink, dark_ink), 0.05 * ink(light_ink)) << "digit " << index;
  }
}

TEST(Preprocess, OutputLooksLikeMnist) {
  // An MNIST digit passed through preprocessing should stay close to itself:
  // it was made by the same recipe.
  const Dataset& test = test::mnist_data().test;
  double total = 0, total_ink = 0;
  for (int index = 0; index < 20; ++index) {
    auto r = preprocess_image(std::span(test.image(index), 784), 28, 28, 1);
    ASSERT_TRUE(r);
    Preprocessed original;
    for (int i = 0; i < 784; ++i) original.pixels[i] = test.image(index)[i] / 255.0f;
    total += l1_distance(r.value(), original);
    total_ink += ink(original);
  }
  EXPECT_LT(total, 0.5 * total_ink);
}

TEST(Preprocess, EmptyImagesAreEmpty) {
  std::vector<std::uint8_t> white(100 * 80 * 4, 255), black(100 * 80 * 4, 0);
  for (std::size_t i = 3; i < black.size(); i += 4) black[i] = 255;
  EXPECT_TRUE(run(white, 100, 80).empty);
  EXPECT_TRUE(run(black, 100, 80).empty);
  // Paper with faint sensor noise but no ink.
  Rng rng(1);
  std::vector<std::uint8_t> noisy(100 * 80 * 4);
  for (std::size_t i = 0; i < noisy.size(); ++i) noisy[i] = (i % 4 == 3) ? 255 : 200 + rng.below(8);
  EXPECT_TRUE(run(noisy, 100, 80).empty);
  // A transparent canvas.
  std::vector<std::uint8_t> clear(100 * 80 * 4, 0);
  EXPECT_TRUE(run(clear, 100, 80).empty);
}

TEST(Preprocess, TransparentCanvasUsesAlphaAsInk) {
  auto opaque = render(3, 140, 140, 140, 0, 0, 255, 0);
  auto transparent = opaque;
  for (std::size_t i = 0; i < transparent.size(); i += 4) {
    transparent[i + 3] = transparent[i];  // white strokes on nothing
    transparent[i] = transparent[i + 1] = transparent[i + 2] = 0;
  }
  EXPECT_LT(l1_distance(run(opaque, 140, 140), run(transparent, 140, 140)), 1.0);
}

TEST(Preprocess, SpecksDoNotMoveTheDigit) {
  auto clean = render(5, 200, 200, 100, 50, 50, 0, 255);
  auto specked = clean;
  for (int k = 0; k < 3; ++k) {  // three 2x2 dots in the corners
    const int x = k == 0 ? 3 : 190, y = k == 2 ? 190 : 4;
    for (int dy = 0; dy < 2; ++dy)
      for (int dx = 0; dx < 2; ++dx) {
        std::uint8_t* p = specked.data() + (std::size_t(y + dy) * 200 + x + dx) * 4;
        p[0] = p[1] = p[2] = 0;
      }
  }
  EXPECT_LT(l1_distance(run(clean, 200, 200), run(specked, 200, 200)), 0.05 * ink(run(clean, 200, 200)));
}

TEST(Preprocess, NaiveRecipeIsTheTutorials) {
  // Dark ink on white becomes light ink on black, thresholded to 0/1.
  auto rgba = render(0, 280, 280, 280, 0, 0, 0, 255);
  auto r = preprocess_image(rgba, 280, 280, 4, PreprocessRecipe::naive);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r.value().empty);
  for (float v : r.value().pixels) EXPECT_TRUE(v == 0.0f || v == 1.0f);
  // On a white page the naive recipe finds no ink.
  std::vector<std::uint8_t> white(50 * 50 * 4, 255);
  EXPECT_TRUE(preprocess_image(white, 50, 50, 4, PreprocessRecipe::naive).value().empty);
}

TEST(Preprocess, RejectsBadBuffers) {
  std::vector<std::uint8_t> px(10 * 10 * 4, 0);
  auto wrong_size = preprocess_image(px, 10, 11, 4);
  ASSERT_FALSE(wrong_size);
  EXPECT_NE(wrong_size.message().find("expected"), std::string::npos);
  EXPECT_FALSE(preprocess_image(px, 0, 10, 4));
  EXPECT_FALSE(preprocess_image(px, 10, 10, 5));
  auto huge = preprocess_image(px, 20000, 20000, 4);
  ASSERT_FALSE(huge);
  EXPECT_NE(huge.message().find("too large"), std::string::npos);
}

TEST(Preprocess, GrayAndRgbChannelsAgree) {
  auto rgba = render(9, 120, 120, 100, 10, 10, 0, 255);
  std::vector<std::uint8_t> gray(120 * 120), rgb(120 * 120 * 3);
  for (int i = 0; i < 120 * 120; ++i) {
    gray[i] = rgba[i * 4];
    for (int c = 0; c < 3; ++c) rgb[i * 3 + c] = rgba[i * 4 + c];
  }
  auto a = preprocess_image(gray, 120, 120, 1), b = preprocess_image(rgb, 120, 120, 3);
  ASSERT_TRUE(a && b);
  EXPECT_LT(l1_distance(a.value(), b.value()), 1.0);
}

}  // namespace
}  // namespace mnist

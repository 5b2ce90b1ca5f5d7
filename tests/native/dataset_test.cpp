#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>

#include "data/augment.h"
#include "data/dataset.h"
#include "test_util.h"
#include "test_paths.h"

namespace mnist {
namespace {

TEST(Dataset, TutorialSplitTakesValidationFromTheStart) {
  const MnistData& d = test::mnist_data();
  auto train_file = load_mnist_dir(kTestMnistDataDir, 0);
  ASSERT_TRUE(train_file);
  // Validation = training file examples 0..4999, train = 5000..59999.
  EXPECT_EQ(d.validation.labels[0], train_file.value().train.labels[0]);
  EXPECT_EQ(d.train.labels[0], train_file.value().train.labels[5000]);
  EXPECT_EQ(0, std::memcmp(d.train.image(0), train_file.value().train.image(5000), 784));
}

TEST(Dataset, BatcherVisitsEveryExampleOncePerEpoch) {
  Dataset data;
  data.count = 103, data.rows = 1, data.cols = 1;
  data.pixels.resize(103);
  data.labels.resize(103);
  Batcher batcher(data, 5);
  std::vector<int> seen, idx;
  for (int i = 0; i < 10; ++i) {  // 10 batches of 10 = 100 of the first epoch
    batcher.next(10, idx);
    seen.insert(seen.end(), idx.begin(), idx.end());
  }
  std::set<int> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), 100u) << "no repeats inside an epoch";
  batcher.next(10, idx);  // spans into epoch 2
  EXPECT_EQ(batcher.epochs_started(), 2);
}

TEST(Dataset, BatcherIsSeeded) {
  const Dataset& train = test::mnist_data().train;
  Batcher a(train, 7), b(train, 7), c(train, 8);
  std::vector<int> ia, ib, ic;
  a.next(50, ia), b.next(50, ib), c.next(50, ic);
  EXPECT_EQ(ia, ib);
  EXPECT_NE(ia, ic);
}

TEST(Augment, StaysInRangeAndKeepsTheDigit) {
  const Dataset& test = test::mnist_data().test;
  AugmentConfig config;
  config.enabled = true;
  Rng rng(3);
  std::vector<float> out(784);
  for (int i = 0; i < 50; ++i) {
    augment_image(out.data(), test.image(i), 28, 28, config, rng);
    double ink = 0, original = 0;
    for (int p = 0; p < 784; ++p) {
      ASSERT_GE(out[p], 0.0f);
      ASSERT_LE(out[p], 1.0f);
      ink += out[p], original += test.image(i)[p] / 255.0;
    }
    EXPECT_GT(ink, 0.4 * original);
    EXPECT_LT(ink, 2.0 * original);
  }
}

TEST(Augment, ZeroConfigIsIdentity) {
  const Dataset& test = test::mnist_data().test;
  AugmentConfig none;
  none.max_shift = none.max_rotation_deg = none.max_scale = none.max_shear = 0;
  none.thickness_probability = 0;
  Rng rng(1);
  std::vector<float> out(784);
  augment_image(out.data(), test.image(0), 28, 28, none, rng);
  for (int p = 0; p < 784; ++p) ASSERT_NEAR(out[p], test.image(0)[p] / 255.0f, 1e-5);
}

// New ink a style added: where the styled image is darker than the original.
struct AddedInk {
  int pixels = 0, upper = 0, upper_left_of_stem = 0, middle = 0;
};

TEST(Augment, RegionalStylesFlagOnesAndCrossSevensOnly) {
  const Dataset& test = test::mnist_data().test;
  Rng rng(5);
  int ones = 0, sevens = 0;
  for (int i = 0; i < 400; ++i) {
    const int label = test.labels[i];
    std::vector<std::uint8_t> styled(test.image(i), test.image(i) + 784);
    add_regional_style(styled.data(), 28, 28, label, rng);
    if (label != 1 && label != 7) {
      ASSERT_EQ(0, std::memcmp(styled.data(), test.image(i), 784)) << "image " << i << " (a " << label << ")";
      continue;
    }
    int top = 28, bottom = -1;
    double top_x = 0, top_ink = 0;
    for (int p = 0; p < 784; ++p) {
      if (test.image(i)[p] > 127) top = std::min(top, p / 28), bottom = std::max(bottom, p / 28);
    }
    for (int x = 0; x < 28; ++x) top_x += test.image(i)[top * 28 + x] * x, top_ink += test.image(i)[top * 28 + x];
    top_x /= top_ink;
    AddedInk added;
    for (int p = 0; p < 784; ++p) {
      if (styled[p] < test.image(i)[p]) FAIL() << "a style only adds ink";
      if (styled[p] < test.image(i)[p] + 128) continue;
      const int y = p / 28, x = p % 28;
      ++added.pixels;
      if (y < (top + bottom) / 2) added.upper++, added.upper_left_of_stem += x < top_x;
      if (y > top + (bottom - top) / 3 && y < bottom - (bottom - top) / 4) added.middle++;
    }
    if (std::getenv("MNIST_PRINT_STYLES")) {
      for (int y = 0; y < 28; ++y) {
        for (int x = 0; x < 28; ++x) std::printf("%c", styled[y * 28 + x] > test.image(i)[y * 28 + x] + 60 ? '+' : test.image(i)[y * 28 + x] > 127 ? '#' : '.');
        std::printf("\n");
      }
      std::printf("\n");
    }
    if (label == 1) {
      ++ones;
      EXPECT_GE(added.pixels, 3) << "image " << i << ": a flag";
      EXPECT_GE(added.upper_left_of_stem, added.upper * 8 / 10) << "image " << i << ": the flag goes left from the top";
    } else {
      ++sevens;
      EXPECT_GE(added.pixels, 3) << "image " << i << ": a crossbar";
      EXPECT_EQ(added.middle, added.pixels) << "image " << i << ": the crossbar crosses the stem's middle";
    }
  }
  EXPECT_GT(ones, 30);
  EXPECT_GT(sevens, 30);
}

}  // namespace
}  // namespace mnist

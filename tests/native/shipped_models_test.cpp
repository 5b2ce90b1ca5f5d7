// The models shipped in public/models: their test accuracy, and how the CNN
// copes with synthetic photos of MNIST test digits on paper (see
// cli/photo_synth.h) through both preprocessing recipes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "api/recognizer.h"
#include "io/model_file.h"
#include "photo_synth.h"
#include "preprocess/preprocess.h"
#include "train/evaluator.h"
#include "test_util.h"
#include "test_paths.h"

namespace mnist {
namespace {

std::unique_ptr<Model> load_shipped(const std::string& name) {
  auto bytes = read_file_bytes(std::string(kTestModelsDir) + "/" + name);
  EXPECT_TRUE(bytes) << bytes.message();
  if (!bytes) return nullptr;
  auto model = load_model(bytes.value());
  EXPECT_TRUE(model) << model.message();
  return model ? std::move(model.value()) : nullptr;
}

// Test accuracy of a shipped model file on the 10,000 MNIST test images.
double shipped_accuracy(const std::string& name) {
  auto model = load_shipped(name);
  if (!model) return 0.0;
  const double accuracy = evaluate(*model, test::mnist_data().test).accuracy;
  std::printf("shipped %s test accuracy %.4f\n", name.c_str(), accuracy);
  return accuracy;
}

TEST(ShippedModels, CnnReaches99Percent) { EXPECT_GE(shipped_accuracy("cnn.bin"), 0.990); }

TEST(ShippedModels, SoftmaxReachesItsTarget) { EXPECT_GE(shipped_accuracy("softmax.bin"), 0.915); }

TEST(ShippedModels, CnnRecognisesPhotosOfDigitsOnPaper) {
  auto model = load_shipped("cnn.bin");
  ASSERT_TRUE(model);
  const Dataset& test = test::mnist_data().test;
  Rng rng(2024, 21);
  const int n = 300;
  int correct[2] = {0, 0}, empty[2] = {0, 0};
  for (int i = 0; i < n; ++i) {
    const int index = (i * 7919) % test.count;
    const cli::DecodedImage photo = cli::synthesize_photo(test.image(index), rng);
    for (int r = 0; r < 2; ++r) {
      auto input = preprocess_image(photo.pixels, photo.width, photo.height, photo.channels,
                                    r == 0 ? PreprocessRecipe::mnist : PreprocessRecipe::naive);
      ASSERT_TRUE(input) << input.message();
      if (input.value().empty) {
        ++empty[r];
        continue;
      }
      float probs[10];
      model->predict(input.value().pixels.data(), 1, probs);
      correct[r] += (std::max_element(probs, probs + 10) - probs) == test.labels[index];
    }
  }
  const double mnist_accuracy = double(correct[0]) / n, naive_accuracy = double(correct[1]) / n;
  std::printf("photos: mnist recipe %.3f (%d empty), naive recipe %.3f (%d empty), %d photos\n",
              mnist_accuracy, empty[0], naive_accuracy, empty[1], n);
  EXPECT_GE(mnist_accuracy, 0.95);
  EXPECT_EQ(empty[0], 0);
  EXPECT_GT(mnist_accuracy, naive_accuracy + 0.2) << "the MNIST recipe is the point of preprocessing";
}

// The page and the tool read every image as a number: a photo of one digit
// must read as that digit as well as the one-digit recipe does.
TEST(ShippedModels, CnnReadsPhotosOfOneDigitAsNumbersOfOneDigit) {
  auto bytes = read_file_bytes(std::string(kTestModelsDir) + "/cnn.bin");
  ASSERT_TRUE(bytes);
  auto recognizer = Recognizer::load(bytes.value());
  ASSERT_TRUE(recognizer);
  const Dataset& test = test::mnist_data().test;
  Rng rng(2024, 21);  // the same photos as the test above
  const int n = 300;
  int correct = 0, one_digit = 0;
  for (int i = 0; i < n; ++i) {
    const int index = (i * 7919) % test.count;
    const cli::DecodedImage photo = cli::synthesize_photo(test.image(index), rng);
    auto r = recognizer.value()->read_image(photo.pixels, photo.width, photo.height, photo.channels);
    ASSERT_TRUE(r) << r.message();
    const std::vector<NumberReading>& numbers = r.value().numbers;
    const std::string text = numbers.empty() ? "" : numbers[0].text();
    const bool alone = numbers.size() == 1 && numbers[0].digits.size() == 1;
    one_digit += alone;
    if (!alone) {
      std::printf("  photo %d (a %d) read as %zu numbers, the first %s\n", i, test.labels[index], numbers.size(), text.c_str());
      if (std::getenv("MNIST_SAVE_SPLIT")) cli::write_png("/tmp/dbg/split_" + std::to_string(i) + ".png", photo);
    }
    correct += alone && text == std::string(1, char('0' + test.labels[index]));
  }
  std::printf("photos of one digit read as numbers: %.3f right, %d of %d read as one digit\n", double(correct) / n,
              one_digit, n);
  EXPECT_GE(double(correct) / n, 0.98);
}

}  // namespace
}  // namespace mnist

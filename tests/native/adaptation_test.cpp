// Adapting a trained model to one person's handwriting: the folds, the mix
// of their digits and MNIST replay, the refusals, and that a hand the model
// misreads (MNIST digits mirrored: a habit it never saw, though by many
// writers, so harder than one person's) is read better after adapting while
// MNIST still is read as before.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "data/mnist_files.h"
#include "io/model_file.h"
#include "train/adaptation.h"
#include "train/evaluator.h"
#include "test_paths.h"

namespace mnist {
namespace {

Dataset labelled(const std::vector<int>& labels) {
  Dataset d;
  d.count = static_cast<int>(labels.size());
  d.rows = d.cols = 28;
  d.pixels.assign(static_cast<std::size_t>(d.count) * 784, 0);
  for (int i = 0; i < d.count; ++i) {
    d.labels.push_back(static_cast<std::uint8_t>(labels[i]));
    d.pixels[static_cast<std::size_t>(i) * 784] = static_cast<std::uint8_t>(i);  // tells the examples apart
  }
  return d;
}

// Examples of `data` from `first` on, `per_digit` of each digit, mirrored
// left to right.
Dataset mirrored(const Dataset& data, int first, int per_digit) {
  std::vector<int> taken(10, 0);
  Dataset out;
  out.rows = data.rows;
  out.cols = data.cols;
  for (int i = first; i < data.count && out.count < 10 * per_digit; ++i) {
    const int label = data.labels[i];
    if (taken[label] == per_digit) continue;
    ++taken[label];
    for (int y = 0; y < data.rows; ++y) {
      for (int x = 0; x < data.cols; ++x) out.pixels.push_back(data.image(i)[y * data.cols + (data.cols - 1 - x)]);
    }
    out.labels.push_back(static_cast<std::uint8_t>(label));
    ++out.count;
  }
  return out;
}

std::unique_ptr<Model> shipped_cnn() {
  auto bytes = read_file_bytes(std::string(kTestModelsDir) + "/cnn.bin");
  EXPECT_TRUE(static_cast<bool>(bytes));
  auto model = load_model(bytes.value());
  EXPECT_TRUE(static_cast<bool>(model));
  return std::move(model.value());
}

TEST(AssignFolds, EachFoldHoldsEachDigitAsEvenlyAsItCan) {
  // 4 zeros, 3 ones, 2 twos, 1 three, in mixed order.
  const Dataset d = labelled({1, 0, 2, 0, 1, 3, 0, 2, 1, 0});
  const std::vector<int> fold = assign_folds(d, 3);
  std::map<std::pair<int, int>, int> count;  // (digit, fold) -> samples
  for (int i = 0; i < d.count; ++i) ++count[{d.labels[i], fold[i]}];
  for (int digit = 0; digit < 4; ++digit) {
    int least = 99, most = 0;
    for (int f = 0; f < 3; ++f) least = std::min(least, count[{digit, f}]), most = std::max(most, count[{digit, f}]);
    EXPECT_LE(most - least, 1) << "digit " << digit;
  }
  std::vector<int> sizes(3, 0);
  for (int f : fold) ++sizes[f];
  EXPECT_LE(*std::max_element(sizes.begin(), sizes.end()) - *std::min_element(sizes.begin(), sizes.end()), 1);
}

TEST(MixForAdaptation, TheirDigitsAreTheAskedShareBesideTheReplay) {
  const Dataset own = labelled({0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  std::vector<int> many(500);
  for (int i = 0; i < 500; ++i) many[i] = i % 10;
  const Dataset replay = labelled(many);
  AdaptConfig config;
  config.replay_count = 300;
  config.own_share = 0.25f;
  const Dataset mixed = mix_for_adaptation(own, replay, config);
  EXPECT_EQ(mixed.count, 300 + 100);  // 300 replayed, the 10 repeated 10 times (100 / 400 = 0.25)
  int theirs = 0;
  for (int i = 0; i < mixed.count; ++i) {
    const std::uint8_t tag = mixed.image(i)[0];
    if (i >= 300) {
      EXPECT_EQ(tag, own.image(i % 10)[0]);
      EXPECT_EQ(mixed.labels[i], own.labels[i % 10]);
      ++theirs;
    }
  }
  EXPECT_EQ(theirs, 100);
}

TEST(Adaptation, TooFewDigitsSaysHowManyMoreAreNeeded) {
  auto model = shipped_cnn();
  const Dataset few = labelled({3, 1, 4, 1});
  auto a = Adaptation::start(*model, few, Dataset{}, AdaptConfig{});
  ASSERT_FALSE(static_cast<bool>(a));
  EXPECT_NE(a.message().find("are 4: 6 more needed"), std::string::npos) << a.message();
}

TEST(Adaptation, AMirroredHandIsReadAfterAdaptingAndMnistStillIs) {
  auto data = load_mnist_dir(kTestMnistDataDir);
  ASSERT_TRUE(static_cast<bool>(data)) << data.message();
  const Dataset& test = data.value().test;
  const Dataset samples = mirrored(test, 0, 5);        // what they taught it
  const Dataset others = mirrored(test, 2000, 30);     // their other digits
  const Dataset mnist_part = test.slice(5000, 7000);
  auto model = shipped_cnn();
  const double others_before = evaluate(*model, others).accuracy;
  const double mnist_before = evaluate(*model, mnist_part).accuracy;
  std::vector<float> original;
  model->copy_weights_to(original);

  AdaptConfig config;
  config.steps = 100;
  config.folds = 2;
  auto started = Adaptation::start(*model, samples, data.value().train, config);
  ASSERT_TRUE(static_cast<bool>(started)) << started.message();
  Adaptation& a = *started.value();
  EXPECT_EQ(a.progress().runs, 3);
  EXPECT_EQ(a.progress().total_steps, 300);
  std::vector<float> after_first_run, weights;
  while (!a.finished()) {
    ASSERT_TRUE(static_cast<bool>(a.step()));
    if (a.progress().run == 1 && after_first_run.empty()) model->copy_weights_to(after_first_run);
  }
  model->copy_weights_to(weights);
  EXPECT_EQ(weights, after_first_run) << "the model ends with the weights adapted on all the digits";
  EXPECT_NE(weights, original);

  const AdaptReport& r = a.report();
  EXPECT_EQ(r.samples, 50);
  EXPECT_GE(r.after(), r.before() + 0.15) << "held out: before " << r.before() << ", after " << r.after();
  const double others_after = evaluate(*model, others).accuracy;
  EXPECT_GE(others_after, others_before + 0.1) << others_before << " -> " << others_after;
  EXPECT_GE(evaluate(*model, mnist_part).accuracy, mnist_before - 0.015);

  a.restore_original();
  model->copy_weights_to(weights);
  EXPECT_EQ(weights, original);
}

}  // namespace
}  // namespace mnist

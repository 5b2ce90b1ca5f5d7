// The trainer on real MNIST: the tutorial's softmax regression reaches its
// accuracy; its first steps match an independent float64 implementation;
// divergence stops with a message and keeps the last good weights.
#include <gtest/gtest.h>

#include <cmath>

#include "kernels/elementwise.h"
#include "parallel/thread_pool.h"
#include "train/evaluator.h"
#include "train/trainer.h"
#include "test_util.h"

namespace mnist {
namespace {

TrainConfig tutorial_softmax(std::uint64_t seed) {
  TrainConfig c;
  c.steps = 1000, c.batch = 100, c.learning_rate = 0.5f, c.optimizer = OptimizerKind::sgd;
  c.seed = seed;
  return c;
}

TEST(Trainer, TutorialSoftmaxReachesItsAccuracy) {
  const MnistData& d = test::mnist_data();
  for (std::uint64_t seed : {1, 2}) {
    auto model = Model::create(softmax_spec());
    Trainer trainer(*model.value(), d.train, &d.validation, tutorial_softmax(seed));
    ASSERT_TRUE(trainer.run(nullptr));
    const double accuracy = evaluate(*model.value(), d.test).accuracy;
    EXPECT_GE(accuracy, 0.91) << "seed " << seed;
    EXPECT_LE(accuracy, 0.935) << "seed " << seed << ": suspiciously good for softmax regression";
  }
}

TEST(Trainer, SoftmaxStepsMatchAnIndependentFloat64Reference) {
  const MnistData& d = test::mnist_data();
  auto model = Model::create(softmax_spec());
  TrainConfig config = tutorial_softmax(3);
  config.steps = 20;
  Trainer trainer(*model.value(), d.train, nullptr, config);

  // Reference: W (10,784), b (10) in double, same batches (same seeded order).
  std::vector<double> W(7840, 0.0), b(10, 0.0);
  Batcher batcher(d.train, 3);
  std::vector<int> idx;
  for (int step = 0; step < 20; ++step) {
    batcher.next(100, idx);
    std::vector<double> gW(7840, 0.0), gb(10, 0.0);
    double loss = 0;
    for (int i : idx) {
      double z[10], max = -1e300, sum = 0;
      for (int k = 0; k < 10; ++k) {
        z[k] = b[k];
        for (int p = 0; p < 784; ++p) z[k] += W[k * 784 + p] * (d.train.image(i)[p] / 255.0);
        max = std::max(max, z[k]);
      }
      for (int k = 0; k < 10; ++k) sum += std::exp(z[k] - max);
      const int y = d.train.labels[i];
      loss += std::log(sum) + max - z[y];
      for (int k = 0; k < 10; ++k) {
        const double g = (std::exp(z[k] - max) / sum - (k == y)) / 100.0;
        gb[k] += g;
        for (int p = 0; p < 784; ++p) gW[k * 784 + p] += g * (d.train.image(i)[p] / 255.0);
      }
    }
    for (int j = 0; j < 7840; ++j) W[j] -= 0.5 * gW[j];
    for (int k = 0; k < 10; ++k) b[k] -= 0.5 * gb[k];
    ASSERT_TRUE(trainer.step());
    EXPECT_NEAR(trainer.progress().loss, loss / 100.0, 1e-4 * (1 + loss / 100.0)) << "step " << step;
  }
  auto params = model.value()->params();
  for (int j = 0; j < 7840; j += 13) EXPECT_NEAR(params[0].value->data[j], W[j], 1e-4);
  for (int k = 0; k < 10; ++k) EXPECT_NEAR(params[1].value->data[k], b[k], 1e-4);
}

TEST(Trainer, SameSeedSameModelDifferentSeedDifferentModel) {
  const MnistData& d = test::mnist_data();
  auto spec = parse_spec("input 28x28x1; conv3x3 4; relu; maxpool2x2; dense 16; relu; dropout 0.5; "
                         "dense 10; init truncated_normal 0.1 0.1");
  std::vector<std::vector<float>> weights;
  for (std::uint64_t seed : {4, 4, 5}) {
    auto model = Model::create(spec.value());
    TrainConfig c;
    c.steps = 5, c.batch = 16, c.learning_rate = 1e-3f, c.optimizer = OptimizerKind::adam, c.seed = seed;
    c.augment.enabled = true;
    Trainer trainer(*model.value(), d.train, nullptr, c);
    ASSERT_TRUE(trainer.run(nullptr));
    weights.emplace_back();
    model.value()->copy_weights_to(weights.back());
  }
  EXPECT_EQ(weights[0], weights[1]);
  EXPECT_NE(weights[0], weights[2]);
}

// Threads split every product by output rows, so each number is computed the
// same way whatever the thread count. Our own kernels (the WebAssembly build's)
// give identical bits. Eigen's blocking depends on the row count, so natively
// rounding may differ, and Adam, which divides a gradient by its own size,
// can turn a rounding difference in a near-zero gradient into a step of up
// to the learning rate: natively, almost every weight must agree to 1e-6 and
// none may differ by more than the three steps taken.
TEST(Trainer, ThreadCountDoesNotChangeWhatIsLearned) {
  if (parallel::max_threads() < 2) GTEST_SKIP() << "one hardware thread";
  const MnistData& d = test::mnist_data();
  const int saved = parallel::thread_count();
  std::vector<std::vector<float>> weights;
  for (int threads : {1, 2}) {
    parallel::set_thread_count(threads);
    auto model = Model::create(cnn_spec());
    TrainConfig c;
    c.steps = 3, c.batch = 32, c.learning_rate = 1e-3f, c.optimizer = OptimizerKind::adam, c.seed = 6;
    Trainer trainer(*model.value(), d.train, nullptr, c);
    ASSERT_TRUE(trainer.run(nullptr));
    weights.emplace_back();
    model.value()->copy_weights_to(weights.back());
  }
  parallel::set_thread_count(saved);
  // Bit for bit, in both builds: our kernels compute each element the same
  // way wherever its chunk falls, and Eigen's products get the same blocks
  // on any number of threads (ops/matmul.cpp).
  EXPECT_EQ(weights[0], weights[1]);
}

TEST(Trainer, CnnLearnsInAShortRun) {
  const MnistData& d = test::mnist_data();
  auto model = Model::create(cnn_spec());
  TrainConfig c;
  c.steps = 40, c.batch = 64, c.learning_rate = 1e-3f, c.optimizer = OptimizerKind::adam;
  c.validate_every = 20, c.validation_limit = 1000;
  Trainer trainer(*model.value(), d.train, &d.validation, c);
  std::vector<float> val;
  ASSERT_TRUE(trainer.run([&](const TrainProgress& p) {
    if (p.validated_this_step) val.push_back(p.validation_accuracy);
    return true;
  }));
  ASSERT_EQ(val.size(), 2u);
  EXPECT_GT(val[1], 0.75f) << "after 40 Adam steps the tutorial CNN should be well on its way";
  EXPECT_GT(trainer.progress().images_per_second, 0.0);
  EXPECT_GT(trainer.progress().validation_seconds, 0.0) << "two validations on 1000 images";
}

TEST(Trainer, DivergenceStopsWithAMessageAndKeepsGoodWeights) {
  const MnistData& d = test::mnist_data();
  for (float lr : {1e4f, 1e30f}) {
    auto model = Model::create(softmax_spec());
    TrainConfig c = tutorial_softmax(1);
    c.learning_rate = lr;
    Trainer trainer(*model.value(), d.train, nullptr, c);
    Status s = trainer.run(nullptr);
    ASSERT_FALSE(s) << "lr " << lr << " should diverge";
    EXPECT_NE(s.message().find("training diverged at step"), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("learning rate"), std::string::npos);
    EXPECT_TRUE(trainer.finished());
    for (const Model::ConstParam& p : model.value()->params()) {
      EXPECT_TRUE(kernels::f32_all_finite_scalar(p.value->ptr(), p.value->size())) << p.name;
    }
    // The kept weights are the last ones whose loss was checked: usable.
    const Evaluation ev = evaluate(*model.value(), d.test, 500, 1000);
    EXPECT_TRUE(std::isfinite(ev.loss));
  }
}

TEST(Trainer, StopsBetweenStepsWhenAsked) {
  const MnistData& d = test::mnist_data();
  auto model = Model::create(softmax_spec());
  Trainer trainer(*model.value(), d.train, nullptr, tutorial_softmax(1));
  ASSERT_TRUE(trainer.run([](const TrainProgress& p) { return p.step < 3; }));
  EXPECT_EQ(trainer.progress().step, 3);
  EXPECT_EQ(trainer.progress().validation_seconds, 0.0) << "no validation set";
  EXPECT_FALSE(trainer.finished());
  ASSERT_TRUE(trainer.step());  // and can resume
  EXPECT_EQ(trainer.progress().step, 4);
}

// The trainer writes each batch straight into the model's input, so images of
// another size than the model takes are refused rather than written past it.
TEST(Trainer, ImagesOfAnotherSizeThanTheModelTakesAreRefused) {
  const MnistData& d = test::mnist_data();
  auto spec = parse_spec("input 8x8x1; dense 10; init zeros");
  ASSERT_TRUE(spec) << spec.message();
  auto model = Model::create(spec.value());
  Trainer trainer(*model.value(), d.train, nullptr, tutorial_softmax(1));
  Status s = trainer.step();
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("the images have 784 pixels but the model takes 64"), std::string::npos)
      << s.message();
}

TEST(Trainer, EpochsBecomeSteps) {
  const MnistData& d = test::mnist_data();
  auto model = Model::create(softmax_spec());
  TrainConfig c = tutorial_softmax(1);
  c.epochs = 2, c.batch = 1000;
  Trainer trainer(*model.value(), d.train, nullptr, c);
  EXPECT_EQ(trainer.progress().total_steps, 110);
}

TEST(Trainer, RejectsConfigsThatCannotTrain) {
  TrainConfig c;
  c.batch = 0;
  EXPECT_FALSE(check_train_config(c));
  c = TrainConfig{};
  c.learning_rate = -1;
  EXPECT_FALSE(check_train_config(c));
  c = TrainConfig{};
  c.learning_rate = NAN;
  EXPECT_FALSE(check_train_config(c));
  c = TrainConfig{};
  c.steps = 0;
  EXPECT_FALSE(check_train_config(c));
  EXPECT_TRUE(check_train_config(TrainConfig{}));
}

TEST(Trainer, BatchesThatCannotFitInMemoryAreRefused) {
  auto cnn = Model::create(cnn_spec());
  // The tutorial CNN: about 0.8 MB per example (activations, gradients),
  // and the step's scratch on top.
  const std::size_t per_example = cnn.value()->training_bytes(1001) - cnn.value()->training_bytes(1000);
  EXPECT_GT(per_example, std::size_t{1} << 19);
  EXPECT_LT(per_example, std::size_t{2} << 20);
  const Plan plan = cnn.value()->plan(Purpose::train, 250);
  EXPECT_GT(cnn.value()->training_bytes(250), 250 * (std::size_t{1} << 19) + plan.scratch.shared + plan.scratch.per_thread);
  EXPECT_TRUE(check_batch_fits(*cnn.value(), 250, std::size_t{640} << 20));
  Status s = check_batch_fits(*cnn.value(), 4096, std::size_t{640} << 20);
  ASSERT_FALSE(s);
  const auto at_most = s.message().find("use a batch of at most ");
  ASSERT_NE(at_most, std::string::npos) << s.message();
  const int largest = std::stoi(s.message().substr(at_most + 23));
  EXPECT_TRUE(check_batch_fits(*cnn.value(), largest, std::size_t{640} << 20));
  EXPECT_FALSE(check_batch_fits(*cnn.value(), largest + 1, std::size_t{640} << 20));
  EXPECT_GT(largest, 500);
  auto softmax = Model::create(softmax_spec());
  EXPECT_TRUE(check_batch_fits(*softmax.value(), 4096, std::size_t{640} << 20));
}

TEST(Evaluator, ConfusionMatrixAddsUp) {
  const MnistData& d = test::mnist_data();
  auto model = Model::create(softmax_spec());
  Trainer trainer(*model.value(), d.train, nullptr, tutorial_softmax(1));
  ASSERT_TRUE(trainer.run([](const TrainProgress& p) { return p.step < 100; }));
  const Evaluation ev = evaluate(*model.value(), d.test, 333);
  int total = 0, diagonal = 0;
  for (int t = 0; t < 10; ++t)
    for (int g = 0; g < 10; ++g) total += ev.confusion[t * 10 + g], diagonal += t == g ? ev.confusion[t * 10 + g] : 0;
  EXPECT_EQ(total, 10000);
  EXPECT_NEAR(ev.accuracy, diagonal / 10000.0, 1e-12);
  int row7 = 0;
  for (int g = 0; g < 10; ++g) row7 += ev.confusion[7 * 10 + g];
  int sevens = 0;
  for (auto l : d.test.labels) sevens += l == 7;
  EXPECT_EQ(row7, sevens) << "rows are true labels";
}

}  // namespace
}  // namespace mnist

// Checkpoints: a run saved and continued learns exactly what a run that never
// stopped learns (softmax with SGD; the CNN with Adam, augmentation and
// dropout), and a damaged or foreign checkpoint is refused with its reason.
#include <gtest/gtest.h>

#include "io/checkpoint.h"
#include "io/model_file.h"
#include "model/model_spec.h"
#include "test_util.h"

namespace mnist {
namespace {

struct TrainingRun {
  const char* kind;
  TrainConfig config;
};

TrainingRun softmax_run() {
  TrainConfig c;
  c.steps = 60, c.batch = 50, c.learning_rate = 0.5f, c.optimizer = OptimizerKind::sgd, c.seed = 4;
  return {"softmax", c};
}

TrainingRun cnn_run() {
  TrainConfig c;
  c.steps = 6, c.batch = 16, c.learning_rate = 1e-3f, c.optimizer = OptimizerKind::adam, c.seed = 9;
  c.augment.enabled = true;
  return {"cnn", c};
}

std::vector<float> weights_of(Model& m) {
  std::vector<float> w;
  m.copy_weights_to(w);
  return w;
}

// Trains `run` straight through, and again stopping after `stop` steps into
// a checkpoint's bytes and continuing from them in a new model and trainer.
void check_resume_equals_uninterrupted(const TrainingRun& run, int stop) {
  const Dataset& train = test::mnist_data().train;
  auto whole = Model::create(preset_spec(run.kind).value()).value();
  Trainer straight(*whole, train, nullptr, run.config);
  ASSERT_TRUE(straight.run(nullptr));

  auto first = Model::create(preset_spec(run.kind).value()).value();
  Trainer before(*first, train, nullptr, run.config);
  for (int s = 0; s < stop; ++s) ASSERT_TRUE(before.step());
  const auto bytes = save_checkpoint(run.kind, run.config, fingerprint(train), *first, before.state());
  first.reset();  // nothing survives but the bytes

  auto loaded = load_checkpoint(bytes);
  ASSERT_TRUE(loaded) << loaded.message();
  Checkpoint& c = loaded.value();
  EXPECT_EQ(c.model_kind, run.kind);
  EXPECT_EQ(c.trainer.step, stop);
  EXPECT_TRUE(c.data == fingerprint(train));
  Trainer after(*c.model, train, nullptr, c.config);
  ASSERT_TRUE(after.restore(c.trainer));
  ASSERT_TRUE(after.run(nullptr));
  EXPECT_EQ(after.progress().step, run.config.steps);
  EXPECT_EQ(weights_of(*c.model), weights_of(*whole));
  EXPECT_EQ(save_model(*c.model), save_model(*whole));
}

TEST(Checkpoint, SoftmaxResumedLearnsWhatAnUninterruptedRunLearns) { check_resume_equals_uninterrupted(softmax_run(), 23); }

TEST(Checkpoint, CnnWithAdamAugmentationAndDropoutResumesExactly) { check_resume_equals_uninterrupted(cnn_run(), 4); }

TEST(Checkpoint, DamagedTruncatedAndForeignFilesAreRefusedWithTheirReason) {
  const TrainingRun run = softmax_run();
  const Dataset& train = test::mnist_data().train;
  auto model = Model::create(preset_spec(run.kind).value()).value();
  Trainer trainer(*model, train, nullptr, run.config);
  ASSERT_TRUE(trainer.step());
  const auto bytes = save_checkpoint(run.kind, run.config, fingerprint(train), *model, trainer.state());
  ASSERT_TRUE(load_checkpoint(bytes));

  auto flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x40;
  auto damaged = load_checkpoint(flipped);
  ASSERT_FALSE(damaged);
  EXPECT_NE(damaged.message().find("checksum mismatch"), std::string::npos) << damaged.message();

  auto cut = load_checkpoint(std::span(bytes).subspan(0, bytes.size() - 1000));
  ASSERT_FALSE(cut);
  EXPECT_TRUE(cut.message().find("truncated") != std::string::npos || cut.message().find("checksum") != std::string::npos)
      << cut.message();

  auto model_file = load_checkpoint(save_model(*model));
  ASSERT_FALSE(model_file);
  EXPECT_NE(model_file.message().find("model file, not a checkpoint"), std::string::npos);
  EXPECT_FALSE(load_checkpoint(std::vector<std::uint8_t>{1, 2, 3}));
  EXPECT_FALSE(load_checkpoint({}));
}

TEST(Checkpoint, AStateThatDoesNotFitTheRunIsRefused) {
  const Dataset& train = test::mnist_data().train;
  const TrainingRun run = cnn_run();
  auto model = Model::create(preset_spec("cnn").value()).value();
  Trainer trainer(*model, train, nullptr, run.config);
  ASSERT_TRUE(trainer.step());
  TrainerState state = trainer.state();

  // Adam moments saved for another model.
  auto softmax = Model::create(preset_spec("softmax").value()).value();
  TrainConfig adam = run.config;
  adam.initialize = false;
  Trainer other(*softmax, train, nullptr, adam);
  auto refused = other.restore(state);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.message().find("Adam"), std::string::npos) << refused.message();

  // A batch order for other data.
  TrainerState short_order = state;
  short_order.batcher.order.resize(100);
  auto again = Model::create(preset_spec("cnn").value()).value();
  Trainer fresh(*again, train, nullptr, adam);
  auto wrong_data = fresh.restore(short_order);
  ASSERT_FALSE(wrong_data);
  EXPECT_NE(wrong_data.message().find("batch order"), std::string::npos) << wrong_data.message();

  // A step past the run's end.
  TrainerState late = state;
  late.step = run.config.steps + 1;
  EXPECT_FALSE(fresh.restore(late));
}

}  // namespace
}  // namespace mnist

// The facades the WebAssembly bindings wrap: Recognizer and TrainingSession,
// driven from IDX and model-file bytes exactly as the browser drives them.
#include <gtest/gtest.h>

#include "api/recognizer.h"
#include "api/training_session.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <span>

#include "model/model.h"
#include "model/model_spec.h"
#include "test_util.h"
#include "test_paths.h"

namespace mnist {
namespace {

std::vector<std::uint8_t> file(const std::string& name) {
  auto bytes = read_file_bytes(std::string(kTestMnistDataDir) + "/" + name);
  EXPECT_TRUE(bytes) << bytes.message();
  return bytes.value();
}

TEST(TrainingSession, TutorialSoftmaxInTimeSlices) {
  TrainingSession session;
  ASSERT_TRUE(session.set_training_data(file("train-images-idx3-ubyte"), file("train-labels-idx1-ubyte")));
  ASSERT_TRUE(session.set_test_data(file("t10k-images-idx3-ubyte"), file("t10k-labels-idx1-ubyte")));
  EXPECT_EQ(session.train_count(), 55000);
  TrainConfig config;  // the tutorial's softmax setting
  config.validate_every = 250;
  config.validation_limit = 1000;
  ASSERT_TRUE(session.start("softmax", {}, config));
  int slices = 0;
  while (!session.finished()) {
    ASSERT_TRUE(session.run_for(100, 1e9));
    ++slices;
  }
  EXPECT_EQ(slices, 10);
  EXPECT_GT(session.progress().validation_accuracy, 0.88f);
  const Evaluation ev = session.evaluate_test();
  EXPECT_GE(ev.accuracy, 0.91);
  EXPECT_EQ(session.softmax_weights().size(), 7840u);
  // The saved bytes load as a recognizer that agrees with the evaluation.
  auto recognizer = Recognizer::load(session.save());
  ASSERT_TRUE(recognizer) << recognizer.message();
  std::vector<float> x(784);
  image_to_floats(session.test_set(), 0, x.data());
  auto probs = recognizer.value()->predict(x);
  ASSERT_TRUE(probs);
  EXPECT_EQ(std::max_element(probs.value().begin(), probs.value().end()) - probs.value().begin(), ev.guesses[0]);

  // A batch gives each image's own probabilities; a partial image is refused.
  std::vector<float> batch(3 * 784);
  for (int i = 0; i < 3; ++i) image_to_floats(session.test_set(), i, batch.data() + i * 784);
  auto batch_probs = recognizer.value()->predict(batch);
  ASSERT_TRUE(batch_probs);
  ASSERT_EQ(batch_probs.value().size(), 30u);
  for (int i = 0; i < 3; ++i) {
    auto one = recognizer.value()->predict(std::span<const float>(batch).subspan(i * 784, 784));
    for (int k = 0; k < 10; ++k) EXPECT_NEAR(batch_probs.value()[i * 10 + k], one.value()[k], 1e-6);
  }
  auto partial = recognizer.value()->predict(std::span<const float>(batch).subspan(0, 800));
  ASSERT_FALSE(partial);
  EXPECT_NE(partial.message().find("784 values per image"), std::string::npos) << partial.message();
}

TEST(TrainingSession, BadDataAndOrderOfCalls) {
  TrainingSession session;
  EXPECT_FALSE(session.run_for(1, 10));
  EXPECT_NE(session.start("softmax", {}, TrainConfig{}).message().find("load training and test data first"), std::string::npos);
  auto labels = file("t10k-labels-idx1-ubyte");
  auto images = file("t10k-images-idx3-ubyte");
  Status truncated = session.set_test_data(std::span(images).subspan(0, 5000), labels);
  ASSERT_FALSE(truncated);
  EXPECT_NE(truncated.message().find("test images: file is truncated"), std::string::npos) << truncated.message();
  Status swapped = session.set_test_data(labels, images);
  ASSERT_FALSE(swapped);
  EXPECT_NE(swapped.message().find("expected an image file"), std::string::npos) << swapped.message();
  ASSERT_TRUE(session.set_test_data(images, labels));
  ASSERT_TRUE(session.set_training_data(images, labels));  // any IDX pair can train
  EXPECT_EQ(session.train_count(), 9000);
  EXPECT_FALSE(session.start("lstm", {}, TrainConfig{}));
  TrainConfig absurd;
  absurd.learning_rate = 1e6f;
  ASSERT_TRUE(session.start("softmax", {}, absurd));
  Status diverged = session.run_for(1000, 1e9);
  ASSERT_FALSE(diverged);
  EXPECT_NE(diverged.message().find("diverged"), std::string::npos);
  EXPECT_TRUE(Recognizer::load(session.save())) << "the last good weights are still a valid model";
}

// One image at a time goes through the int8 copy of the large dense layer
// and the transposed copy of the small one (made at load); a batch of eight
// through the float packed product. Int8Dense.* pins the int8 path on the
// whole test set: its probabilities stay within 0.0075 of the float path's.
TEST(Recognizer, OneImageAtATimeMatchesABatch) {
  auto bytes = read_file_bytes(std::string(kTestModelsDir) + "/cnn.bin");
  ASSERT_TRUE(bytes) << bytes.message();
  auto recognizer = Recognizer::load(bytes.value());
  ASSERT_TRUE(recognizer) << recognizer.message();
  const int images = 8;
  std::vector<float> x(std::size_t(images) * 784);
  for (int i = 0; i < images; ++i) image_to_floats(test::mnist_data().test, i, x.data() + i * 784);
  auto batch = recognizer.value()->predict(x);
  ASSERT_TRUE(batch) << batch.message();
  for (int i = 0; i < images; ++i) {
    auto one = recognizer.value()->predict(std::span<const float>(x.data() + i * 784, 784));
    ASSERT_TRUE(one) << one.message();
    for (int k = 0; k < 10; ++k) {
      EXPECT_NEAR(one.value()[k], batch.value()[i * 10 + k], 0.01f) << "image " << i << " class " << k;
    }
  }
}

// The copies prepare_inference() makes are derived from the weights: the
// Winograd transform of a convolution, a small dense layer's transposed
// weights and a large one's int8 weights (1024 x 256 is the smallest that
// gets them). Once params() hands out write access they are dropped, so one
// image never sees stale weights.
TEST(Model, PreparedInferenceFollowsLaterWeightChanges) {
  for (const char* text :
       {"input 6x6x1; conv3x3 4; relu; conv3x3 4; relu; dense 9; relu; dense 4; "
        "init truncated_normal 0.5 0.1",
        "input 32x32x1; dense 256; relu; dense 4; init truncated_normal 0.03 0.01"}) {
    auto spec = parse_spec(text);
    ASSERT_TRUE(spec) << spec.message();
    auto prepared = Model::create(spec.value()), plain = Model::create(spec.value());
    prepared.value()->initialize(3);
    prepared.value()->prepare_inference();
    const int inputs = prepared.value()->input_size();
    std::vector<float> x(inputs);
    for (int i = 0; i < inputs; ++i) x[i] = i % 3 ? 0.0f : 0.1f * (i % 17);
    std::vector<float> before(4), after(4), expected(4);
    prepared.value()->predict(x.data(), 1, before.data());
    for (const Param& p : prepared.value()->mutable_params()) {
      for (float& w : p.value->data) w = -w;
    }
    std::vector<float> weights;
    prepared.value()->copy_weights_to(weights);
    plain.value()->copy_weights_from(weights);
    prepared.value()->predict(x.data(), 1, after.data());
    plain.value()->predict(x.data(), 1, expected.data());
    EXPECT_GT(test::max_abs_diff(before, after), 1e-3) << text << ": negating the weights changes the output";
    EXPECT_LT(test::max_abs_diff(after, expected), 1e-6) << text;
  }
}

// A model prepared for inference drops its dense gradients (12.8 MB for the
// CNN); mutable_params() hands them back zeroed, and backward then computes
// the same gradients as in a model that was never prepared. Reading the
// parameters (params()) changes nothing: the model stays prepared.
TEST(Model, PreparedModelGetsItsGradientsBackForTraining) {
  auto spec = parse_spec("input 6x6x1; dense 9; relu; dense 4; init truncated_normal 0.5 0.1");
  ASSERT_TRUE(spec) << spec.message();
  auto prepared = Model::create(spec.value()), plain = Model::create(spec.value());
  prepared.value()->initialize(3);
  plain.value()->initialize(3);
  prepared.value()->prepare_inference();
  EXPECT_EQ(prepared.value()->params().size(), 4u);
  EXPECT_EQ(prepared.value()->purpose_of(false, 1), Purpose::predict_one) << "reading params() unprepared it";
  for (const Param& p : prepared.value()->mutable_params()) {
    ASSERT_EQ(p.grad->shape, p.value->shape) << p.name;
    for (float g : p.grad->data) ASSERT_EQ(g, 0.0f) << p.name;
  }
  std::vector<float> x(2 * 36);
  for (int i = 0; i < 72; ++i) x[i] = i % 3 ? 0.0f : 0.02f * i;
  Tensor dlogits({2, 4});
  for (int i = 0; i < 8; ++i) dlogits.data[i] = 0.1f * (i - 3);
  for (auto* m : {prepared.value().get(), plain.value().get()}) {
    m->zero_grads();
    m->forward(x.data(), 2, true);
    m->backward(dlogits);
  }
  auto got = prepared.value()->mutable_params(), want = plain.value()->mutable_params();
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_GT(test::max_abs_diff(want[i].grad->data, std::vector<float>(want[i].grad->size())), 0.0)
        << want[i].name << " has a gradient";
    EXPECT_EQ(got[i].grad->data, want[i].grad->data) << got[i].name;
  }
}

// A prediction pools before ReLU where ReLU is followed by max-pooling: the
// same values bit for bit, NaN and -0 included, as the layers in their order
// (a training pass, which with no dropout computes the same function). Also
// after a training pass, whose ReLU output the prediction leaves alone, and
// whose backward must not see the prediction.
TEST(Model, PredictionPoolsBeforeReluAndGetsTheSameValues) {
  // Two input channels: a convolution of one would take the fused path (below).
  auto spec = parse_spec("input 7x6x2; conv3x3 4; relu; maxpool2x2; conv3x3 4; relu; maxpool2x2; "
                         "relu; dense 5; init truncated_normal 0.5 -0.2");
  ASSERT_TRUE(spec) << spec.message();
  auto model = Model::create(spec.value());
  model.value()->initialize(4);
  const int B = 3, inputs = model.value()->input_size();
  std::vector<float> x(B * inputs);
  for (int i = 0; i < B * inputs; ++i) x[i] = 0.05f * (i % 23) - 0.4f;
  x[5] = NAN;
  x[inputs + 9] = -0.0f;
  const Tensor layered = model.value()->forward(x.data(), B, true);
  const Tensor predicted = model.value()->forward(x.data(), B, false);
  ASSERT_EQ(layered.shape, predicted.shape);
  int nans = 0;
  for (std::size_t i = 0; i < layered.size(); ++i) {
    nans += std::isnan(layered.data[i]);
    if (std::isnan(layered.data[i])) {
      EXPECT_TRUE(std::isnan(predicted.data[i])) << i;
    } else {
      EXPECT_EQ(std::bit_cast<std::uint32_t>(layered.data[i]),
                std::bit_cast<std::uint32_t>(predicted.data[i])) << i;
    }
  }
  EXPECT_GT(nans, 0) << "the NaN reached the output";
  EXPECT_LT(nans, static_cast<int>(layered.size())) << "and not all of it";
}

// A prediction runs a first convolution of one channel, its ReLU and its
// pooling in one pass, by Winograd: the layers' values up to rounding, for
// one image or several, with or without the weights' transform kept.
TEST(Model, PredictionFusesAOneChannelConvolutionWithItsReluAndPooling) {
  auto spec = parse_spec("input 9x8x1; conv3x3 6; relu; maxpool2x2; conv3x3 4; relu; maxpool2x2; "
                         "dense 5; init truncated_normal 0.5 -0.1");
  ASSERT_TRUE(spec) << spec.message();
  auto model = Model::create(spec.value());
  model.value()->initialize(6);
  const int B = 3, inputs = model.value()->input_size();
  std::vector<float> x(B * inputs);
  for (int i = 0; i < B * inputs; ++i) x[i] = 0.07f * (i % 19) - 0.5f;
  for (bool prepared : {false, true}) {
    if (prepared) model.value()->prepare_inference();
    for (int b : {1, B}) {
      const Tensor layered = model.value()->forward(x.data(), b, true);
      const Tensor predicted = model.value()->forward(x.data(), b, false);
      ASSERT_EQ(layered.shape, predicted.shape);
      EXPECT_LT(test::max_abs_diff(layered.data, predicted.data), 1e-5) << prepared << " " << b;
      EXPECT_GT(test::max_abs_diff(layered.data, std::vector<float>(layered.size())), 0.1);
    }
  }
}

TEST(Recognizer, RejectsModelsThatDoNotTake28x28) {
  auto spec = parse_spec("input 8x8x1; dense 10; init zeros");
  auto model = Model::create(spec.value());
  auto r = Recognizer::load(save_model(*model.value()));
  ASSERT_FALSE(r);
  EXPECT_NE(r.message().find("not 28x28"), std::string::npos);
}

}  // namespace
}  // namespace mnist

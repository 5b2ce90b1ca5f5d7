// Every differentiable layer's backward pass against central finite
// differences, in the spirit of tiny-dnn and ggml. The loss is
// L = sum(out * R) for a fixed random R, so dL/dout = R.
// Known kinks where finite differences may disagree, avoided by the inputs:
// ReLU at exactly 0 and max-pool ties (inputs are distinct and away from 0).
#include <gtest/gtest.h>

#include <cmath>

#include "layers/conv2d_layer.h"
#include "ops/conv2d.h"
#include "layers/dense_layer.h"
#include "layers/dropout_layer.h"
#include "layers/maxpool_layer.h"
#include "layers/relu_layer.h"
#include "model/model.h"
#include "ops/softmax_cross_entropy.h"
#include "parallel/thread_pool.h"
#include "test_util.h"

namespace mnist {
namespace {

// Inputs away from 0 and from each other (no ReLU kinks, no pool ties).
void fill_away_from_kinks(Tensor& t, Rng& rng) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    const float mag = 0.1f + 0.9f * rng.uniform() + 1e-3f * (i % 97);
    t.data[i] = rng.uniform() < 0.5f ? -mag : mag;
  }
}

double loss_of(Layer& layer, const PlanStep& step, const Tensor& in, const Tensor& r, const Shape& out_shape,
               const Rng& rng_template) {
  Tensor out(out_shape);
  Rng rng = rng_template;  // the same dropout mask every call
  layer.forward(in, out, step, test::workspace(), rng);
  double s = 0;
  for (std::size_t i = 0; i < out.size(); ++i) s += double(out.data[i]) * r.data[i];
  return s;
}

// Checks d(loss)/d(input) and d(loss)/d(every parameter) of one layer.
// zero_share of dL/dout is zero, as after ReLU, pooling and dropout: enough
// zeros and the backward products leave them out (ops/matmul.h).
void check_layer(Layer& layer, const PlanStep& step, Shape in_shape_no_batch, int B, std::uint64_t seed,
                 double zero_share = 0.0) {
  Rng rng(seed);
  Shape in_shape = {B};
  in_shape.insert(in_shape.end(), in_shape_no_batch.begin(), in_shape_no_batch.end());
  Shape out_shape = {B};
  auto o = layer.output_shape(in_shape_no_batch);
  out_shape.insert(out_shape.end(), o.begin(), o.end());

  Tensor in(in_shape), r(out_shape);
  fill_away_from_kinks(in, rng);
  for (float& v : r.data) v = rng.uniform() < zero_share ? 0.0f : rng.uniform(-1, 1);
  for (Param& p : layer.param_list()) {
    for (float& v : p.value->data) v = rng.uniform(-0.5f, 0.5f);
    p.grad->fill(0.0f);
  }
  const Rng dropout_rng(seed + 1);

  // Analytic gradients. backward writes din whole (layer.h): it starts as NaN.
  Tensor out(out_shape), din(in_shape);
  din.fill(NAN);
  Rng fwd = dropout_rng;
  layer.forward(in, out, step, test::workspace(), fwd);
  layer.backward(in, out, r, &din, step, test::workspace());
  for (std::size_t i = 0; i < din.size(); ++i) ASSERT_FALSE(std::isnan(din.data[i])) << "din[" << i << "] not written";

  const float eps = 1e-2f;
  auto numeric = [&](float& x) {
    const float saved = x;
    x = saved + eps;
    const double up = loss_of(layer, step, in, r, out_shape, dropout_rng);
    x = saved - eps;
    const double down = loss_of(layer, step, in, r, out_shape, dropout_rng);
    x = saved;
    return (up - down) / (2 * eps);
  };
  for (std::size_t i = 0; i < in.size(); i += std::max<std::size_t>(1, in.size() / 50)) {
    const double n = numeric(in.data[i]);
    ASSERT_NEAR(din.data[i], n, 2e-2 * (1 + std::fabs(n))) << "input gradient " << i;
  }
  for (Param& p : layer.param_list()) {
    for (std::size_t i = 0; i < p.value->size(); i += std::max<std::size_t>(1, p.value->size() / 50)) {
      const double n = numeric(p.value->data[i]);
      ASSERT_NEAR(p.grad->data[i], n, 2e-2 * (1 + std::fabs(n))) << p.name << "[" << i << "]";
    }
  }
}

TEST(GradientCheck, Dense) {
  DenseLayer layer("dense", 12, 5);
  check_layer(layer, test::step_for(layer), {12}, 3, 1);
}

TEST(GradientCheck, DenseFlattensImages) {
  DenseLayer layer("dense", 4 * 3 * 2, 3);
  check_layer(layer, test::step_for(layer), {4, 3, 2}, 2, 2);
}

TEST(GradientCheck, Conv2dOneChannelIn) {
  Conv2dLayer layer("conv", 1, 4);
  check_layer(layer, test::conv_step(1), {5, 6, 1}, 2, 3);
}

TEST(GradientCheck, Conv2dManyChannels) {
  Conv2dLayer layer("conv", 3, 2);
  check_layer(layer, test::conv_step(3), {4, 4, 3}, 2, 4);
}

// Enough channels that backward makes patches and folds dcols in several
// chunks of images (conv2d_images_per_product: 3 images of 12x12x64: 3 + 2).
TEST(GradientCheck, Conv2dOverSeveralChunksOfImages) {
  ASSERT_LT(conv2d_images_per_product(12, 12, 64), 5);
  Conv2dLayer layer("conv", 64, 2);
  check_layer(layer, test::conv_step(64), {12, 12, 64}, 5, 5);
}

// The gradients that reach these layers in training are mostly zeros.
TEST(GradientCheck, DenseWithMostlyZeroOutputGradient) {
  DenseLayer layer("dense", 40, 33);
  check_layer(layer, test::step_for(layer), {40}, 7, 10, 0.8);
}

TEST(GradientCheck, Conv2dWithMostlyZeroOutputGradient) {
  Conv2dLayer layer("conv", 64, 35);
  check_layer(layer, test::conv_step(64), {12, 12, 64}, 5, 11, 0.8);
}

// As a model's first layer, a layer gets no din: its parameter gradients
// must be the ones it computes alongside din, on one thread and on two
// (where with din the two gradients run side by side).
void expect_same_parameter_gradients_without_din(Layer& layer, const PlanStep& step, Shape in_shape,
                                                 std::uint64_t seed) {
  Rng rng(seed);
  Tensor in(in_shape), out;
  fill_away_from_kinks(in, rng);
  for (Param& p : layer.param_list())
    for (float& v : p.value->data) v = rng.uniform(-0.5f, 0.5f);
  Shape no_batch(in_shape.begin() + 1, in_shape.end()), out_shape = {in_shape[0]};
  for (int d : layer.output_shape(no_batch)) out_shape.push_back(d);
  out.resize(out_shape);
  Tensor dout(out_shape), din(in_shape);
  for (float& v : dout.data) v = rng.uniform() < 0.8 ? 0.0f : rng.uniform(-1, 1);
  Rng unused(0);
  layer.forward(in, out, step, test::workspace(), unused);
  const int saved_threads = parallel::thread_count();
  for (int threads : {1, 2}) {
    parallel::set_thread_count(threads);
    std::vector<AlignedVector<float>> with_din, without_din;
    for (Tensor* d : {&din, static_cast<Tensor*>(nullptr)}) {
      for (Param& p : layer.param_list()) p.grad->fill(0.0f);
      din.fill(0.0f);
      layer.backward(in, out, dout, d, step, test::workspace());
      for (Param& p : layer.param_list()) (d ? with_din : without_din).push_back(p.grad->data);
    }
    EXPECT_EQ(with_din, without_din) << threads << " threads";
  }
  parallel::set_thread_count(saved_threads);
}

TEST(GradientCheck, ParameterGradientsWithoutInputGradient) {
  DenseLayer dense("dense", 40, 33);
  expect_same_parameter_gradients_without_din(dense, test::step_for(dense), {7, 40}, 12);
  Conv2dLayer conv("conv", 64, 35);
  expect_same_parameter_gradients_without_din(conv, test::conv_step(64), {5, 12, 12, 64}, 13);
}

TEST(GradientCheck, MaxPoolEvenAndOdd) {
  MaxPoolLayer even, odd;
  check_layer(even, test::step_for(even), {4, 6, 2}, 2, 5);
  check_layer(odd, test::step_for(odd), {5, 3, 2}, 2, 6);
}

// A prediction does not record the winners; a backward pass after one finds
// them, from the input it is given, rather than reading stale ones.
TEST(GradientCheck, MaxPoolBackwardAfterAPredictionFindsTheWinners) {
  Rng rng(8);
  Tensor a({2, 4, 6, 3}), b({2, 4, 6, 3}), out({2, 2, 3, 3}), dout({2, 2, 3, 3});
  fill_away_from_kinks(a, rng);
  fill_away_from_kinks(b, rng);
  for (float& v : dout.data) v = rng.uniform(-1, 1);
  MaxPoolLayer trained, predicted;
  Tensor expected(a.shape), din(a.shape);
  expected.fill(0.0f);
  din.fill(0.0f);
  const PlanStep train = test::step_for(trained), predict = test::step_for(trained, Purpose::predict_batch);
  Workspace& ws = test::workspace();
  trained.forward(b, out, train, ws, rng);
  trained.backward(b, out, dout, &expected, train, ws);
  predicted.forward(a, out, train, ws, rng);  // winners of a, then a prediction on b
  predicted.forward(b, out, predict, ws, rng);
  predicted.backward(b, out, dout, &din, train, ws);
  for (std::size_t i = 0; i < din.size(); ++i) ASSERT_EQ(din.data[i], expected.data[i]) << i;
}

TEST(GradientCheck, Relu) {
  ReluLayer layer;
  check_layer(layer, test::step_for(layer), {20}, 3, 7);
}

TEST(GradientCheck, DropoutKeepsItsScale) {
  // With a fixed mask, dropout is linear: its backward must carry 1/keep_prob.
  DropoutLayer layer(0.5f);
  check_layer(layer, test::step_for(layer), {30}, 2, 8);
}

TEST(GradientCheck, SoftmaxCrossEntropy) {
  // Plain labels; with label smoothing; and with an example that is no class
  // (a uniform target), which training uses for non-digits.
  for (float smoothing : {0.0f, 0.1f}) {
    Rng rng(9);
    const int B = 4, K = 6;
    auto logits = test::random_vector(B * K, rng, -3, 3);
    std::vector<std::uint8_t> labels = {1, kNoClass, 5, 3};
    std::vector<float> probs(B * K), grad(B * K, 0.0f);
    softmax_cross_entropy_forward(probs.data(), logits.data(), labels.data(), B, K, smoothing);
    softmax_cross_entropy_backward(grad.data(), probs.data(), labels.data(), B, K, smoothing);
    const float eps = 1e-3f;
    for (int i = 0; i < B * K; ++i) {
      const float saved = logits[i];
      logits[i] = saved + eps;
      const double up = softmax_cross_entropy_forward(probs.data(), logits.data(), labels.data(), B, K, smoothing);
      logits[i] = saved - eps;
      const double down = softmax_cross_entropy_forward(probs.data(), logits.data(), labels.data(), B, K, smoothing);
      logits[i] = saved;
      EXPECT_NEAR(grad[i], (up - down) / (2 * eps), 1e-3) << i << " smoothing " << smoothing;
    }
  }
}

TEST(GradientCheck, WholeSmallCnn) {
  // The model's backward wiring (activation gradients zeroed, accumulated,
  // passed between layers) against finite differences of the real loss.
  auto spec = parse_spec("input 6x6x1; conv3x3 3; relu; maxpool2x2; conv3x3 2; relu; maxpool2x2; "
                         "dense 5; relu; dense 4; init truncated_normal 0.5 0.05");
  ASSERT_TRUE(spec) << spec.message();
  auto model = Model::create(spec.value());
  ASSERT_TRUE(model);
  Model& m = *model.value();
  m.initialize(3);
  Rng rng(10);
  const int B = 3;
  auto x = test::random_vector(B * 36, rng, 0, 1);
  std::vector<std::uint8_t> labels = {0, 3, 2};
  std::vector<float> probs(B * 4);
  auto loss = [&] {
    const Tensor& logits = m.forward(x.data(), B, true);
    return double(softmax_cross_entropy_forward(probs.data(), logits.ptr(), labels.data(), B, 4));
  };
  loss();
  Tensor dlogits({B, 4});
  dlogits.fill(0);
  softmax_cross_entropy_backward(dlogits.ptr(), probs.data(), labels.data(), B, 4);
  m.zero_grads();
  m.backward(dlogits);
  const float eps = 2e-3f;
  int checked = 0, kinks = 0;
  for (const Param& p : m.mutable_params()) {
    for (std::size_t i = 0; i < p.value->size(); i += std::max<std::size_t>(1, p.value->size() / 15)) {
      const float saved = p.value->data[i];
      p.value->data[i] = saved + eps;
      const double up = loss();
      p.value->data[i] = saved - eps;
      const double down = loss();
      p.value->data[i] = saved;
      const double n = (up - down) / (2 * eps);
      // A step that crosses a ReLU kink or swaps a pool winner is not smooth:
      // allow a few such disagreements, but most must match.
      if (std::fabs(p.grad->data[i] - n) > 2e-3 * (1 + std::fabs(n))) ++kinks;
      ++checked;
    }
  }
  EXPECT_LE(kinks, checked / 20) << kinks << " of " << checked << " gradients disagree";
  EXPECT_GT(checked, 50);
}

}  // namespace
}  // namespace mnist

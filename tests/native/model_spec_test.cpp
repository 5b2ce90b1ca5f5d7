#include <gtest/gtest.h>

#include "model/model.h"
#include "model/model_spec.h"

namespace mnist {
namespace {

TEST(ModelSpec, PresetsRoundTripThroughText) {
  for (const ModelSpec& spec : {softmax_spec(), cnn_spec()}) {
    const std::string text = format_spec(spec);
    auto parsed = parse_spec(text);
    ASSERT_TRUE(parsed) << parsed.message();
    EXPECT_EQ(format_spec(parsed.value()), text);
  }
}

TEST(ModelSpec, CnnHasTheTutorialsShapes) {
  auto model = Model::create(cnn_spec());
  ASSERT_TRUE(model);
  std::vector<std::pair<std::string, Shape>> expected = {
      {"conv1.weight", {32, 3, 3, 1}}, {"conv1.bias", {32}},  {"conv2.weight", {64, 3, 3, 32}},
      {"conv2.bias", {64}},           {"dense1.weight", {1024, 7 * 7 * 64}}, {"dense1.bias", {1024}},
      {"dense2.weight", {10, 1024}},  {"dense2.bias", {10}}};
  auto params = model.value()->params();
  ASSERT_EQ(params.size(), expected.size());
  for (std::size_t i = 0; i < params.size(); ++i) {
    EXPECT_EQ(params[i].name, expected[i].first);
    EXPECT_EQ(params[i].value->shape, expected[i].second) << params[i].name;
  }
  EXPECT_EQ(model.value()->parameter_count(), 3241354u);
}

TEST(ModelSpec, InitialisationFollowsTheTutorial) {
  auto softmax = Model::create(softmax_spec());
  for (const Model::ConstParam& p : softmax.value()->params())
    for (float v : p.value->data) ASSERT_EQ(v, 0.0f) << p.name;
  auto cnn = Model::create(cnn_spec());
  cnn.value()->initialize(5);
  for (const Model::ConstParam& p : cnn.value()->params()) {
    if (p.value->shape.size() == 1) {
      for (float v : p.value->data) ASSERT_FLOAT_EQ(v, 0.1f);
    } else {
      double sum = 0, sq = 0;
      for (float v : p.value->data) {
        ASSERT_LT(std::fabs(v), 0.2f) << "truncated normal stays within 2 stddev";
        sum += v, sq += double(v) * v;
      }
      const double n = double(p.value->size());
      EXPECT_NEAR(sum / n, 0.0, 0.02);
      // A normal truncated at 2 sigma has stddev 0.88 sigma.
      EXPECT_NEAR(std::sqrt(sq / n), 0.088, 0.01) << p.name;
    }
  }
}

TEST(ModelSpec, HeInitialisationScalesEachLayerByItsFanIn) {
  auto spec = apply_choices(cnn_spec(), {"he", -1.0f});
  ASSERT_TRUE(spec) << spec.message();
  EXPECT_EQ(format_spec(parse_spec(format_spec(spec.value())).value()), format_spec(spec.value()));
  EXPECT_NE(format_spec(spec.value()).find("; init he"), std::string::npos);
  auto cnn = Model::create(spec.value());
  cnn.value()->initialize(5);
  for (const Model::ConstParam& p : cnn.value()->params()) {
    if (p.value->shape.size() == 1) {
      for (float v : p.value->data) ASSERT_EQ(v, 0.0f) << p.name;
      continue;
    }
    const double fan_in = double(p.value->size()) / p.value->shape[0];  // 9, 288, 3136, 1024
    double sq = 0;
    for (float v : p.value->data) sq += double(v) * v;
    EXPECT_NEAR(std::sqrt(sq / p.value->size()), std::sqrt(2.0 / fan_in), 0.1 * std::sqrt(2.0 / fan_in)) << p.name;
  }
}

TEST(ModelSpec, ChoicesChangeDropoutAndInitialisationButNotTheNetwork) {
  auto none = apply_choices(cnn_spec(), {"tutorial", 0.0f});
  ASSERT_TRUE(none);
  EXPECT_TRUE(same_layers(none.value(), cnn_spec()));
  EXPECT_NE(format_spec(none.value()), format_spec(cnn_spec()));
  EXPECT_NE(format_spec(none.value()).find("dropout 1"), std::string::npos);
  // A dropout layer that keeps every unit is a copy in training too.
  auto model = Model::create(none.value()).value();
  bool copies = false;
  for (const std::string& line : model->plan(Purpose::train, 64).describe(model->layer_names())) {
    copies = copies || line == "dropout1 forward identity; backward identity";
  }
  EXPECT_TRUE(copies);
  EXPECT_EQ(apply_choices(cnn_spec(), {"tutorial", 0.25f}).value().layers[8].keep_prob, 0.75f);
  EXPECT_FALSE(apply_choices(cnn_spec(), {"glorot", -1.0f}));
  EXPECT_FALSE(apply_choices(cnn_spec(), {"tutorial", 1.0f}));
  EXPECT_FALSE(apply_choices(softmax_spec(), {"tutorial", 0.5f}));
  EXPECT_TRUE(apply_choices(softmax_spec(), {"tutorial", 0.0f}));
  EXPECT_FALSE(same_layers(softmax_spec(), cnn_spec()));
}

TEST(ModelSpec, RejectsMalformedSpecs) {
  const char* bad[] = {
      "",
      "dense 10",
      "input 28x28; dense 10",
      "input 28x28x1; conv3x3 0; dense 10",
      "input 28x28x1; dense 10; relu",
      "input 28x28x1; dropout 1.5; dense 10",
      "input 28x28x1; teleport 3; dense 10",
      "input 28x28x1; dense 1",
      "input 28x28x1; dense 65536; dense 65536; dense 10",
      "input 28x28x1; dense 10; init uniform",
      "input 28x28x1; dense 10; maxpool2x2; dense 10",
  };
  for (const char* text : bad) {
    auto spec = parse_spec(text);
    EXPECT_FALSE(spec) << text;
    EXPECT_NE(spec.message().find("invalid model spec"), std::string::npos) << text;
  }
}

TEST(ModelSpec, PresetByName) {
  EXPECT_TRUE(preset_spec("cnn"));
  EXPECT_TRUE(preset_spec("softmax"));
  EXPECT_FALSE(preset_spec("resnet"));
}

}  // namespace
}  // namespace mnist

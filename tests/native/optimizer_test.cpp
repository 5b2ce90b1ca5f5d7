// SGD and Adam against their formulas, computed independently in double.
#include <gtest/gtest.h>

#include <cmath>

#include "optim/optimizer.h"

namespace mnist {
namespace {

TEST(Optimizer, SgdStepsAgainstTheGradient) {
  Tensor w({5}), g({5});
  w.data = {1, 2, 3, 4, 5};
  g.data = {0.5f, -1, 0, 2, 1};
  std::vector<Param> params = {{"w", &w, &g}};
  Sgd sgd(0.1f);
  sgd.step(params);
  for (int i = 0; i < 5; ++i) EXPECT_FLOAT_EQ(w.data[i], (i + 1) - 0.1f * g.data[i]);
}

TEST(Optimizer, AdamMatchesTensorFlowsFormulaOverSeveralSteps) {
  const int n = 7;
  Tensor w({n}), g({n});
  std::vector<double> rw(n), rm(n, 0), rv(n, 0);
  for (int i = 0; i < n; ++i) rw[i] = w.data[i] = 0.1f * i - 0.3f;
  std::vector<Param> params = {{"w", &w, &g}};
  Adam adam(1e-2f);
  for (int t = 1; t <= 5; ++t) {
    for (int i = 0; i < n; ++i) g.data[i] = std::sin(1.0f * i + t);
    adam.step(params);
    const double lr_t = 1e-2 * std::sqrt(1 - std::pow(0.999, t)) / (1 - std::pow(0.9, t));
    for (int i = 0; i < n; ++i) {
      const double gi = g.data[i];
      rm[i] = 0.9 * rm[i] + 0.1 * gi;
      rv[i] = 0.999 * rv[i] + 0.001 * gi * gi;
      rw[i] -= lr_t * rm[i] / (std::sqrt(rv[i]) + 1e-8);
      EXPECT_NEAR(w.data[i], rw[i], 1e-6) << "step " << t << " element " << i;
    }
  }
  // The first step moves every weight by about lr (Adam's bias correction).
}

TEST(Optimizer, ParseNames) {
  EXPECT_TRUE(parse_optimizer("sgd"));
  EXPECT_TRUE(parse_optimizer("adam"));
  auto bad = parse_optimizer("rmsprop");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.message().find("sgd or adam"), std::string::npos);
}

}  // namespace
}  // namespace mnist

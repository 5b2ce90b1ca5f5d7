// Optimisers update parameters from their accumulated gradients.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "layers/layer.h"
#include "status.h"

namespace mnist {

enum class OptimizerKind { sgd, adam };

Result<OptimizerKind> parse_optimizer(std::string_view name);
const char* optimizer_name(OptimizerKind kind);

// What an optimiser carries from step to step (Adam: its step count and
// moment estimates, one array per parameter; SGD: nothing).
struct OptimizerState {
  long long t = 0;
  std::vector<std::vector<float>> m, v;
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual void step(const std::vector<Param>& params) = 0;
  virtual OptimizerState state() const { return {}; }
  // Refuses a state whose arrays do not match params' sizes.
  virtual Status restore(const OptimizerState& state, const std::vector<Param>& params) = 0;
  void set_learning_rate(float lr) { lr_ = lr; }
  float learning_rate() const { return lr_; }

 protected:
  explicit Optimizer(float lr) : lr_(lr) {}
  float lr_;
};

// Plain gradient descent: w -= lr * g.
class Sgd final : public Optimizer {
 public:
  explicit Sgd(float lr) : Optimizer(lr) {}
  void step(const std::vector<Param>& params) override;
  Status restore(const OptimizerState& state, const std::vector<Param>& params) override;
};

// Adam with TensorFlow's defaults (beta1 0.9, beta2 0.999, epsilon 1e-8) and
// its bias correction folded into the step size:
//   lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
class Adam final : public Optimizer {
 public:
  explicit Adam(float lr, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
      : Optimizer(lr), beta1_(beta1), beta2_(beta2), epsilon_(epsilon) {}
  void step(const std::vector<Param>& params) override;
  OptimizerState state() const override;
  Status restore(const OptimizerState& state, const std::vector<Param>& params) override;

 private:
  float beta1_, beta2_, epsilon_;
  long long t_ = 0;
  std::vector<AlignedVector<float>> m_, v_;  // one pair per param, same sizes
};

std::unique_ptr<Optimizer> make_optimizer(OptimizerKind kind, float lr);

}  // namespace mnist

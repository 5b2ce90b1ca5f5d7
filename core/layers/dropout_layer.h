#pragma once

#include "layers/layer.h"

namespace mnist {

// Inverted dropout (kernel dropout); the identity in a prediction.
class DropoutLayer final : public Layer {
 public:
  explicit DropoutLayer(float keep_prob) : keep_prob_(keep_prob) {}
  Shape output_shape(const Shape& input) const override { return input; }
  void forward(const Tensor& in, Tensor& out, const PlanStep& step, Workspace& ws, Rng& rng) override;
  void backward(const Tensor& in, const Tensor& out, const Tensor& dout, Tensor* din, const PlanStep& step,
                Workspace& ws) override;

 private:
  float keep_prob_;
  bool last_was_training_ = false;
  AlignedVector<float> mask_;  // (n), 0 or 1/keep_prob, from the last training forward
};

}  // namespace mnist

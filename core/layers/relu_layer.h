#pragma once

#include "layers/layer.h"

namespace mnist {

class ReluLayer final : public Layer {
 public:
  Shape output_shape(const Shape& input) const override { return input; }
  void forward(const Tensor& in, Tensor& out, const PlanStep& step, Workspace& ws, Rng& rng) override;
  void backward(const Tensor& in, const Tensor& out, const Tensor& dout, Tensor* din, const PlanStep& step,
                Workspace& ws) override;
};

}  // namespace mnist

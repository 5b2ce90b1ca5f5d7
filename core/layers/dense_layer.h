#pragma once

#include "layers/layer.h"
#include "ops/dense.h"

namespace mnist {

// Fully connected: flattens its input (B,...) to (B,I), outputs (B,O).
class DenseLayer final : public Layer {
 public:
  DenseLayer(std::string name, int inputs, int outputs);
  Shape output_shape(const Shape& input) const override;
  ScratchSize scratch(const Shape& input, int B, const PlanStep& step) const override;
  void forward(const Tensor& in, Tensor& out, const PlanStep& step, Workspace& ws, Rng& rng) override;
  void backward(const Tensor& in, const Tensor& out, const Tensor& dout, Tensor* din, const PlanStep& step,
                Workspace& ws) override;
  std::vector<Param> param_list() override;
  void prepare_inference() override;
  void weights_will_change() override;
  bool prepared() const override { return !one_drawing_.empty(); }

 private:
  std::string name_;
  int inputs_, outputs_;
  Tensor weight_, bias_;    // weight (O,I), bias (O)
  Tensor dweight_, dbias_;  // same shapes; empty while prepared
  OneDrawingWeights one_drawing_;
};

}  // namespace mnist

#pragma once

#include "layers/layer.h"

namespace mnist {

// Fully connected: flattens its input (B,...) to (B,I), outputs (B,O).
class DenseLayer final : public Layer {
 public:
  DenseLayer(std::string name, int inputs, int outputs);
  Shape output_shape(const Shape& input) const override;
  void forward(const Tensor& in, Tensor& out, bool training, Rng& rng) override;
  void backward(const Tensor& in, const Tensor& out, const Tensor& dout, Tensor* din) override;
  std::vector<Param> params() override;
  void prepare_inference() override;

 private:
  std::string name_;
  int inputs_, outputs_;
  Tensor weight_, bias_;    // weight (O,I), bias (O)
  Tensor dweight_, dbias_;  // same shapes; empty after prepare_inference()
  // weight_ transposed, (I,O): one row per input, so that inference on one
  // image can skip the rows of inputs that are zero. Empty until
  // prepare_inference(), and emptied again by params().
  Tensor weight_by_input_;
};

}  // namespace mnist

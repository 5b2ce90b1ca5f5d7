#pragma once

#include "layers/layer.h"

namespace mnist {

class ReluLayer final : public Layer {
 public:
  Shape output_shape(const Shape& input) const override { return input; }
  void forward(const Tensor& in, Tensor& out, bool training, Rng& rng) override;
  void backward(const Tensor& in, const Tensor& out, const Tensor& dout, Tensor* din) override;
};

}  // namespace mnist

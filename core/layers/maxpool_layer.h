#pragma once

#include <cstdint>

#include "layers/layer.h"

namespace mnist {

// Max-pool 2x2, stride 2, SAME: (B,H,W,C) -> (B,ceil(H/2),ceil(W/2),C).
class MaxPoolLayer final : public Layer {
 public:
  Shape output_shape(const Shape& input) const override;
  void forward(const Tensor& in, Tensor& out, bool training, Rng& rng) override;
  void backward(const Tensor& in, const Tensor& out, const Tensor& dout, Tensor* din) override;

 private:
  // (B,Ho,Wo,C) from the last forward if it trained; empty after a prediction.
  std::vector<std::int32_t> argmax_;
};

}  // namespace mnist

#pragma once

#include <cstdint>

#include "layers/layer.h"

namespace mnist {

// Max-pool 2x2, stride 2, SAME: (B,H,W,C) -> (B,ceil(H/2),ceil(W/2),C). A
// step with kernel maxpool_then_relu covers the ReLU before it too: it pools
// that ReLU's input, then rectifies the pooled values.
class MaxPoolLayer final : public Layer {
 public:
  Shape output_shape(const Shape& input) const override;
  void forward(const Tensor& in, Tensor& out, const PlanStep& step, Workspace& ws, Rng& rng) override;
  void backward(const Tensor& in, const Tensor& out, const Tensor& dout, Tensor* din, const PlanStep& step,
                Workspace& ws) override;

 private:
  // (B,Ho,Wo,C) from the last forward that recorded winners; empty after a
  // prediction, whose winners backward would have to find again.
  std::vector<std::int32_t> argmax_;
  Tensor pooled_;  // where backward after a prediction pools again to find them
};

}  // namespace mnist

#pragma once

#include "layers/layer.h"

namespace mnist {

// 3x3 convolution, stride 1, SAME: (B,H,W,Ci) -> (B,H,W,Co).
class Conv2dLayer final : public Layer {
 public:
  Conv2dLayer(std::string name, int in_channels, int out_channels);
  Shape output_shape(const Shape& input) const override;
  void forward(const Tensor& in, Tensor& out, bool training, Rng& rng) override;
  void backward(const Tensor& in, const Tensor& out, const Tensor& dout, Tensor* din) override;
  std::vector<Param> params() override;
  void prepare_inference() override;
  // A prediction through this layer, a ReLU and 2x2 max-pooling in one pass
  // (ops/conv2d_winograd.h), into pooled (B, ceil(H/2), ceil(W/2), Co). Only
  // with one input channel: false (nothing done) otherwise.
  bool predict_relu_pool(const Tensor& in, Tensor& pooled);

 private:
  std::string name_;
  int in_channels_, out_channels_;
  Tensor weight_, bias_;    // weight (Co,3,3,Ci), bias (Co)
  Tensor dweight_, dbias_;  // same shapes
  // A model that only predicts keeps its weights' Winograd transform
  // (ops/conv2d_winograd.h), which its predictions use; params() drops it.
  AlignedVector<float> winograd_weights_;
};

}  // namespace mnist

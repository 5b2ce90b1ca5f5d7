#pragma once

#include "layers/layer.h"

namespace mnist {

// 3x3 convolution, stride 1, SAME: (B,H,W,Ci) -> (B,H,W,Co). A step with
// kernel conv3x3_c1_relu_pool also applies the ReLU and 2x2 max-pooling
// after it, writing the pooled output.
class Conv2dLayer final : public Layer {
 public:
  Conv2dLayer(std::string name, int in_channels, int out_channels);
  Shape output_shape(const Shape& input) const override;
  ScratchSize scratch(const Shape& input, int B, const PlanStep& step) const override;
  void forward(const Tensor& in, Tensor& out, const PlanStep& step, Workspace& ws, Rng& rng) override;
  void backward(const Tensor& in, const Tensor& out, const Tensor& dout, Tensor* din, const PlanStep& step,
                Workspace& ws) override;
  std::vector<Param> param_list() override;
  void prepare_inference() override;
  void weights_will_change() override;
  bool prepared() const override { return !winograd_weights_.empty(); }

 private:
  const float* kept_transform() const { return winograd_weights_.empty() ? nullptr : winograd_weights_.data(); }

  std::string name_;
  int in_channels_, out_channels_;
  Tensor weight_, bias_;    // weight (Co,3,3,Ci), bias (Co)
  Tensor dweight_, dbias_;  // same shapes
  // A model that only predicts keeps its weights' Winograd transform
  // (ops/conv2d_winograd.h), which every forward pass needs.
  AlignedVector<float> winograd_weights_;
};

}  // namespace mnist

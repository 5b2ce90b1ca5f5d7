#pragma once

#include "kernels/gemv_i8_pairs.h"
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
  // Copies for inference on one image, made by prepare_inference() and
  // dropped by params(). A large layer (the CNN's 3136 x 1024) keeps its
  // weights as int8, a quarter of the bytes a drawing reads; a small one
  // keeps weight_ transposed, (I,O), one row per input. Both skip the
  // inputs that are zero.
  kernels::I8PairWeights weight_i8_;
  kernels::ActivePairs active_pairs_;  // scratch for weight_i8_
  kernels::BlockOrder int8_block_order_ = kernels::BlockOrder::kFirstToLast;  // flips every drawing
  Tensor weight_by_input_;
};

}  // namespace mnist

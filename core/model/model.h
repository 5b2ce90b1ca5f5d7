// A sequential model: layers built from a ModelSpec, the activations between
// them, and the one place where gradients are zeroed.
#pragma once

#include <memory>
#include <vector>

#include "layers/layer.h"
#include "model/model_spec.h"
#include "rng.h"
#include "status.h"
#include "tensor.h"

namespace mnist {

class Model {
 public:
  // All weights zero; call initialize() (the trainer does) for the spec's init.
  static Result<std::unique_ptr<Model>> create(const ModelSpec& spec);

  const ModelSpec& spec() const { return spec_; }
  // Values per example: H*W*C of the input.
  int input_size() const { return spec_.height * spec_.width * spec_.channels; }
  int num_classes() const { return spec_.layers.back().units; }

  // Sets weights as the spec says (zeros or truncated normal) from seed.
  void initialize(std::uint64_t seed);
  // Seeds dropout's mask stream.
  void seed_dropout(std::uint64_t seed) { dropout_rng_.reseed(seed, 7); }
  RngState dropout_state() const { return dropout_rng_.state(); }
  void restore_dropout(const RngState& state) { dropout_rng_.restore(state); }

  // x (B,H,W,C) -> logits (B,K). The returned tensor lives until the next call.
  const Tensor& forward(const float* x, int B, bool training);
  // The same in two parts, for a caller that makes the batch itself (the
  // trainer): it writes the B examples straight into the model's input,
  // then runs forward on them. Copying them in took 13 us of the softmax
  // regression's 230-270 us step.
  float* input_for(int B);
  const Tensor& forward_input(bool training);
  // Backward from dlogits (B,K) of the last forward, which trained: a
  // prediction leaves some activations unwritten. Accumulates param grads.
  void backward(const Tensor& dlogits);
  // Zeroes every parameter gradient: once per training step.
  void zero_grads();

  // probs (B,K) for x (B,H,W,C), inference mode, kPredictChunk images at a
  // time: the activations of 1000 images at once would take 350 MB.
  void predict(const float* x, int B, float* probs);
  static constexpr int kPredictChunk = 128;
  // For a model whose weights are final (a recogniser): layers keep copies of
  // their weights laid out for one image at a time. Costs another copy of the
  // dense weights; params() drops it again.
  void prepare_inference();

  std::vector<Param> params();
  std::size_t parameter_count();
  // Bytes that training needs per example of a batch: activations and their
  // gradients, conv workspaces, dropout masks and pool indices (an estimate
  // within a few percent; parameters and optimiser state come on top).
  std::size_t training_bytes_per_example() const;
  // Copies every parameter value out / in (same order as params()).
  void copy_weights_to(std::vector<float>& out);
  void copy_weights_from(const std::vector<float>& in);

 private:
  explicit Model(ModelSpec spec) : spec_(std::move(spec)) {}
  // Layers i and i + 1 are ReLU then max-pooling, which a prediction swaps.
  bool relu_then_pool(std::size_t i) const;
  // Layers i to i + 2 are a convolution, ReLU and max-pooling, which a
  // prediction runs in one pass when the convolution takes one channel.
  bool conv_relu_pool(std::size_t i) const;

  ModelSpec spec_;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<Shape> shapes_;  // activation shapes without batch; shapes_[0] is the input
  std::vector<Tensor> acts_;   // acts_[i] (B, shapes_[i]...)
  std::vector<Tensor> grads_;  // gradients of acts_ (grads_[0] unused)
  Rng dropout_rng_{1, 7};
};

}  // namespace mnist

// A sequential model: layers built from a ModelSpec, the activations between
// them, the plans that say how each pass runs (model/plan.h) and the scratch
// they share. The one place where gradients are zeroed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "layers/layer.h"
#include "model/model_spec.h"
#include "model/plan.h"
#include "rng.h"
#include "status.h"
#include "tensor.h"
#include "workspace.h"

namespace mnist {

class Model {
 public:
  // All weights zero; call initialize() (the trainer does) for the spec's init.
  static Result<std::unique_ptr<Model>> create(const ModelSpec& spec);

  const ModelSpec& spec() const { return spec_; }
  // Values per example: H*W*C of the input.
  int input_size() const { return spec_.height * spec_.width * spec_.channels; }
  int num_classes() const { return spec_.layers.back().units; }
  // "conv1", "relu1", ...: one per layer, for plans' descriptions.
  const std::vector<std::string>& layer_names() const { return names_; }

  // Sets weights as the spec says (zeros or truncated normal) from seed.
  void initialize(std::uint64_t seed);
  // Seeds dropout's mask stream.
  void seed_dropout(std::uint64_t seed) { dropout_rng_.reseed(seed, 7); }
  RngState dropout_state() const { return dropout_rng_.state(); }
  void restore_dropout(const RngState& state) { dropout_rng_.restore(state); }

  // How a pass of B examples for `purpose` runs: built on first use, kept,
  // and made again when one-drawing weights come or go.
  const Plan& plan(Purpose purpose, int B);
  // The purpose a pass of B examples has: training, or a prediction (of one
  // drawing when the model keeps one-drawing weights, kernel_choice.h).
  Purpose purpose_of(bool training, int B) const;

  // x (B,H,W,C) -> logits (B,K). The returned tensor lives until the next call.
  const Tensor& forward(const float* x, int B, bool training);
  // The same in two parts, for a caller that makes the batch itself (the
  // trainer): it writes the B examples straight into the model's input,
  // then runs forward on them.
  float* input_for(int B);
  const Tensor& forward_input(bool training);
  // Backward from dlogits (B,K) of the last forward, which trained.
  // Accumulates param grads.
  void backward(const Tensor& dlogits);
  // Zeroes every parameter gradient: once per training step.
  void zero_grads();

  // probs (B,K) for x (B,H,W,C), in predictions of kPredictChunk at most: the
  // activations of 1000 images at once would take 350 MB.
  void predict(const float* x, int B, float* probs);
  static constexpr int kPredictChunk = 128;
  // For a model whose weights are final (a recogniser): layers keep copies of
  // their weights laid out for one drawing, and drop their gradients.
  void prepare_inference();

  // The parameters, read-only: reading them changes nothing.
  struct ConstParam {
    std::string name;
    const Tensor* value;
  };
  const std::vector<ConstParam>& params() const { return const_params_; }
  // The parameters and their gradients, to change: layers drop their
  // one-drawing copies first (and get their gradients back).
  const std::vector<Param>& mutable_params();
  std::size_t parameter_count() const;
  // Bytes a training step of B examples needs besides the weights:
  // activations and their gradients, dropout masks and pool indices (an
  // estimate within a few percent), and the step's scratch on every thread
  // the machine has.
  std::size_t training_bytes(int B) const;
  // Copies every parameter value out / in (same order as params()).
  void copy_weights_to(std::vector<float>& out) const;
  void copy_weights_from(const std::vector<float>& in);

 private:
  explicit Model(ModelSpec spec) : spec_(std::move(spec)) {}
  Plan make_plan(Purpose purpose, int B) const;
  bool prepared() const;

  ModelSpec spec_;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<std::string> names_;
  std::vector<Param> params_;
  std::vector<ConstParam> const_params_;
  std::vector<Shape> shapes_;  // activation shapes without batch; shapes_[0] is the input
  std::vector<Tensor> acts_;   // acts_[i] (B, shapes_[i]...)
  std::vector<Tensor> grads_;  // gradients of acts_ (grads_[0] unused)
  std::vector<std::unique_ptr<Plan>> plans_;  // built so far (each where it stays)
  const Plan* last_plan_ = nullptr;  // the last forward's
  Workspace workspace_;
  Rng dropout_rng_{1, 7};
};

}  // namespace mnist

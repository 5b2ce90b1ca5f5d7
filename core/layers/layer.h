// The layer interface. A layer owns its parameters, their gradients, the
// copies of its weights a one-drawing prediction reads, and what it keeps
// between forward and backward (pooling winners, a dropout mask); the model
// owns activations, and a plan (model/plan.h) says which kernel each step
// runs. Layers decide nothing: they call the op the step names.
//
// Contract: backward ACCUMULATES (+=) into parameter gradients, which the
// model zeroes once per step (Model::zero_grads), and WRITES din (=): the
// model does not zero the activations' gradients, which a layer writes anyway.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/plan.h"
#include "rng.h"
#include "tensor.h"
#include "workspace.h"

namespace mnist {

// A trainable tensor and its gradient, named for model files ("conv1.weight").
struct Param {
  std::string name;
  Tensor* value;
  Tensor* grad;  // empty while the model only predicts (Layer::prepare_inference)
};

class Layer {
 public:
  virtual ~Layer() = default;

  // Output shape of one example (no batch dimension) for an input shape.
  virtual Shape output_shape(const Shape& input) const = 0;

  // Scratch the step needs for B examples of `input` (one example's shape).
  virtual ScratchSize scratch(const Shape& input, int B, const PlanStep& step) const {
    (void)input, (void)B, (void)step;
    return {};
  }

  // in (B,...) -> out (B,...), out being the output of the last layer the
  // step covers (resized by the model). rng: only dropout, in training.
  virtual void forward(const Tensor& in, Tensor& out, const PlanStep& step, Workspace& ws, Rng& rng) = 0;

  // Given dout (shape of out), accumulates parameter gradients and, when din
  // is not nullptr, writes din (shape of in). in and out are forward's.
  virtual void backward(const Tensor& in, const Tensor& out, const Tensor& dout, Tensor* din,
                        const PlanStep& step, Workspace& ws) = 0;

  // The parameters, for the model to list once (the tensors stay where they
  // are for the layer's life).
  virtual std::vector<Param> param_list() { return {}; }

  // One-drawing copies of the weights: made once the weights are final (a
  // model that only predicts), when the gradients are dropped; dropped again
  // before the weights change, when the gradients come back.
  virtual void prepare_inference() {}
  virtual void weights_will_change() {}
  virtual bool prepared() const { return false; }
};

}  // namespace mnist

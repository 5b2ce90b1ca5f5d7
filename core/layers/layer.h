// The layer interface. A layer owns its parameters, their gradients and any
// workspace it needs between forward and backward; the model owns activations.
//
// Contract: backward ACCUMULATES (+=) into parameter gradients, which the
// model zeroes once per step (Model::zero_grads), and WRITES din (=): the
// model does not zero the activations' gradients, about 90 MB a step for the
// tutorial CNN at batch 250, which a layer writes anyway.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rng.h"
#include "tensor.h"

namespace mnist {

// A trainable tensor and its gradient, named for model files ("conv1.weight").
struct Param {
  std::string name;
  Tensor* value;
  Tensor* grad;
};

class Layer {
 public:
  virtual ~Layer() = default;

  // Output shape of one example (no batch dimension) for an input shape.
  virtual Shape output_shape(const Shape& input) const = 0;

  // in (B,...) -> out (B,...); out is resized by the caller to output_shape.
  // rng is used only by layers that are random in training (dropout).
  virtual void forward(const Tensor& in, Tensor& out, bool training, Rng& rng) = 0;

  // Given dout (shape of out), accumulates parameter gradients and, when din is
  // not nullptr, writes din (shape of in). in and out are forward's tensors.
  virtual void backward(const Tensor& in, const Tensor& out, const Tensor& dout, Tensor* din) = 0;

  // Handing out params gives write access to the weights: a layer drops
  // anything it derived from them (see prepare_inference).
  virtual std::vector<Param> params() { return {}; }

  // Called once the weights are final (a loaded model that only predicts): a
  // layer may keep a copy of its weights laid out for inference on one image,
  // and drop its gradients (params() then hands them out again, zeroed).
  virtual void prepare_inference() {}
};

}  // namespace mnist

#include "layers/dropout_layer.h"

#include <algorithm>

#include "ops/dropout.h"

namespace mnist {

void DropoutLayer::forward(const Tensor& in, Tensor& out, const PlanStep& step, Workspace&, Rng& rng) {
  last_was_training_ = step.forward == Kernel::dropout;
  if (!last_was_training_) {
    std::copy(in.data.begin(), in.data.end(), out.data.begin());
    return;
  }
  mask_.resize(in.size());
  dropout_forward(out.ptr(), mask_.data(), in.ptr(), in.size(), keep_prob_, rng);
}

void DropoutLayer::backward(const Tensor&, const Tensor&, const Tensor& dout, Tensor* din, const PlanStep&,
                            Workspace&) {
  if (!din) return;
  if (!last_was_training_) {
    std::copy(dout.data.begin(), dout.data.end(), din->data.begin());
    return;
  }
  dropout_backward(din->ptr(), dout.ptr(), mask_.data(), dout.size());
}

}  // namespace mnist

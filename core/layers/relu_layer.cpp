#include "layers/relu_layer.h"

#include "ops/relu.h"

namespace mnist {

void ReluLayer::forward(const Tensor& in, Tensor& out, const PlanStep&, Workspace&, Rng&) {
  relu_forward(out.ptr(), in.ptr(), in.size());
}

void ReluLayer::backward(const Tensor&, const Tensor& out, const Tensor& dout, Tensor* din, const PlanStep&,
                         Workspace&) {
  if (din) relu_backward(din->ptr(), dout.ptr(), out.ptr(), out.size());
}

}  // namespace mnist

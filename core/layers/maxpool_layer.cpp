#include "layers/maxpool_layer.h"

#include "ops/maxpool2x2.h"
#include "ops/relu.h"

namespace mnist {

Shape MaxPoolLayer::output_shape(const Shape& input) const {
  return {maxpool2x2_out_size(input[0]), maxpool2x2_out_size(input[1]), input[2]};
}

void MaxPoolLayer::forward(const Tensor& in, Tensor& out, const PlanStep& step, Workspace&, Rng&) {
  const bool winners = step.forward == Kernel::maxpool_with_winners;
  if (winners) {
    argmax_.resize(out.size());
  } else {
    argmax_.clear();  // no winners for this pass (the storage stays)
  }
  maxpool2x2_forward(out.ptr(), winners ? argmax_.data() : nullptr, in.ptr(), in.dim(0), in.dim(1), in.dim(2),
                     in.dim(3));
  if (step.forward == Kernel::maxpool_then_relu) relu_forward(out.ptr(), out.ptr(), out.size());
}

void MaxPoolLayer::backward(const Tensor& in, const Tensor& out, const Tensor& dout, Tensor* din, const PlanStep&,
                            Workspace&) {
  if (!din) return;
  if (argmax_.empty()) {  // after a prediction: find the winners now
    pooled_.resize(out.shape);
    argmax_.resize(out.size());
    maxpool2x2_forward(pooled_.ptr(), argmax_.data(), in.ptr(), in.dim(0), in.dim(1), in.dim(2), in.dim(3));
  }
  maxpool2x2_backward(din->ptr(), dout.ptr(), argmax_.data(), in.dim(0), in.dim(1), in.dim(2), in.dim(3));
}

}  // namespace mnist

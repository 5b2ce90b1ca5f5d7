#include "layers/maxpool_layer.h"

#include "ops/maxpool2x2.h"

namespace mnist {

Shape MaxPoolLayer::output_shape(const Shape& input) const {
  return {maxpool2x2_out_size(input[0]), maxpool2x2_out_size(input[1]), input[2]};
}

// The winners are only needed to go backward: a prediction leaves them out.
void MaxPoolLayer::forward(const Tensor& in, Tensor& out, bool training, Rng&) {
  if (training) {
    argmax_.resize(out.size());
  } else {
    argmax_.clear();  // no winners for this pass (the storage stays)
  }
  maxpool2x2_forward(out.ptr(), training ? argmax_.data() : nullptr, in.ptr(), in.dim(0),
                     in.dim(1), in.dim(2), in.dim(3));
}

void MaxPoolLayer::backward(const Tensor& in, const Tensor& out, const Tensor& dout, Tensor* din) {
  if (!din) return;
  if (argmax_.empty()) {
    // Backward after a forward pass that predicted: find the winners now.
    Tensor pooled(out.shape);
    argmax_.resize(out.size());
    maxpool2x2_forward(pooled.ptr(), argmax_.data(), in.ptr(), in.dim(0), in.dim(1), in.dim(2),
                       in.dim(3));
  }
  maxpool2x2_backward(din->ptr(), dout.ptr(), argmax_.data(), in.dim(0), in.dim(1), in.dim(2),
                      in.dim(3));
}

}  // namespace mnist

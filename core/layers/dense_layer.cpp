#include "layers/dense_layer.h"

#include "ops/dense.h"

namespace mnist {

DenseLayer::DenseLayer(std::string name, int inputs, int outputs)
    : name_(std::move(name)),
      inputs_(inputs),
      outputs_(outputs),
      weight_({outputs, inputs}),
      bias_({outputs}),
      dweight_({outputs, inputs}),
      dbias_({outputs}) {}

Shape DenseLayer::output_shape(const Shape&) const { return {outputs_}; }

void DenseLayer::forward(const Tensor& in, Tensor& out, bool, Rng&) {
  dense_forward(out.ptr(), in.ptr(), weight_.ptr(), bias_.ptr(), in.dim(0), inputs_, outputs_);
}

void DenseLayer::backward(const Tensor& in, const Tensor&, const Tensor& dout, Tensor* din) {
  dense_backward(din ? din->ptr() : nullptr, dweight_.ptr(), dbias_.ptr(), dout.ptr(), in.ptr(),
                 weight_.ptr(), in.dim(0), inputs_, outputs_);
}

std::vector<Param> DenseLayer::params() {
  return {{name_ + ".weight", &weight_, &dweight_}, {name_ + ".bias", &bias_, &dbias_}};
}

}  // namespace mnist

#include "layers/dense_layer.h"

#include "kernels/transpose.h"
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

void DenseLayer::forward(const Tensor& in, Tensor& out, bool training, Rng&) {
  if (!training && in.dim(0) < kSkipZeroInputsBelow) {
    if (!weight_i8_.q.empty()) {
      return dense_forward_int8(out.ptr(), in.ptr(), weight_i8_, weight_.ptr(), bias_.ptr(),
                                in.dim(0), inputs_, outputs_, active_pairs_, int8_block_order_);
    }
    if (weight_by_input_.size() != 0) {
      return dense_forward_skip_zero_inputs(out.ptr(), in.ptr(), weight_by_input_.ptr(),
                                            bias_.ptr(), in.dim(0), inputs_, outputs_);
    }
  }
  dense_forward(out.ptr(), in.ptr(), weight_.ptr(), bias_.ptr(), in.dim(0), inputs_, outputs_);
}

void DenseLayer::backward(const Tensor& in, const Tensor&, const Tensor& dout, Tensor* din) {
  dense_backward(din ? din->ptr() : nullptr, dweight_.ptr(), dbias_.ptr(), dout.ptr(), in.ptr(),
                 weight_.ptr(), in.dim(0), inputs_, outputs_);
}

void DenseLayer::prepare_inference() {
  // A model that only predicts has no use for gradients: for the CNN they are
  // 12.8 MB. params() brings them back.
  dweight_ = Tensor();
  dbias_ = Tensor();
  if (static_cast<long long>(inputs_) * outputs_ >= kInt8WeightsFrom) {
    weight_i8_ = kernels::quantize_i8_pairs(weight_.ptr(), outputs_, inputs_);
    return;
  }
  weight_by_input_.resize({inputs_, outputs_});
  kernels::f32_transpose_simd128(weight_by_input_.ptr(), weight_.ptr(), outputs_, inputs_);
}

std::vector<Param> DenseLayer::params() {
  weight_by_input_ = Tensor();
  weight_i8_ = kernels::I8PairWeights();
  if (dweight_.shape != weight_.shape) {  // dropped by prepare_inference()
    dweight_.resize(weight_.shape);
    dbias_.resize(bias_.shape);
  }
  return {{name_ + ".weight", &weight_, &dweight_}, {name_ + ".bias", &bias_, &dbias_}};
}

}  // namespace mnist

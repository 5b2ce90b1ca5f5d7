#include "layers/dense_layer.h"

#include "model/kernel_choice.h"

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

ScratchSize DenseLayer::scratch(const Shape&, int B, const PlanStep& step) const {
  ScratchSize forward;
  switch (step.forward) {
    case Kernel::dense_product: forward = dense_forward_product_scratch(); break;
    case Kernel::dense_int8_pairs:
    case Kernel::dense_skip_zero_rows: forward = dense_forward_one_drawing_scratch(); break;
    default: break;
  }
  const bool with_din = step.first > 0;
  ScratchSize backward;
  if (step.backward == Kernel::dense_sparse_products) backward = dense_backward_sparse_scratch(B, inputs_, outputs_, with_din);
  if (step.backward == Kernel::dense_narrow_sparse_products) backward = dense_backward_narrow_scratch(B, inputs_, outputs_, with_din);
  return ScratchSize::larger(forward, backward);
}

void DenseLayer::forward(const Tensor& in, Tensor& out, const PlanStep& step, Workspace& ws, Rng&) {
  const int B = in.dim(0);
  switch (step.forward) {
    case Kernel::dense_narrow_skip_zero:
      return dense_forward_narrow_skip_zero(out.ptr(), in.ptr(), weight_.ptr(), bias_.ptr(), B, inputs_, outputs_);
    case Kernel::dense_int8_pairs:
    case Kernel::dense_skip_zero_rows:
      return dense_forward_one_drawing(out.ptr(), in.ptr(), one_drawing_, weight_.ptr(), bias_.ptr(), B, inputs_,
                                       outputs_, ws);
    default:
      return dense_forward_product(out.ptr(), in.ptr(), weight_.ptr(), bias_.ptr(), B, inputs_, outputs_, ws);
  }
}

void DenseLayer::backward(const Tensor& in, const Tensor&, const Tensor& dout, Tensor* din, const PlanStep& step,
                          Workspace& ws) {
  float* din_data = din ? din->ptr() : nullptr;
  if (step.backward == Kernel::dense_narrow_sparse_products) {
    return dense_backward_narrow(din_data, dweight_.ptr(), dbias_.ptr(), dout.ptr(), in.ptr(), weight_.ptr(),
                                 in.dim(0), inputs_, outputs_, ws);
  }
  dense_backward_sparse(din_data, dweight_.ptr(), dbias_.ptr(), dout.ptr(), in.ptr(), weight_.ptr(), in.dim(0),
                        inputs_, outputs_, ws);
}

std::vector<Param> DenseLayer::param_list() {
  return {{name_ + ".weight", &weight_, &dweight_}, {name_ + ".bias", &bias_, &dbias_}};
}

void DenseLayer::prepare_inference() {
  // A model that only predicts has no use for gradients: for the CNN they
  // are 12.8 MB. weights_will_change() brings them back.
  dweight_ = Tensor();
  dbias_ = Tensor();
  const long long weights = static_cast<long long>(inputs_) * outputs_;
  const bool int8 = choose_dense_forward(Purpose::predict_one, weights, outputs_, false, true) == Kernel::dense_int8_pairs;
  one_drawing_ = prepare_one_drawing_weights(weight_.ptr(), inputs_, outputs_, int8);
}

void DenseLayer::weights_will_change() {
  one_drawing_ = OneDrawingWeights();
  if (dweight_.shape != weight_.shape) {
    dweight_.resize(weight_.shape);
    dbias_.resize(bias_.shape);
  }
}

}  // namespace mnist

#include "layers/conv2d_layer.h"

#include "ops/conv2d.h"
#include "ops/conv2d_winograd.h"

namespace mnist {

Conv2dLayer::Conv2dLayer(std::string name, int in_channels, int out_channels)
    : name_(std::move(name)),
      in_channels_(in_channels),
      out_channels_(out_channels),
      weight_({out_channels, 3, 3, in_channels}),
      bias_({out_channels}),
      dweight_({out_channels, 3, 3, in_channels}),
      dbias_({out_channels}) {}

Shape Conv2dLayer::output_shape(const Shape& input) const {
  return {input[0], input[1], out_channels_};
}

ScratchSize Conv2dLayer::scratch(const Shape& input, int B, const PlanStep& step) const {
  const int H = input[0], W = input[1];
  ScratchSize forward;
  switch (step.forward) {
    case Kernel::conv3x3_c1_direct: forward = conv2d_direct_c1_scratch(out_channels_); break;
    case Kernel::conv3x3_winograd_f4x3:
      forward = conv2d_3x3_winograd_forward_scratch(B, H, W, in_channels_, out_channels_, prepared());
      break;
    case Kernel::conv3x3_c1_relu_pool: forward = conv2d_3x3_c1_relu_pool_predict_scratch(out_channels_, prepared()); break;
    default: break;
  }
  const ScratchSize backward = step.backward == Kernel::conv3x3_im2col_products
                                   ? conv2d_backward_scratch(B, H, W, in_channels_, out_channels_, step.first > 0)
                                   : ScratchSize{};
  return ScratchSize::larger(forward, backward);
}

void Conv2dLayer::forward(const Tensor& in, Tensor& out, const PlanStep& step, Workspace& ws, Rng&) {
  const int B = in.dim(0), H = in.dim(1), W = in.dim(2);
  switch (step.forward) {
    case Kernel::conv3x3_c1_relu_pool:
      return conv2d_3x3_c1_relu_pool_predict(out.ptr(), in.ptr(), weight_.ptr(), kept_transform(), bias_.ptr(), B,
                                             H, W, out_channels_, ws);
    case Kernel::conv3x3_winograd_f4x3:
      return conv2d_3x3_winograd_forward(out.ptr(), in.ptr(), weight_.ptr(), kept_transform(), bias_.ptr(), B, H,
                                         W, in_channels_, out_channels_, ws);
    default:
      return conv2d_direct_c1(out.ptr(), in.ptr(), weight_.ptr(), bias_.ptr(), B, H, W, out_channels_, ws);
  }
}

void Conv2dLayer::backward(const Tensor& in, const Tensor&, const Tensor& dout, Tensor* din, const PlanStep&,
                           Workspace& ws) {
  const int B = in.dim(0), H = in.dim(1), W = in.dim(2);
  conv2d_backward(din ? din->ptr() : nullptr, dweight_.ptr(), dbias_.ptr(), dout.ptr(), in.ptr(), weight_.ptr(), B,
                  H, W, in_channels_, out_channels_, ws);
}

void Conv2dLayer::prepare_inference() {
  winograd_weights_.resize(winograd_weights_size(in_channels_, out_channels_));
  winograd_transform_weights(winograd_weights_.data(), weight_.ptr(), in_channels_, out_channels_);
}

void Conv2dLayer::weights_will_change() { winograd_weights_ = AlignedVector<float>(); }

std::vector<Param> Conv2dLayer::param_list() {
  return {{name_ + ".weight", &weight_, &dweight_}, {name_ + ".bias", &bias_, &dbias_}};
}

}  // namespace mnist

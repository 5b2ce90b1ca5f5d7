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

void Conv2dLayer::forward(const Tensor& in, Tensor& out, bool, Rng&) {
  conv2d_forward(out.ptr(), in.ptr(), weight_.ptr(), bias_.ptr(), in.dim(0), in.dim(1), in.dim(2),
                 in_channels_, out_channels_,
                 winograd_weights_.empty() ? nullptr : winograd_weights_.data());
}

void Conv2dLayer::backward(const Tensor& in, const Tensor&, const Tensor& dout, Tensor* din) {
  const int B = in.dim(0), H = in.dim(1), W = in.dim(2);
  conv2d_backward(din ? din->ptr() : nullptr, dweight_.ptr(), dbias_.ptr(), dout.ptr(), in.ptr(),
                  weight_.ptr(), B, H, W, in_channels_, out_channels_);
}

bool Conv2dLayer::predict_relu_pool(const Tensor& in, Tensor& pooled) {
  if (in_channels_ != 1) return false;
  conv2d_3x3_c1_relu_pool_predict(pooled.ptr(), in.ptr(), weight_.ptr(),
                                  winograd_weights_.empty() ? nullptr : winograd_weights_.data(),
                                  bias_.ptr(), in.dim(0), in.dim(1), in.dim(2), out_channels_);
  return true;
}

void Conv2dLayer::prepare_inference() {
  winograd_weights_.resize(winograd_weights_size(in_channels_, out_channels_));
  winograd_transform_weights(winograd_weights_.data(), weight_.ptr(), in_channels_, out_channels_);
}

std::vector<Param> Conv2dLayer::params() {
  winograd_weights_ = AlignedVector<float>();
  return {{name_ + ".weight", &weight_, &dweight_}, {name_ + ".bias", &bias_, &dbias_}};
}

}  // namespace mnist

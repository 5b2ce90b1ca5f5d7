#include "model/model.h"

#include <algorithm>

#include "layers/conv2d_layer.h"
#include "layers/dense_layer.h"
#include "layers/dropout_layer.h"
#include "layers/maxpool_layer.h"
#include "layers/relu_layer.h"
#include "ops/softmax_cross_entropy.h"
#include "parallel/thread_pool.h"

namespace mnist {

Result<std::unique_ptr<Model>> Model::create(const ModelSpec& spec) {
  // Round-trip through the parser so a hand-built spec gets the same checks.
  auto checked = parse_spec(format_spec(spec));
  if (!checked) return checked.status();
  std::unique_ptr<Model> model(new Model(checked.value()));
  Shape shape = {spec.height, spec.width, spec.channels};
  model->shapes_.push_back(shape);
  int convs = 0, denses = 0;
  for (const LayerSpec& l : model->spec_.layers) {
    std::unique_ptr<Layer> layer;
    switch (l.kind) {
      case LayerKind::conv3x3:
        layer = std::make_unique<Conv2dLayer>("conv" + std::to_string(++convs), shape[2], l.units);
        break;
      case LayerKind::dense:
        layer = std::make_unique<DenseLayer>("dense" + std::to_string(++denses),
                                             static_cast<int>(shape_size(shape)), l.units);
        break;
      case LayerKind::maxpool2x2: layer = std::make_unique<MaxPoolLayer>(); break;
      case LayerKind::relu: layer = std::make_unique<ReluLayer>(); break;
      case LayerKind::dropout: layer = std::make_unique<DropoutLayer>(l.keep_prob); break;
    }
    shape = layer->output_shape(shape);
    model->shapes_.push_back(shape);
    model->layers_.push_back(std::move(layer));
  }
  model->acts_.resize(model->shapes_.size());
  model->grads_.resize(model->shapes_.size());
  // Weights start at zero; the trainer initialises them as the spec says
  // (a loaded model overwrites them, so drawing 3M normals would be wasted).
  return model;
}

void Model::initialize(std::uint64_t seed) {
  Rng rng(seed, 3);
  for (Param& p : params()) {
    const bool is_bias = p.value->shape.size() == 1;
    if (spec_.init == InitKind::zeros) {
      p.value->fill(0.0f);
    } else if (is_bias) {
      p.value->fill(spec_.init_bias);
    } else {
      for (float& w : p.value->data) w = rng.truncated_normal(spec_.init_stddev);
    }
  }
  zero_grads();
}

namespace {

// The parameters' gradients of the tutorial CNN are 13 MB: zeroed serially,
// memory-bound, they would hold up the other thread.
void parallel_zero(Tensor& t) {
  float* data = t.ptr();
  parallel::parallel_elements(t.size(), [&](std::size_t i, std::size_t count) {
    std::fill(data + i, data + i + count, 0.0f);
  });
}

}  // namespace

const Tensor& Model::forward(const float* x, int B, bool training) {
  float* input = input_for(B);
  std::copy(x, x + acts_[0].size(), input);
  return forward_input(training);
}

float* Model::input_for(int B) {
  for (std::size_t i = 0; i < acts_.size(); ++i) {
    Shape s = {B};
    s.insert(s.end(), shapes_[i].begin(), shapes_[i].end());
    if (acts_[i].shape != s) acts_[i].resize(s);
  }
  return acts_[0].ptr();
}

const Tensor& Model::forward_input(bool training) {
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    if (!training && conv_relu_pool(i) &&
        static_cast<Conv2dLayer&>(*layers_[i]).predict_relu_pool(acts_[i], acts_[i + 3])) {
      i += 2;  // the ReLU's and the convolution's outputs are left unwritten
      continue;
    }
    if (!training && relu_then_pool(i)) {
      // A prediction pools first and applies ReLU to a quarter of the values:
      // max(0, max(a, b, c, d)) = max(max(0, a), ..., max(0, d)). ReLU of one
      // drawing's second layer took 0.0035 ms before pooling. The ReLU's own
      // output is left unwritten; only backward would read it.
      layers_[i + 1]->forward(acts_[i], acts_[i + 2], false, dropout_rng_);
      layers_[i]->forward(acts_[i + 2], acts_[i + 2], false, dropout_rng_);
      ++i;
      continue;
    }
    layers_[i]->forward(acts_[i], acts_[i + 1], training, dropout_rng_);
  }
  return acts_.back();
}

bool Model::conv_relu_pool(std::size_t i) const {
  return i + 2 < layers_.size() && spec_.layers[i].kind == LayerKind::conv3x3 &&
         relu_then_pool(i + 1);
}

bool Model::relu_then_pool(std::size_t i) const {
  return i + 1 < layers_.size() && spec_.layers[i].kind == LayerKind::relu &&
         spec_.layers[i + 1].kind == LayerKind::maxpool2x2;
}

void Model::backward(const Tensor& dlogits) {
  const std::size_t n = layers_.size();
  for (std::size_t i = 1; i < n; ++i) {  // each layer writes its din whole
    if (grads_[i].shape != acts_[i].shape) grads_[i].resize(acts_[i].shape);
  }
  for (std::size_t i = n; i-- > 0;) {
    const Tensor& dout = (i + 1 == n) ? dlogits : grads_[i + 1];
    layers_[i]->backward(acts_[i], acts_[i + 1], dout, i == 0 ? nullptr : &grads_[i]);
  }
}

void Model::zero_grads() {
  for (Param& p : params()) parallel_zero(*p.grad);
}

void Model::prepare_inference() {
  for (auto& layer : layers_) layer->prepare_inference();
}

void Model::predict(const float* x, int B, float* probs) {
  for (int first = 0; first < B; first += kPredictChunk) {
    const int n = std::min(kPredictChunk, B - first);
    const Tensor& logits = forward(x + static_cast<std::size_t>(first) * input_size(), n, false);
    softmax_forward(probs + static_cast<std::size_t>(first) * num_classes(), logits.ptr(), n,
                    num_classes());
  }
}

std::vector<Param> Model::params() {
  std::vector<Param> all;
  for (auto& layer : layers_) {
    for (Param& p : layer->params()) all.push_back(p);
  }
  return all;
}

std::size_t Model::training_bytes_per_example() const {
  std::size_t floats = 0;
  for (const Shape& s : shapes_) floats += 2 * shape_size(s);  // activation + its gradient
  for (std::size_t i = 0; i < spec_.layers.size(); ++i) {
    const Shape& in = shapes_[i];
    switch (spec_.layers[i].kind) {
      case LayerKind::dropout: floats += shape_size(in); break;           // mask
      case LayerKind::maxpool2x2: floats += shape_size(shapes_[i + 1]); break;  // argmax
      default: break;
    }
  }
  return floats * sizeof(float);
}

std::size_t Model::parameter_count() {
  std::size_t n = 0;
  for (Param& p : params()) n += p.value->size();
  return n;
}

void Model::copy_weights_to(std::vector<float>& out) {
  out.resize(parameter_count());
  std::size_t at = 0;
  for (Param& p : params()) {
    const float* from = p.value->ptr();
    float* to = out.data() + at;
    parallel::parallel_elements(p.value->size(), [&](std::size_t i, std::size_t count) {
      std::copy(from + i, from + i + count, to + i);
    });
    at += p.value->size();
  }
}

void Model::copy_weights_from(const std::vector<float>& in) {
  std::size_t at = 0;
  for (Param& p : params()) {
    std::copy(in.begin() + at, in.begin() + at + p.value->size(), p.value->data.begin());
    at += p.value->size();
  }
}

}  // namespace mnist

#include "model/model.h"

#include <algorithm>
#include <cmath>

#include "layers/conv2d_layer.h"
#include "layers/dense_layer.h"
#include "layers/dropout_layer.h"
#include "layers/maxpool_layer.h"
#include "layers/relu_layer.h"
#include "model/kernel_choice.h"
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
  int convs = 0, denses = 0, relus = 0, pools = 0, dropouts = 0;
  for (const LayerSpec& l : model->spec_.layers) {
    std::unique_ptr<Layer> layer;
    std::string name;
    switch (l.kind) {
      case LayerKind::conv3x3:
        name = "conv" + std::to_string(++convs);
        layer = std::make_unique<Conv2dLayer>(name, shape[2], l.units);
        break;
      case LayerKind::dense:
        name = "dense" + std::to_string(++denses);
        layer = std::make_unique<DenseLayer>(name, static_cast<int>(shape_size(shape)), l.units);
        break;
      case LayerKind::maxpool2x2:
        name = "pool" + std::to_string(++pools);
        layer = std::make_unique<MaxPoolLayer>();
        break;
      case LayerKind::relu:
        name = "relu" + std::to_string(++relus);
        layer = std::make_unique<ReluLayer>();
        break;
      case LayerKind::dropout:
        name = "dropout" + std::to_string(++dropouts);
        layer = std::make_unique<DropoutLayer>(l.keep_prob);
        break;
    }
    shape = layer->output_shape(shape);
    model->shapes_.push_back(shape);
    for (Param& p : layer->param_list()) {
      model->params_.push_back(p);
    }
    model->names_.push_back(name);
    model->layers_.push_back(std::move(layer));
  }
  for (const Param& p : model->params_) model->const_params_.push_back({p.name, p.value});
  model->acts_.resize(model->shapes_.size());
  model->grads_.resize(model->shapes_.size());
  // Weights start at zero; the trainer initialises them as the spec says
  // (a loaded model overwrites them, so drawing 3M normals would be wasted).
  return model;
}

void Model::initialize(std::uint64_t seed) {
  Rng rng(seed, 3);
  for (const Param& p : mutable_params()) {
    const bool is_bias = p.value->shape.size() == 1;
    if (spec_.init == InitKind::zeros) {
      p.value->fill(0.0f);
    } else if (is_bias) {
      p.value->fill(spec_.init == InitKind::he ? 0.0f : spec_.init_bias);
    } else if (spec_.init == InitKind::he) {
      // Weights are (outputs, inputs...): fan-in = size / outputs. Cutting
      // a normal at two standard deviations leaves 0.88 of its spread.
      const double fan_in = static_cast<double>(p.value->size()) / p.value->shape[0];
      const float stddev = static_cast<float>(std::sqrt(2.0 / fan_in) / 0.8796);
      for (float& w : p.value->data) w = rng.truncated_normal(stddev);
    } else {
      for (float& w : p.value->data) w = rng.truncated_normal(spec_.init_stddev);
    }
  }
  zero_grads();
}

bool Model::prepared() const {
  return std::any_of(layers_.begin(), layers_.end(), [](const auto& l) { return l->prepared(); });
}

Purpose Model::purpose_of(bool training, int B) const { return mnist::purpose_of(training, B, prepared()); }

// The one place a pass is laid out: which layers a step covers (fusing
// where kernel_choice says so) and which kernel each runs. It reads the
// spec's layer kinds, never the layers' C++ types.
Plan Model::make_plan(Purpose purpose, int B) const {
  Plan plan;
  plan.purpose = purpose;
  plan.batch = B;
  const bool train = purpose == Purpose::train;
  const auto& kinds = spec_.layers;
  const int n = static_cast<int>(kinds.size());
  auto kind_at = [&](int i) { return i < n ? kinds[i].kind : LayerKind::dense; };
  for (int i = 0; i < n;) {
    PlanStep step;
    step.first = step.runs = i;
    const Shape& in = shapes_[i];
    switch (kinds[i].kind) {
      case LayerKind::conv3x3: {
        const bool relu_pool = i + 2 < n && kind_at(i + 1) == LayerKind::relu && kind_at(i + 2) == LayerKind::maxpool2x2;
        step.forward = choose_conv_forward(purpose, in[2], relu_pool);
        if (step.forward == Kernel::conv3x3_c1_relu_pool) step.covers = 3;
        if (train) step.backward = choose_conv_backward();
        break;
      }
      case LayerKind::dense: {
        const long long weights = static_cast<long long>(shape_size(in)) * kinds[i].units;
        step.forward = choose_dense_forward(purpose, weights, kinds[i].units, i == 0, layers_[i]->prepared());
        if (train) step.backward = choose_dense_backward(kinds[i].units, i == 0);
        break;
      }
      case LayerKind::relu:
        if (!train && i + 1 < n && kind_at(i + 1) == LayerKind::maxpool2x2) {
          step.forward = choose_pool_forward(purpose, true);
          step.covers = 2;
          step.runs = i + 1;
        } else {
          step.forward = Kernel::relu;
          if (train) step.backward = Kernel::relu_backward;
        }
        break;
      case LayerKind::maxpool2x2:
        step.forward = choose_pool_forward(purpose, false);
        if (train) step.backward = Kernel::maxpool_backward;
        break;
      case LayerKind::dropout:
        step.forward = choose_dropout_forward(purpose, kinds[i].keep_prob);
        if (train) step.backward = choose_dropout_backward(kinds[i].keep_prob);
        break;
    }
    step.scratch = layers_[step.runs]->scratch(shapes_[step.first], B, step);
    plan.scratch = ScratchSize::larger(plan.scratch, step.scratch);
    plan.steps.push_back(step);
    i += step.covers;
  }
  return plan;
}

const Plan& Model::plan(Purpose purpose, int B) {
  for (const auto& p : plans_) {
    if (p->purpose == purpose && p->batch == B) return *p;
  }
  plans_.push_back(std::make_unique<Plan>(make_plan(purpose, B)));
  workspace_.reserve(plans_.back()->scratch, parallel::max_threads());
  return *plans_.back();
}

const Tensor& Model::forward(const float* x, int B, bool training) {
  float* input = input_for(B);
  std::copy(x, x + acts_[0].size(), input);
  return forward_input(training);
}

float* Model::input_for(int B) {
  for (std::size_t i = 0; i < acts_.size(); ++i) {
    const bool same = !acts_[i].shape.empty() && acts_[i].shape[0] == B;
    if (same) continue;
    Shape s = {B};
    s.insert(s.end(), shapes_[i].begin(), shapes_[i].end());
    acts_[i].resize(s);
  }
  return acts_[0].ptr();
}

const Tensor& Model::forward_input(bool training) {
  const int B = acts_[0].dim(0);
  const Plan& p = plan(purpose_of(training, B), B);
  last_plan_ = &p;
  for (const PlanStep& step : p.steps) {
    // A fused step leaves the activations between the layers it covers unwritten.
    layers_[step.runs]->forward(acts_[step.first], acts_[step.first + step.covers], step, workspace_, dropout_rng_);
  }
  return acts_.back();
}

void Model::backward(const Tensor& dlogits) {
  const std::size_t n = layers_.size();
  for (std::size_t i = 1; i < n; ++i) {  // each layer writes its din whole
    if (grads_[i].shape != acts_[i].shape) grads_[i].resize(acts_[i].shape);
  }
  const Plan& p = *last_plan_;
  for (auto step = p.steps.rbegin(); step != p.steps.rend(); ++step) {
    const std::size_t i = step->first;
    const Tensor& dout = (i + 1 == n) ? dlogits : grads_[i + 1];
    layers_[i]->backward(acts_[i], acts_[i + 1], dout, i == 0 ? nullptr : &grads_[i], *step, workspace_);
  }
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

void Model::zero_grads() {
  for (const Param& p : mutable_params()) parallel_zero(*p.grad);
}

void Model::prepare_inference() {
  for (auto& layer : layers_) layer->prepare_inference();
  plans_.clear();  // one-drawing plans read the new copies
  last_plan_ = nullptr;
}

const std::vector<Param>& Model::mutable_params() {
  bool changed = false;
  for (auto& layer : layers_) {
    changed = changed || layer->prepared();
    layer->weights_will_change();
  }
  if (changed) {  // plans chose kernels that read the copies just dropped
    plans_.clear();
    last_plan_ = nullptr;
  }
  return params_;
}

void Model::predict(const float* x, int B, float* probs) {
  for (int first = 0; first < B; first += kPredictChunk) {
    const int n = std::min(kPredictChunk, B - first);
    const Tensor& logits = forward(x + static_cast<std::size_t>(first) * input_size(), n, false);
    softmax_forward(probs + static_cast<std::size_t>(first) * num_classes(), logits.ptr(), n, num_classes());
  }
}

std::size_t Model::training_bytes(int B) const {
  std::size_t floats = 0;
  for (const Shape& s : shapes_) floats += 2 * shape_size(s);  // activation + its gradient
  for (std::size_t i = 0; i < spec_.layers.size(); ++i) {
    switch (spec_.layers[i].kind) {
      case LayerKind::dropout: floats += shape_size(shapes_[i]); break;           // mask
      case LayerKind::maxpool2x2: floats += shape_size(shapes_[i + 1]); break;  // argmax
      default: break;
    }
  }
  const ScratchSize s = make_plan(Purpose::train, B).scratch;
  return floats * sizeof(float) * static_cast<std::size_t>(B) + s.shared +
         s.per_thread * static_cast<std::size_t>(parallel::max_threads());
}

std::size_t Model::parameter_count() const {
  std::size_t n = 0;
  for (const ConstParam& p : const_params_) n += p.value->size();
  return n;
}

void Model::copy_weights_to(std::vector<float>& out) const {
  out.resize(parameter_count());
  std::size_t at = 0;
  for (const ConstParam& p : const_params_) {
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
  for (const Param& p : mutable_params()) {
    std::copy(in.begin() + at, in.begin() + at + p.value->size(), p.value->data.begin());
    at += p.value->size();
  }
}

}  // namespace mnist

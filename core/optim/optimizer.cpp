#include "optim/optimizer.h"

#include <cmath>
#include <string>

#include "kernels/elementwise.h"
#include "parallel/thread_pool.h"

namespace mnist {

Result<OptimizerKind> parse_optimizer(std::string_view name) {
  if (name == "sgd") return OptimizerKind::sgd;
  if (name == "adam") return OptimizerKind::adam;
  return Status::error("unknown optimizer '" + std::string(name) + "': choose sgd or adam");
}

const char* optimizer_name(OptimizerKind kind) {
  return kind == OptimizerKind::sgd ? "sgd" : "adam";
}

void Sgd::step(const std::vector<Param>& params) {
  for (const Param& p : params) {
    float* w = p.value->ptr();
    const float* g = p.grad->ptr();
    parallel::parallel_elements(p.value->size(), [&](std::size_t i, std::size_t count) {
      kernels::f32_sgd_update_simd128(w + i, g + i, lr_, count);
    });
  }
}

void Adam::step(const std::vector<Param>& params) {
  if (m_.size() != params.size()) {
    m_.assign(params.size(), {});
    v_.assign(params.size(), {});
    for (std::size_t i = 0; i < params.size(); ++i) {
      m_[i].assign(params[i].value->size(), 0.0f);
      v_[i].assign(params[i].value->size(), 0.0f);
    }
  }
  ++t_;
  const double correction = std::sqrt(1.0 - std::pow(static_cast<double>(beta2_), t_)) /
                            (1.0 - std::pow(static_cast<double>(beta1_), t_));
  const float lr_t = static_cast<float>(lr_ * correction);
  for (std::size_t i = 0; i < params.size(); ++i) {
    float* w = params[i].value->ptr();
    float* m = m_[i].data();
    float* v = v_[i].data();
    const float* g = params[i].grad->ptr();
    parallel::parallel_elements(params[i].value->size(), [&](std::size_t j, std::size_t count) {
      kernels::f32_adam_update_simd128(w + j, m + j, v + j, g + j, lr_t, beta1_, beta2_, epsilon_,
                                       count);
    });
  }
}

Status Sgd::restore(const OptimizerState& state, const std::vector<Param>&) {
  if (state.t != 0 || !state.m.empty() || !state.v.empty()) return Status::error("the saved optimiser state is not SGD's");
  return Status::ok();
}

OptimizerState Adam::state() const {
  OptimizerState s;
  s.t = t_;
  for (const auto& m : m_) s.m.emplace_back(m.begin(), m.end());
  for (const auto& v : v_) s.v.emplace_back(v.begin(), v.end());
  return s;
}

Status Adam::restore(const OptimizerState& state, const std::vector<Param>& params) {
  if (state.t < 0) return Status::error("the saved Adam step count is negative");
  const bool fresh = state.t == 0 && state.m.empty() && state.v.empty();
  if (!fresh) {
    if (state.m.size() != params.size() || state.v.size() != params.size()) {
      return Status::error("the saved Adam state has " + std::to_string(state.m.size()) + " parameters, the model " +
                           std::to_string(params.size()));
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (state.m[i].size() != params[i].value->size() || state.v[i].size() != params[i].value->size()) {
        return Status::error("the saved Adam state does not match " + params[i].name);
      }
    }
  }
  t_ = state.t;
  m_.clear();
  v_.clear();
  for (const auto& m : state.m) m_.emplace_back(m.begin(), m.end());
  for (const auto& v : state.v) v_.emplace_back(v.begin(), v.end());
  return Status::ok();
}

std::unique_ptr<Optimizer> make_optimizer(OptimizerKind kind, float lr) {
  if (kind == OptimizerKind::adam) return std::make_unique<Adam>(lr);
  return std::make_unique<Sgd>(lr);
}

}  // namespace mnist

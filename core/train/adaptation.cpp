#include "train/adaptation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "train/evaluator.h"

namespace mnist {

namespace {

Dataset subset(const Dataset& data, const std::vector<int>& indices) {
  Dataset out;
  out.count = static_cast<int>(indices.size());
  out.rows = data.rows;
  out.cols = data.cols;
  out.pixels.reserve(static_cast<std::size_t>(out.count) * data.image_size());
  for (int i : indices) {
    out.pixels.insert(out.pixels.end(), data.image(i), data.image(i) + data.image_size());
    out.labels.push_back(data.labels[i]);
  }
  return out;
}

int correct_guesses(Model& model, const Dataset& data) {
  if (data.count == 0) return 0;
  const Evaluation ev = evaluate(model, data);
  return static_cast<int>(std::lround(ev.accuracy * ev.count));
}

}  // namespace

Status check_adapt_samples(const Dataset& samples, const Model& model) {
  if (samples.count < kMinAdaptSamples) {
    const int more = kMinAdaptSamples - samples.count;
    return Status::error("adapting needs at least " + std::to_string(kMinAdaptSamples) + " of your digits; there " +
                         (samples.count == 1 ? "is 1" : "are " + std::to_string(samples.count)) + ": " +
                         std::to_string(more) + " more needed");
  }
  if (samples.count > kMaxOwnDigits) {
    return Status::error("adapting takes at most " + std::to_string(kMaxOwnDigits) + " of your digits; there are " +
                         std::to_string(samples.count));
  }
  if (samples.rows != model.spec().height || samples.cols != model.spec().width || model.spec().channels != 1) {
    return Status::error("your digits are " + std::to_string(samples.rows) + "x" + std::to_string(samples.cols) +
                         " images; the model reads " + std::to_string(model.spec().height) + "x" +
                         std::to_string(model.spec().width));
  }
  for (std::uint8_t label : samples.labels) {
    if (label >= model.num_classes()) return Status::error("a digit's label is beyond the model's classes");
  }
  return Status::ok();
}

std::vector<int> assign_folds(const Dataset& samples, int folds) {
  std::vector<int> order(samples.count);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return samples.labels[a] < samples.labels[b]; });
  std::vector<int> fold(samples.count, 0);
  for (int k = 0; k < samples.count && folds > 0; ++k) fold[order[k]] = k % folds;
  return fold;
}

Dataset mix_for_adaptation(const Dataset& own, const Dataset& replay, const AdaptConfig& config) {
  Rng rng(config.seed, 29);
  std::vector<int> picked;
  const int replayed = std::min(config.replay_count, replay.count);
  for (int i = 0; i < replayed; ++i) picked.push_back(static_cast<int>(rng.below(static_cast<std::uint32_t>(replay.count))));
  Dataset mixed = subset(replay, picked);
  mixed.rows = own.rows;
  mixed.cols = own.cols;
  // Repeats of the person's digits so that they are own_share of the set.
  const double share = std::clamp(static_cast<double>(config.own_share), 0.0, 0.95);
  const int repeats =
      own.count == 0 ? 0 : std::max(1, static_cast<int>(std::lround(share / (1.0 - share) * replayed / own.count)));
  for (int r = 0; r < repeats; ++r) {
    mixed.pixels.insert(mixed.pixels.end(), own.pixels.begin(), own.pixels.end());
    mixed.labels.insert(mixed.labels.end(), own.labels.begin(), own.labels.end());
  }
  mixed.count = static_cast<int>(mixed.labels.size());
  return mixed;
}

Adaptation::Adaptation(Model& model, const Dataset& samples, const Dataset& replay, const AdaptConfig& config)
    : model_(model), samples_(samples), replay_(replay), config_(config) {}

Result<std::unique_ptr<Adaptation>> Adaptation::start(Model& model, const Dataset& samples, const Dataset& replay,
                                                      const AdaptConfig& config) {
  if (Status s = check_adapt_samples(samples, model); !s) return s;
  if (replay.count > 0 && (replay.rows != samples.rows || replay.cols != samples.cols)) {
    return Status::error("the replayed digits and yours differ in size");
  }
  if (config.steps < 1 || config.folds < 0 || config.folds > samples.count) {
    return Status::error("an adaptation needs at least 1 step and at most one fold per digit");
  }
  std::unique_ptr<Adaptation> a(new Adaptation(model, samples, replay, config));
  a->folds_ = config.folds;
  a->fold_of_ = assign_folds(samples, config.folds);
  model.copy_weights_to(a->original_);
  a->progress_.runs = config.folds + 1;
  a->progress_.total_steps = config.steps * (config.folds + 1);
  if (config.folds > 0) {
    a->report_.samples = samples.count;
    a->report_.before_correct = correct_guesses(model, samples);
  }
  if (Status fits = check_batch_fits(model, config.batch); !fits) return fits;
  return a;
}

void Adaptation::begin_run() {
  std::vector<int> trained_on;
  for (int i = 0; i < samples_.count; ++i) {
    if (!held_out(i)) trained_on.push_back(i);
  }
  AdaptConfig run_config = config_;
  run_config.seed = config_.seed + static_cast<std::uint64_t>(run_);
  mixed_ = mix_for_adaptation(subset(samples_, trained_on), replay_, run_config);
  model_.copy_weights_from(original_);
  TrainConfig tc;
  tc.steps = config_.steps;
  tc.batch = config_.batch;
  tc.learning_rate = config_.learning_rate;
  tc.optimizer = OptimizerKind::adam;
  tc.seed = run_config.seed;
  tc.initialize = false;
  tc.augment.enabled = true;
  tc.stuck_until = 0;  // it starts from a model that has learned
  trainer_ = std::make_unique<Trainer>(model_, mixed_, nullptr, tc);
}

void Adaptation::end_run() {
  trainer_.reset();
  if (run_ == 0) {
    model_.copy_weights_to(adapted_);
  } else {
    std::vector<int> judged;
    for (int i = 0; i < samples_.count; ++i) {
      if (held_out(i)) judged.push_back(i);
    }
    report_.after_correct += correct_guesses(model_, subset(samples_, judged));
  }
  ++run_;
  progress_.run = run_;
  if (finished()) model_.copy_weights_from(adapted_);
}

Status Adaptation::step() {
  if (finished()) return Status::ok();
  const auto start = std::chrono::steady_clock::now();
  if (!trainer_) begin_run();
  Status s = trainer_->step();
  progress_.elapsed_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!s) {
    restore_original();
    return s;
  }
  ++progress_.step;
  if (trainer_->finished()) end_run();
  return Status::ok();
}

void Adaptation::restore_original() { model_.copy_weights_from(original_); }

Result<AdaptReport> adapt(Model& model, const Dataset& samples, const Dataset& replay, const AdaptConfig& config) {
  auto a = Adaptation::start(model, samples, replay, config);
  if (!a) return a.status();
  while (!a.value()->finished()) {
    if (Status s = a.value()->step(); !s) return s;
  }
  return a.value()->report();
}

}  // namespace mnist

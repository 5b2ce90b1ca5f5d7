#include "train/trainer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "kernels/elementwise.h"
#include "ops/softmax_cross_entropy.h"
#include "parallel/thread_pool.h"
#include "train/evaluator.h"

namespace mnist {

namespace {

int total_steps(const TrainConfig& c, int examples) {
  if (c.epochs > 0) {
    return static_cast<int>((static_cast<long long>(c.epochs) * examples + c.batch - 1) / c.batch);
  }
  return c.steps;
}

// Images of a batch one thread makes at a time: an augmented image takes
// some tens of microseconds, so chunks of 16 are worth handing to a thread.
constexpr int kImagesPerChunk = 16;

// The stuck test ignores the first steps: a healthy run may start with
// every guess one class.
constexpr int kStuckFrom = 100;

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

Result<LrSchedule> parse_schedule(std::string_view name) {
  if (name == "constant") return LrSchedule::constant;
  if (name == "cosine") return LrSchedule::cosine;
  return Status::error("unknown schedule '" + std::string(name) + "': choose constant or cosine");
}

const char* schedule_name(LrSchedule schedule) { return schedule == LrSchedule::cosine ? "cosine" : "constant"; }

Status check_train_config(const TrainConfig& c) {
  if (c.batch < 1 || c.batch > kMaxBatch) {
    return Status::error("batch size must be between 1 and " + std::to_string(kMaxBatch));
  }
  if (c.epochs < 0 || c.epochs > kMaxEpochs) {
    return Status::error("epochs must be between 0 and " + std::to_string(kMaxEpochs));
  }
  if (c.epochs == 0 && (c.steps < 1 || c.steps > kMaxSteps)) {
    return Status::error("steps must be between 1 and " + std::to_string(kMaxSteps));
  }
  if (!std::isfinite(c.learning_rate) || c.learning_rate <= 0.0f) {
    return Status::error("learning rate must be a positive number");
  }
  if (c.warmup_steps < 0 || c.warmup_steps > kMaxSteps) return Status::error("warm-up steps must be 0 or more");
  if (!(c.final_lr_fraction >= 0.0f && c.final_lr_fraction <= 1.0f)) {
    return Status::error("the final learning rate fraction must be between 0 and 1");
  }
  if (!(c.label_smoothing >= 0.0f && c.label_smoothing <= 0.5f)) return Status::error("label smoothing must be between 0 and 0.5");
  if (!(c.weight_average >= 0.0f && c.weight_average < 1.0f)) {
    return Status::error("the weight average's decay must be at least 0 and less than 1");
  }
  if (!(c.augment.elastic >= 0.0f && c.augment.elastic <= 8.0f)) return Status::error("elastic warp must be between 0 and 8 pixels");
  if (!(c.augment.regional_styles >= 0.0f && c.augment.regional_styles <= 1.0f)) {
    return Status::error("the part of 1s and 7s given regional styles must be between 0 and 1");
  }
  if (!(c.augment.non_digit_fraction >= 0.0f && c.augment.non_digit_fraction <= 0.5f)) {
    return Status::error("the share of non-digit examples must be between 0 and 0.5");
  }
  return Status::ok();
}

Status check_batch_fits(const Model& model, int batch, std::size_t budget) {
  const std::size_t needed = model.training_bytes(batch);
  if (needed <= budget) return Status::ok();
  int fits = 0;  // the largest batch that fits: bytes grow with the batch
  for (int step = 1 << 20; step > 0; step >>= 1) {
    if (fits + step < batch && model.training_bytes(fits + step) <= budget) fits += step;
  }
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "a batch of %d needs about %.0f MB for this model, more than the %zu MB this build "
                "allows: use a batch of at most %d",
                batch, double(needed) / (1 << 20), budget >> 20, fits);
  return Status::error(buf);
}

Trainer::Trainer(Model& model, const Dataset& train, const Dataset* validation, TrainConfig config)
    : model_(model),
      train_(train),
      validation_(validation),
      config_(config),
      optimizer_(make_optimizer(config.optimizer, config.learning_rate)),
      batcher_(train, config.seed),
      augment_rng_(config.seed, 13) {
  if (config_.initialize) model_.initialize(config_.seed);
  model_.seed_dropout(config_.seed);
  progress_.total_steps = total_steps(config_, train.count);
  model_.copy_weights_to(last_good_);
  if (config_.weight_average > 0) averaged_ = last_good_;
}

float Trainer::learning_rate_at(int step) const {
  float rate = config_.learning_rate;
  if (step < config_.warmup_steps) return rate * static_cast<float>(step + 1) / static_cast<float>(config_.warmup_steps + 1);
  if (config_.schedule == LrSchedule::cosine) {
    const int span = std::max(1, progress_.total_steps - config_.warmup_steps);
    const double done = std::min(1.0, static_cast<double>(step - config_.warmup_steps) / span);
    const double f = config_.final_lr_fraction + (1.0 - config_.final_lr_fraction) * 0.5 * (1.0 + std::cos(3.141592653589793 * done));
    rate = static_cast<float>(config_.learning_rate * f);
  }
  return rate;
}

Status Trainer::stuck(float loss, float sameness) {
  model_.copy_weights_from(last_good_);
  progress_.total_steps = progress_.step;  // nothing more to do
  char buf[400];
  if (sameness >= 0.95f) {
    std::snprintf(buf, sizeof buf,
                  "training stopped at step %d: it is not learning. For %d steps nearly every guess was the same "
                  "digit; the learning rate (%g) is probably too high: try a smaller one, such as %g.",
                  progress_.step + 1, kStuckWindow, static_cast<double>(config_.learning_rate),
                  static_cast<double>(config_.learning_rate) / 100);
  } else {
    std::snprintf(buf, sizeof buf,
                  "training stopped at step %d: it is not learning. For %d steps the loss stayed at %.2f, no better "
                  "than guessing; the learning rate (%g) is probably too high: try a smaller one, such as %g.",
                  progress_.step + 1, kStuckWindow, static_cast<double>(loss), static_cast<double>(config_.learning_rate),
                  static_cast<double>(config_.learning_rate) / 100);
  }
  return Status::error(buf);
}

Status Trainer::diverged(float loss) {
  model_.copy_weights_from(last_good_);
  progress_.total_steps = progress_.step;  // nothing more to do
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "training diverged at step %d: the loss became %s; the learning rate (%g) is "
                "probably too high. The last good weights were kept.",
                progress_.step + 1, std::isfinite(loss) ? std::to_string(loss).c_str() : "NaN",
                static_cast<double>(config_.learning_rate));
  return Status::error(buf);
}

Status Trainer::step() {
  if (finished()) return Status::ok();
  const auto start = std::chrono::steady_clock::now();
  const int B = config_.batch;
  const int P = train_.image_size();
  const int K = model_.num_classes();
  if (P != model_.input_size()) {  // the batch is written into the model's input
    return Status::error("the images have " + std::to_string(P) + " pixels but the model takes " +
                         std::to_string(model_.input_size()));
  }
  labels_.resize(B);
  probs_.resize(static_cast<std::size_t>(B) * K);

  batcher_.next(B, indices_);
  touch_images(train_, indices_.data(), B);
  float* x = model_.input_for(B);  // the batch is made in place
  // Each image of a batch draws from its own stream, seeded once per batch
  // from the run's generator: threads share the augmentation, and what each
  // image gets does not depend on how many there are.
  const std::uint64_t batch_seed = (std::uint64_t{augment_rng_.next_u32()} << 32) | augment_rng_.next_u32();
  const AugmentConfig& augment = config_.augment;
  parallel::parallel_for(B, kImagesPerChunk, 1, [&](int first, int last) {
    for (int b = first; b < last; ++b) {
      float* dst = x + static_cast<std::size_t>(b) * P;
      labels_[b] = train_.labels[indices_[b]];
      if (!augment.enabled) {
        image_to_floats(train_, indices_[b], dst);
        continue;
      }
      Rng rng(batch_seed, static_cast<std::uint64_t>(b));
      if (augment.non_digit_fraction > 0 && rng.uniform() < augment.non_digit_fraction) {
        make_non_digit(dst, train_.image(indices_[b]), train_.image(indices_[(b + 1) % B]), train_.rows, train_.cols, rng);
        labels_[b] = kNoClass;
      } else if (augment.regional_styles > 0 && (labels_[b] == 1 || labels_[b] == 7) &&
                 rng.uniform() < augment.regional_styles) {
        constexpr int kMaxPixels = 64 * 64;  // on the stack: no allocation in a step
        std::uint8_t styled[kMaxPixels];
        const int pixels = train_.rows * train_.cols;
        const std::uint8_t* image = train_.image(indices_[b]);
        if (pixels <= kMaxPixels) {
          std::copy(image, image + pixels, styled);
          add_regional_style(styled, train_.rows, train_.cols, labels_[b], rng);
          image = styled;
        }
        augment_image(dst, image, train_.rows, train_.cols, augment, rng);
      } else {
        augment_image(dst, train_.image(indices_[b]), train_.rows, train_.cols, augment, rng);
      }
    }
  });

  const Tensor& logits = model_.forward_input(true);
  const float loss = softmax_cross_entropy_forward(probs_.data(), logits.ptr(), labels_.data(), B, K,
                                                   config_.label_smoothing);
  if (!std::isfinite(loss) || loss > config_.max_loss) return diverged(loss);

  int correct = 0, labelled = 0;
  std::vector<int>& guesses = guess_counts_;
  guesses.assign(K, 0);
  for (int b = 0; b < B; ++b) {
    const float* p = probs_.data() + static_cast<std::size_t>(b) * K;
    const int guess = static_cast<int>(std::max_element(p, p + K) - p);
    ++guesses[guess];
    if (labels_[b] == kNoClass) continue;
    ++labelled;
    correct += guess == labels_[b];
  }
  // Not learning: in the run's first steps, a window in which the loss
  // stayed at chance or nearly every guess was one class.
  if (progress_.step >= kStuckFrom && progress_.step < config_.stuck_until) {
    recent_losses_.push_back(loss);
    recent_sameness_.push_back(static_cast<float>(*std::max_element(guesses.begin(), guesses.end())) / B);
    if (static_cast<int>(recent_losses_.size()) > kStuckWindow) {
      recent_losses_.erase(recent_losses_.begin());
      recent_sameness_.erase(recent_sameness_.begin());
    }
    if (static_cast<int>(recent_losses_.size()) == kStuckWindow) {
      // A run whose loss still falls is learning, however slowly (a
      // learning rate too low): only a flat one is stuck.
      double early = 0, late = 0, mean_sameness = 0;
      for (int i = 0; i < kStuckWindow; ++i) {
        (i < kStuckWindow / 2 ? early : late) += recent_losses_[i];
        mean_sameness += recent_sameness_[i];
      }
      early /= kStuckWindow / 2, late /= kStuckWindow - kStuckWindow / 2, mean_sameness /= kStuckWindow;
      const double mean_loss = (early + late) / 2;
      const bool flat = early - late < 0.02 * early;
      const bool at_chance = std::fabs(mean_loss - std::log(static_cast<double>(K))) <= 0.15;
      if (flat && (at_chance || mean_sameness >= 0.95)) {
        return stuck(static_cast<float>(mean_loss), static_cast<float>(mean_sameness));
      }
    }
  }
  model_.copy_weights_to(last_good_);

  if (dlogits_.shape != logits.shape) dlogits_.resize(logits.shape);
  dlogits_.fill(0.0f);
  softmax_cross_entropy_backward(dlogits_.ptr(), probs_.data(), labels_.data(), B, K, config_.label_smoothing);
  model_.zero_grads();
  model_.backward(dlogits_);
  const std::vector<Param>& params = model_.mutable_params();
  optimizer_->set_learning_rate(learning_rate_at(progress_.step));
  optimizer_->step(params);
  if (!averaged_.empty()) average_weights();

  progress_.step += 1;
  progress_.loss = loss;
  progress_.batch_accuracy = labelled ? static_cast<float>(correct) / labelled : 0.0f;
  progress_.elapsed_seconds += seconds_since(start);
  progress_.images_per_second =
      progress_.elapsed_seconds > 0
          ? (progress_.step - first_step_) * static_cast<double>(B) / progress_.elapsed_seconds
          : 0.0;

  // The update of the last step is never seen by a loss: check it directly.
  if (finished()) {
    if (!averaged_.empty()) model_.copy_weights_from(averaged_);  // the run's result is the average
    for (const Param& p : params) {
      if (!kernels::f32_all_finite_scalar(p.value->ptr(), p.value->size())) {
        progress_.step -= 1;
        return diverged(NAN);
      }
    }
  }

  progress_.validated_this_step = false;
  if (validation_ && validation_->count > 0 && config_.validate_every > 0 &&
      (progress_.step % config_.validate_every == 0 || finished())) {
    const auto validation_start = std::chrono::steady_clock::now();
    progress_.validation_accuracy =
        static_cast<float>(evaluate(model_, *validation_, 500, config_.validation_limit).accuracy);
    progress_.validation_seconds += seconds_since(validation_start);
    progress_.validated_this_step = true;
  }
  return Status::ok();
}

void Trainer::average_weights() {
  // The average starts fast (TensorFlow's ExponentialMovingAverage with
  // num_updates): early weights are soon forgotten.
  const float decay = std::min(config_.weight_average, (1.0f + progress_.step) / (10.0f + progress_.step));
  std::size_t at = 0;
  for (const Model::ConstParam& p : model_.params()) {
    const float* w = p.value->ptr();
    float* avg = averaged_.data() + at;
    parallel::parallel_elements(p.value->size(), [&](std::size_t i, std::size_t count) {
      for (std::size_t k = i; k < i + count; ++k) avg[k] = decay * avg[k] + (1.0f - decay) * w[k];
    });
    at += p.value->size();
  }
}

TrainerState Trainer::state() const {
  TrainerState s;
  s.step = progress_.step;
  s.validation_accuracy = progress_.validation_accuracy;
  s.batcher = batcher_.state();
  s.augment = augment_rng_.state();
  s.dropout = model_.dropout_state();
  s.optimizer = optimizer_->state();
  s.averaged_weights = averaged_;
  s.recent_losses = recent_losses_;
  s.recent_sameness = recent_sameness_;
  return s;
}

Status Trainer::restore(const TrainerState& s) {
  if (s.step < 0 || s.step > progress_.total_steps) {
    return Status::error("the saved step " + std::to_string(s.step) + " is outside this run of " +
                         std::to_string(progress_.total_steps) + " steps");
  }
  if (Status b = batcher_.restore(s.batcher); !b) return b;
  if (Status o = optimizer_->restore(s.optimizer, model_.mutable_params()); !o) return o;
  if (s.averaged_weights.size() != (config_.weight_average > 0 ? last_good_.size() : 0)) {
    return Status::error("the saved weight average does not fit this run");
  }
  if (s.recent_losses.size() != s.recent_sameness.size() || s.recent_losses.size() > std::size_t(kStuckWindow)) {
    return Status::error("the saved progress window is damaged");
  }
  augment_rng_.restore(s.augment);
  model_.restore_dropout(s.dropout);
  averaged_ = s.averaged_weights;
  recent_losses_ = s.recent_losses;
  recent_sameness_ = s.recent_sameness;
  progress_.step = first_step_ = s.step;
  progress_.validation_accuracy = s.validation_accuracy;
  model_.copy_weights_to(last_good_);
  return Status::ok();
}

Status Trainer::run(const std::function<bool(const TrainProgress&)>& on_step) {
  while (!finished()) {
    Status s = step();
    if (!s) return s;
    if (on_step && !on_step(progress_)) break;
  }
  return Status::ok();
}

}  // namespace mnist

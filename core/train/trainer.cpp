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

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

Status check_train_config(const TrainConfig& c) {
  if (c.batch < 1 || c.batch > 4096) return Status::error("batch size must be between 1 and 4096");
  if (c.epochs < 0 || c.epochs > 1000) return Status::error("epochs must be between 0 and 1000");
  if (c.epochs == 0 && (c.steps < 1 || c.steps > 10'000'000)) {
    return Status::error("steps must be between 1 and 10,000,000");
  }
  if (!std::isfinite(c.learning_rate) || c.learning_rate <= 0.0f) {
    return Status::error("learning rate must be a positive number");
  }
  return Status::ok();
}

Status check_batch_fits(const Model& model, int batch, std::size_t budget) {
  const std::size_t per_example = model.training_bytes_per_example();
  if (per_example * static_cast<std::size_t>(batch) <= budget) return Status::ok();
  const double needed_mb = double(per_example) * batch / (1 << 20);
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "a batch of %d needs about %.0f MB for this model, more than the %zu MB this build "
                "allows: use a batch of at most %zu",
                batch, needed_mb, budget >> 20, budget / per_example);
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
  parallel::parallel_for(B, kImagesPerChunk, 1, [&](int first, int last) {
    for (int b = first; b < last; ++b) {
      float* dst = x + static_cast<std::size_t>(b) * P;
      if (config_.augment.enabled) {
        Rng rng(batch_seed, static_cast<std::uint64_t>(b));
        augment_image(dst, train_.image(indices_[b]), train_.rows, train_.cols, config_.augment, rng);
      } else {
        image_to_floats(train_, indices_[b], dst);
      }
    }
  });
  for (int b = 0; b < B; ++b) labels_[b] = train_.labels[indices_[b]];

  const Tensor& logits = model_.forward_input(true);
  const float loss =
      softmax_cross_entropy_forward(probs_.data(), logits.ptr(), labels_.data(), B, K);
  if (!std::isfinite(loss) || loss > config_.max_loss) return diverged(loss);
  model_.copy_weights_to(last_good_);

  int correct = 0;
  for (int b = 0; b < B; ++b) {
    const float* p = probs_.data() + static_cast<std::size_t>(b) * K;
    correct += (std::max_element(p, p + K) - p) == labels_[b];
  }

  if (dlogits_.shape != logits.shape) dlogits_.resize(logits.shape);
  dlogits_.fill(0.0f);
  softmax_cross_entropy_backward(dlogits_.ptr(), probs_.data(), labels_.data(), B, K);
  model_.zero_grads();
  model_.backward(dlogits_);
  auto params = model_.params();
  optimizer_->step(params);

  progress_.step += 1;
  progress_.loss = loss;
  progress_.batch_accuracy = static_cast<float>(correct) / B;
  progress_.elapsed_seconds += seconds_since(start);
  progress_.images_per_second =
      progress_.elapsed_seconds > 0
          ? (progress_.step - first_step_) * static_cast<double>(B) / progress_.elapsed_seconds
          : 0.0;

  // The update of the last step is never seen by a loss: check it directly.
  if (finished()) {
    for (Param& p : params) {
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

TrainerState Trainer::state() const {
  TrainerState s;
  s.step = progress_.step;
  s.validation_accuracy = progress_.validation_accuracy;
  s.batcher = batcher_.state();
  s.augment = augment_rng_.state();
  s.dropout = model_.dropout_state();
  s.optimizer = optimizer_->state();
  return s;
}

Status Trainer::restore(const TrainerState& s) {
  if (s.step < 0 || s.step > progress_.total_steps) {
    return Status::error("the saved step " + std::to_string(s.step) + " is outside this run of " +
                         std::to_string(progress_.total_steps) + " steps");
  }
  if (Status b = batcher_.restore(s.batcher); !b) return b;
  auto params = model_.params();
  if (Status o = optimizer_->restore(s.optimizer, params); !o) return o;
  augment_rng_.restore(s.augment);
  model_.restore_dropout(s.dropout);
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

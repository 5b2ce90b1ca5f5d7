// The training loop, one step at a time so a caller (the CLI, a Web Worker)
// can report progress, pause or stop between steps without threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>
#include <functional>
#include <memory>
#include <vector>

#include "data/augment.h"
#include "data/dataset.h"
#include "model/model.h"
#include "optim/optimizer.h"
#include "status.h"

namespace mnist {

// How the learning rate moves over a run: constant, or cosine (it falls from
// its peak to final_lr_fraction of it along half a cosine). Either way it
// may first rise linearly from 0 over warmup_steps.
enum class LrSchedule { constant, cosine };
Result<LrSchedule> parse_schedule(std::string_view name);
const char* schedule_name(LrSchedule schedule);

struct TrainConfig {
  int steps = 1000;  // used when epochs == 0
  int epochs = 0;    // > 0: steps = ceil(epochs * train examples / batch)
  int batch = 100;
  float learning_rate = 0.5f;  // the peak, with a schedule
  LrSchedule schedule = LrSchedule::constant;
  int warmup_steps = 0;
  float final_lr_fraction = 0.0f;
  // Targets put this part of their weight on every class evenly (label
  // smoothing): a model that is less sure of itself generalises a little
  // better. 0: plain one-hot targets.
  float label_smoothing = 0.0f;
  // > 0: the model ends with an exponential moving average of its weights
  // over the run, with this decay per step (such as 0.999): the average of
  // the last thousand or so steps is better than any one of them.
  float weight_average = 0.0f;
  OptimizerKind optimizer = OptimizerKind::sgd;
  std::uint64_t seed = 1;
  bool initialize = true;  // false: continue from the model's current weights
  AugmentConfig augment;
  int validate_every = 0;      // steps between validation passes; 0 = never
  int validation_limit = 0;    // > 0: validate on the first N examples only
  // A mean cross-entropy above this is divergence: exp(-100) is the chance the
  // model then gives the right class, and a sane run never gets near it.
  float max_loss = 100.0f;
  // A run that is not learning is stopped in its first stuck_until steps:
  // over the last kStuckWindow steps the loss did not fall, and it stayed
  // within 0.15 of chance (ln K) or nearly every guess was the same class
  // (what a learning rate far too high does to the tutorial's CNN).
  int stuck_until = 300;
};
inline constexpr int kStuckWindow = 60;

// The largest run a config may ask for (the page's form reads them from the
// engine).
inline constexpr int kMaxBatch = 4096;
inline constexpr int kMaxSteps = 10'000'000;
inline constexpr int kMaxEpochs = 1000;

// Rejects batch, steps or learning rates that cannot train, with a message.
Status check_train_config(const TrainConfig& config);

// How much memory training may use for a batch's activations: WebAssembly's
// heap is capped (1 GB, see wasm_bindings/CMakeLists.txt) and shared with the
// data and the model; native builds allow more.
#ifdef __EMSCRIPTEN__
inline constexpr std::size_t kTrainingMemoryBudget = std::size_t{640} << 20;
#else
inline constexpr std::size_t kTrainingMemoryBudget = std::size_t{8} << 30;
#endif

// Rejects a batch whose activations would not fit in `budget` bytes, saying
// the largest batch that would.
Status check_batch_fits(const Model& model, int batch, std::size_t budget = kTrainingMemoryBudget);

struct TrainProgress {
  int step = 0;          // steps done
  int total_steps = 0;
  float loss = 0.0f;     // of the last batch, before its update
  float batch_accuracy = 0.0f;
  float validation_accuracy = -1.0f;  // the latest measured; -1 before the first
  bool validated_this_step = false;
  double images_per_second = 0.0;
  double elapsed_seconds = 0.0;  // training time, not counting validation
  // Validating, so far: with elapsed_seconds, what a step costs on average
  // (a short CNN run spent about a third of its time validating).
  double validation_seconds = 0.0;
};

// Where a run is, besides its model's weights: with them and the run's
// config, enough to continue it with the same draws and updates as if it
// had never stopped.
struct TrainerState {
  int step = 0;
  float validation_accuracy = -1.0f;
  BatcherState batcher;
  RngState augment, dropout;
  OptimizerState optimizer;
  std::vector<float> averaged_weights;  // with weight_average: the running average
  std::vector<float> recent_losses;     // the last steps' losses and their most
  std::vector<float> recent_sameness;   // frequent guess's share, for the stuck test
};

class Trainer {
 public:
  // The model, datasets and trainer must outlive the trainer's use.
  Trainer(Model& model, const Dataset& train, const Dataset* validation, TrainConfig config);

  // Runs one step. On a non-finite or exploding loss it returns an error and
  // puts back the last weights whose loss was finite (the model stays usable).
  Status step();
  bool finished() const { return progress_.step >= progress_.total_steps; }
  const TrainProgress& progress() const { return progress_; }
  const TrainConfig& config() const { return config_; }

  // Steps until done, calling on_step after each; on_step returning false stops.
  Status run(const std::function<bool(const TrainProgress&)>& on_step);

  TrainerState state() const;
  // Continues a run from `state`, for a trainer made with the run's config
  // (initialize false) on a model that holds the run's weights. Refuses a
  // state that does not fit the run (its data, its model, its length).
  Status restore(const TrainerState& state);

  // The learning rate of step `step` (0-based), as the schedule says.
  float learning_rate_at(int step) const;

 private:
  Status diverged(float loss);
  Status stuck(float loss, float sameness);
  void average_weights();

  Model& model_;
  const Dataset& train_;
  const Dataset* validation_;
  TrainConfig config_;
  std::unique_ptr<Optimizer> optimizer_;
  Batcher batcher_;
  Rng augment_rng_;
  TrainProgress progress_;
  std::vector<int> indices_;
  std::vector<float> probs_;
  std::vector<std::uint8_t> labels_;
  Tensor dlogits_;
  std::vector<float> last_good_;  // weights whose loss was last checked finite
  int first_step_ = 0;            // where this trainer started (a resumed run: not 0)
  std::vector<float> averaged_;   // with weight_average: the running average of the weights
  std::vector<float> recent_losses_, recent_sameness_;  // up to kStuckWindow, oldest first
  std::vector<int> guess_counts_;  // (K) this batch's guesses per class
};

}  // namespace mnist

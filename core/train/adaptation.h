// Adapting a trained model to one person's handwriting: a short fine-tune on
// their digits (augmented, repeated) mixed with MNIST replay so that it keeps
// reading everyone else, and an honest report of what it gained, measured
// on their digits held out by cross-validation (there are too few to set a
// fixed part aside). Runs step by step so a Web Worker can post progress
// and be cancelled between slices.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "data/dataset.h"
#include "model/model.h"
#include "status.h"
#include "train/trainer.h"

namespace mnist {

struct AdaptConfig {
  int steps = 150;               // per run (the adapting one and each fold's)
  int batch = 32;
  float learning_rate = 1e-4f;   // Adam
  float own_share = 0.25f;       // of the examples trained on: the person's digits, the rest replay
  int replay_count = 2000;       // MNIST examples replayed
  int folds = 3;                 // cross-validation runs before the final one; 0: no report
  std::uint64_t seed = 1;
};

// Fewer digits than this cannot be adapted to (nor cross-validated); more
// than kMaxOwnDigits is a dataset to train on, not one person's corrections
// (and would crowd out the MNIST replay).
inline constexpr int kMinAdaptSamples = 10;
inline constexpr int kMaxOwnDigits = 5000;

// Why a set of the person's digits cannot be adapted to (too few, not the
// model's image size), with how many more are needed; ok otherwise.
Status check_adapt_samples(const Dataset& samples, const Model& model);

// Fold of each sample: samples in label order, dealt round the folds, so
// every fold holds each digit's samples as evenly as they allow.
std::vector<int> assign_folds(const Dataset& samples, int folds);

// The training set of one adaptation run: `replay_count` examples of
// `replay` drawn at random, and the person's `own` digits repeated until they
// are `own_share` of the whole.
Dataset mix_for_adaptation(const Dataset& own, const Dataset& replay, const AdaptConfig& config);

struct AdaptProgress {
  int run = 0, runs = 0;        // runs done of all (the adapting one, then the folds)
  int step = 0, total_steps = 0;  // over every run
  double elapsed_seconds = 0.0;
};

// Held-out accuracy on the person's digits: of the model before (every
// sample, none of them seen) and after (each sample judged by the run that
// did not train on it). -1 without cross-validation.
struct AdaptReport {
  int samples = 0;
  int before_correct = 0, after_correct = 0;
  double before() const { return samples ? double(before_correct) / samples : -1.0; }
  double after() const { return samples ? double(after_correct) / samples : -1.0; }
};

class Adaptation {
 public:
  // `model` is adapted in place (its weights at the start are the point of
  // departure of every run); it, samples and replay must outlive the
  // adaptation. Refuses too few samples and configs that cannot train.
  static Result<std::unique_ptr<Adaptation>> start(Model& model, const Dataset& samples, const Dataset& replay,
                                                   const AdaptConfig& config);

  // One training step. The first run adapts on all the digits; when it
  // ends (progress().run == 1) the model holds the adapted weights until the
  // next step, for a caller that wants to use them at once. Each later run
  // holds out a fold and ends with its digits judged; after the last the
  // model holds the adapted weights again.
  Status step();
  bool finished() const { return run_ > folds_; }
  const AdaptProgress& progress() const { return progress_; }
  const AdaptReport& report() const { return report_; }
  // Puts the model back as it was at the start (a cancelled adaptation).
  void restore_original();

 private:
  Adaptation(Model& model, const Dataset& samples, const Dataset& replay, const AdaptConfig& config);
  void begin_run();
  void end_run();
  bool held_out(int sample) const { return run_ > 0 && fold_of_[sample] == run_ - 1; }

  Model& model_;
  const Dataset& samples_;
  const Dataset& replay_;
  AdaptConfig config_;
  int folds_ = 0;
  std::vector<int> fold_of_;
  std::vector<float> original_, adapted_;
  int run_ = 0;  // run 0 trains on all; run f > 0 holds fold f - 1 out
  Dataset mixed_;
  std::unique_ptr<Trainer> trainer_;
  AdaptProgress progress_;
  AdaptReport report_;
};

// Runs a whole adaptation (the command-line tool).
Result<AdaptReport> adapt(Model& model, const Dataset& samples, const Dataset& replay, const AdaptConfig& config);

}  // namespace mnist

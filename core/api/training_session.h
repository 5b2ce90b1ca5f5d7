// The engine's face to the outside for training: datasets from IDX bytes, a
// model, a trainer that runs in time slices (so a Web Worker can post
// progress and handle pause/stop messages between slices), evaluation and
// saving. The WebAssembly bindings wrap it one-to-one; native tests cover it.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "io/model_file.h"
#include "model/model.h"
#include "status.h"
#include "train/adaptation.h"
#include "train/evaluator.h"
#include "train/trainer.h"

namespace mnist {

class TrainingSession {
 public:
  // IDX bytes, already decompressed. Training data is split as the tutorial
  // does (the first 5,000 for validation) when it holds more than 10,000
  // examples, else its first tenth validates.
  Status set_training_data(std::span<const std::uint8_t> images, std::span<const std::uint8_t> labels);
  Status set_test_data(std::span<const std::uint8_t> images, std::span<const std::uint8_t> labels);
  bool has_data() const { return train_.count > 0 && test_.count > 0; }
  int train_count() const { return train_.count; }
  int test_count() const { return test_.count; }

  // A fresh model ("softmax" or "cnn") and trainer; the previous one is dropped.
  Status start(const std::string& model_name, const SpecChoices& choices, const TrainConfig& config);
  // Runs steps until max_steps are done, budget_ms have passed or training
  // ends. An error means training diverged (the model keeps its last good
  // weights) or no training was started.
  Status run_for(int max_steps, double budget_ms);
  bool finished() const { return trainer_ && trainer_->finished(); }
  const TrainProgress& progress() const;

  Evaluation evaluate_test();
  // Model file bytes of the current model (empty when there is none).
  std::vector<std::uint8_t> save(DType dtype = DType::f32);
  // Softmax regression's weights (10,784), for the weight maps; empty otherwise.
  std::vector<float> softmax_weights();
  const Dataset& test_set() const { return test_; }

  // Adapting a trained model (its file's bytes) to one person's digits
  // (count 28x28 images as bytes, count labels), with the training data as
  // replay. It has its own model: a training run may go on meanwhile, the
  // caller interleaving the two.
  Status start_adaptation(std::span<const std::uint8_t> model_file, std::span<const std::uint8_t> pixels,
                          std::span<const std::uint8_t> labels, const AdaptConfig& config);
  // Steps until budget_ms have passed or a run ends (after the first, the
  // adapted model can be saved: save_adapted). An error means the model
  // would not learn (it is back as it was).
  Status adapt_for(double budget_ms);
  bool adaptation_finished() const { return !adaptation_ || adaptation_->finished(); }
  AdaptProgress adaptation_progress() const { return adaptation_ ? adaptation_->progress() : AdaptProgress{}; }
  AdaptReport adaptation_report() const { return adaptation_ ? adaptation_->report() : AdaptReport{}; }
  // The adapted model as it is kept: a file with int8 dense layers, as the
  // shipped CNN (4x smaller than f32, loaded on the page without a pause).
  std::vector<std::uint8_t> save_adapted();
  // Test accuracy of a model file (the one adapting started from, or the
  // adapted one as save_adapted keeps it); an unreadable file has count 0.
  Evaluation evaluate_test_of(std::span<const std::uint8_t> model_file);
  void end_adaptation();

 private:
  Dataset train_, validation_, test_;
  std::unique_ptr<Model> model_;
  std::unique_ptr<Trainer> trainer_;
  Dataset own_digits_;
  std::unique_ptr<Model> adapted_model_;
  std::unique_ptr<Adaptation> adaptation_;
};

}  // namespace mnist

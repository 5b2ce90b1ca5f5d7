// Accuracy, mean loss and confusion matrix of a model on a dataset.
#pragma once

#include <cstdint>
#include <vector>

#include "data/dataset.h"
#include "model/model.h"

namespace mnist {

struct Evaluation {
  int count = 0;
  int num_classes = 0;
  double accuracy = 0.0;
  double loss = 0.0;                  // mean cross-entropy
  std::vector<int> confusion;         // (K,K): row = true label, column = guess
  std::vector<std::uint8_t> guesses;  // (count), the model's digit per example
};

// Runs inference in batches; `limit` > 0 evaluates only the first `limit`.
Evaluation evaluate(Model& model, const Dataset& data, int batch = 500, int limit = 0);

}  // namespace mnist

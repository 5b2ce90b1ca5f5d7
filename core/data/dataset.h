// Labelled image sets, the tutorial's train/validation/test split, and
// seeded shuffled batches.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/idx_reader.h"
#include "rng.h"
#include "status.h"

namespace mnist {

// Images stay as bytes (4x smaller than floats, which matters in the browser)
// and become floats in [0,1] only when a batch is made.
struct Dataset {
  int count = 0, rows = 0, cols = 0;
  std::vector<std::uint8_t> pixels;  // (count, rows, cols)
  std::vector<std::uint8_t> labels;  // (count)

  int image_size() const { return rows * cols; }
  const std::uint8_t* image(int i) const {
    return pixels.data() + static_cast<std::size_t>(i) * image_size();
  }
  // Examples [begin, end) as a new dataset.
  Dataset slice(int begin, int end) const;
};

Result<Dataset> make_dataset(IdxImages images, IdxLabels labels, const std::string& what);

// The tutorial's split (TensorFlow's read_data_sets): the first 5,000 training
// examples are the validation set, the other 55,000 train.
struct MnistData {
  Dataset train, validation, test;
};
MnistData split_mnist(Dataset train_file, Dataset test_file, int validation_size = 5000);

// Writes example i of `data` as floats in [0,1] into out (rows*cols).
void image_to_floats(const Dataset& data, int i, float* out);

// Reads one byte of every cache line of the listed examples, so that a random
// batch's cache misses are in flight together rather than one image after the
// other (the set is far larger than the cache, so nearly every line misses).
void touch_images(const Dataset& data, const int* indices, int count);

// Where a Batcher is: its order, its place in it and its generator.
struct BatcherState {
  RngState rng;
  std::vector<int> order;
  std::size_t cursor = 0;
  long long epochs = 0;
};

// Endless batches over a dataset in a seeded random order, reshuffled at each
// epoch; a batch may span two epochs (as TensorFlow's next_batch).
class Batcher {
 public:
  Batcher(const Dataset& data, std::uint64_t seed);
  // Fills indices (B) with the next example numbers.
  void next(int B, std::vector<int>& indices);
  long long epochs_started() const { return epochs_; }

  BatcherState state() const { return {rng_.state(), order_, cursor_, epochs_}; }
  // Refuses a state made for another number of examples.
  Status restore(const BatcherState& s);

 private:
  void reshuffle();
  const Dataset& data_;
  Rng rng_;
  std::vector<int> order_;
  std::size_t cursor_ = 0;
  long long epochs_ = 0;
};

}  // namespace mnist

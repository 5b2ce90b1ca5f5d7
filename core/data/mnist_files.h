// Reading the four MNIST IDX files from a folder (native builds): each file
// may be raw or gzip-compressed ("train-images-idx3-ubyte" or "...ubyte.gz").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "status.h"

namespace mnist {

// Whole file into memory; a clear message when it cannot be read.
Result<std::vector<std::uint8_t>> read_file_bytes(const std::string& path);

// Reads `path`, or `path.gz` when `path` does not exist, decompressing as needed.
Result<std::vector<std::uint8_t>> read_idx_file(const std::string& path);

// Loads dir/PREFIX-images-idx3-ubyte and dir/PREFIX-labels-idx1-ubyte (each
// perhaps .gz) as one set; `what` names it in messages.
Result<Dataset> load_idx_pair(const std::string& dir, const std::string& prefix, const std::string& what);

// Loads the train (split 55,000/5,000) and test sets from dir.
Result<MnistData> load_mnist_dir(const std::string& dir, int validation_size = 5000);
// Only the test set (for evaluation).
Result<Dataset> load_mnist_test(const std::string& dir);

}  // namespace mnist

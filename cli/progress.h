// Training progress on the terminal: a redrawn bar when stderr is a terminal,
// plain lines (a few per second at most) when it is a pipe or a log file.
#pragma once

#include <chrono>

#include "train/trainer.h"

namespace mnist::cli {

class ProgressPrinter {
 public:
  explicit ProgressPrinter(int threads);
  void update(const TrainProgress& p);
  void finish();

 private:
  bool tty_;
  int threads_;
  std::chrono::steady_clock::time_point last_;
  bool printed_ = false;
};

}  // namespace mnist::cli

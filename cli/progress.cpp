#include "progress.h"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace mnist::cli {

ProgressPrinter::ProgressPrinter(int threads)
    : tty_(isatty(fileno(stderr))), threads_(threads), last_(std::chrono::steady_clock::now()) {}

void ProgressPrinter::update(const TrainProgress& p) {
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_).count();
  const bool last_step = p.step == p.total_steps;
  if (!last_step && !p.validated_this_step && since < (tty_ ? 0.1 : 2.0)) return;
  last_ = now;
  const double left = p.images_per_second > 0 && p.step > 0
                          ? (p.total_steps - p.step) * (p.elapsed_seconds / p.step)
                          : 0.0;
  char val[32] = "";
  if (p.validation_accuracy >= 0) std::snprintf(val, sizeof val, " val %.4f", p.validation_accuracy);
  if (tty_) {
    const int width = 30;
    const int filled = p.total_steps ? width * p.step / p.total_steps : width;
    std::string bar(filled, '#');
    bar.resize(width, '.');
    std::fprintf(stderr, "\r[%s] %d/%d loss %.4f acc %.3f%s %.0f img/s on %d thread%s %.0fs left   ", bar.c_str(),
                 p.step, p.total_steps, p.loss, p.batch_accuracy, val, p.images_per_second, threads_,
                 threads_ == 1 ? "" : "s", left);
    printed_ = true;
  } else {
    std::fprintf(stderr, "step %d/%d loss %.4f batch_accuracy %.3f%s images/s %.0f threads %d left %.0fs\n",
                 p.step, p.total_steps, p.loss, p.batch_accuracy, val, p.images_per_second, threads_, left);
  }
  std::fflush(stderr);
}

void ProgressPrinter::finish() {
  if (tty_ && printed_) std::fprintf(stderr, "\n");
}

}  // namespace mnist::cli

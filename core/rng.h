// A small seeded random generator whose streams are identical on every
// platform. std::normal_distribution differs between libstdc++ (native) and
// libc++ (Emscripten), so the engine never uses std distributions: the same
// seed must train the same model natively and in the browser.
#pragma once

#include <cmath>
#include <cstdint>

namespace mnist {

// Everything a generator's future draws depend on: a run saved to a
// checkpoint continues with the same draws.
struct RngState {
  std::uint64_t state = 0, inc = 0;
  bool has_spare = false;
  float spare = 0.0f;
};

// PCG32 (O'Neill, pcg-random.org), XSH RR variant.
class Rng {
 public:
  explicit Rng(std::uint64_t seed = 42, std::uint64_t stream = 54) { reseed(seed, stream); }

  void reseed(std::uint64_t seed, std::uint64_t stream = 54) {
    state_ = 0;
    inc_ = (stream << 1u) | 1u;
    next_u32();
    state_ += seed;
    next_u32();
    has_spare_ = false;
  }

  std::uint32_t next_u32() {
    std::uint64_t old = state_;
    state_ = old * 6364136223846793005ULL + inc_;
    auto xorshifted = static_cast<std::uint32_t>(((old >> 18u) ^ old) >> 27u);
    auto rot = static_cast<std::uint32_t>(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
  }

  // Uniform in [0, 1).
  float uniform() { return static_cast<float>(next_u32() >> 8) * (1.0f / 16777216.0f); }
  float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }

  // Uniform integer in [0, n), n > 0 (Lemire's nearly-divisionless method is
  // overkill here; the modulo bias for n << 2^32 is negligible for shuffling).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(next_u32()) * n) >> 32);
  }

  // Standard normal by Box-Muller, computed in double so both builds agree.
  float normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u1 = (static_cast<double>(next_u32()) + 1.0) / 4294967297.0;
    double u2 = static_cast<double>(next_u32()) / 4294967296.0;
    double r = std::sqrt(-2.0 * std::log(u1));
    double theta = 6.283185307179586 * u2;
    spare_ = static_cast<float>(r * std::sin(theta));
    has_spare_ = true;
    return static_cast<float>(r * std::cos(theta));
  }

  // TensorFlow's truncated_normal: normal draws beyond two standard deviations
  // are drawn again.
  float truncated_normal(float stddev) {
    for (;;) {
      float z = normal();
      if (z > -2.0f && z < 2.0f) return z * stddev;
    }
  }

  RngState state() const { return {state_, inc_, has_spare_, spare_}; }
  void restore(const RngState& s) {
    state_ = s.state, inc_ = s.inc | 1u, has_spare_ = s.has_spare, spare_ = s.spare;
  }

 private:
  std::uint64_t state_ = 0;
  std::uint64_t inc_ = 0;
  bool has_spare_ = false;
  float spare_ = 0.0f;
};

}  // namespace mnist

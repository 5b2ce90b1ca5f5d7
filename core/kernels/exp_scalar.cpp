// Scalar twin of exp.h: the same steps as the SIMD twin, one value at a time.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels/exp.h"

namespace mnist::kernels {

namespace {

float exp_one(float x) {
  if (std::isnan(x)) return x;
  if (x < kExpLowest) return 0.0f;
  x = x > kExpHighest ? kExpHighest : x;
  const float n = std::nearbyint(x * 1.44269504088896341f);
  // x - n ln2, with ln2 = 0.693359375 - 2.12194440e-4 (the first part has
  // few bits, so n * it is exact).
  float r = x - n * 0.693359375f;
  r = r + n * 2.12194440e-4f;
  const float r2 = r * r;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float y = (p * r2 + r) + 1.0f;
  // 2^n in two halves: n reaches 128, whose 2^n alone is not a float.
  const std::int32_t half = static_cast<std::int32_t>(n) / 2;
  const std::uint32_t a = static_cast<std::uint32_t>(half + 127) << 23;
  const std::uint32_t b = static_cast<std::uint32_t>(static_cast<std::int32_t>(n) - half + 127) << 23;
  float fa, fb;
  std::memcpy(&fa, &a, 4);
  std::memcpy(&fb, &b, 4);
  return (y * fa) * fb;
}

}  // namespace

void f32_exp_scalar(float* out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = exp_one(in[i]);
}

}  // namespace mnist::kernels

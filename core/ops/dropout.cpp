#include "ops/dropout.h"

#include <algorithm>
#include <cstdint>

#include "kernels/elementwise.h"
#include "parallel/thread_pool.h"

namespace mnist {

void dropout_forward(float* out, float* mask, const float* in, std::size_t n, float keep_prob,
                     Rng& rng) {
  const float scale = 1.0f / keep_prob;
  // One seed per call from the layer's stream, then block j of the mask from
  // its own stream (that seed, stream j): threads fill blocks side by side and
  // the mask does not depend on how many there are.
  const std::uint64_t seed = (std::uint64_t{rng.next_u32()} << 32) | rng.next_u32();
  const int blocks = static_cast<int>((n + kDropoutBlock - 1) / kDropoutBlock);
  parallel::parallel_for(blocks, 1, 1, [&](int b0, int b1) {
    for (int b = b0; b < b1; ++b) {
      const std::size_t first = static_cast<std::size_t>(b) * kDropoutBlock;
      const std::size_t end = std::min(n, first + kDropoutBlock);
      Rng block_rng(seed, static_cast<std::uint64_t>(b));
      for (std::size_t i = first; i < end; ++i) mask[i] = block_rng.uniform() < keep_prob ? scale : 0.0f;
      kernels::f32_multiply_simd128(out + first, in + first, mask + first, end - first);
    }
  });
}

void dropout_backward(float* din, const float* dout, const float* mask, std::size_t n) {
  parallel::parallel_elements(n, [&](std::size_t i, std::size_t count) {
    kernels::f32_multiply_simd128(din + i, dout + i, mask + i, count);
  });
}

}  // namespace mnist

#include "ops/maxpool2x2.h"

#include <algorithm>
#include <cstddef>

#include "kernels/maxpool2x2.h"
#include "parallel/thread_pool.h"

namespace mnist {

namespace {

// Work per image, for deciding how many images make a chunk worth a thread:
// memory-bound, so about ten "flops" an element.
double pool_cost(int H, int W, int C) { return 10.0 * H * W * C; }

}  // namespace

void maxpool2x2_forward(float* out, std::int32_t* argmax, const float* in, int B, int H, int W,
                        int C) {
  parallel::parallel_for(B, parallel::min_chunk_for(pool_cost(H, W, C)), 1, [&](int b0, int b1) {
    kernels::f32_maxpool2x2_simd128(out, argmax, in, b0, b1, H, W, C);
  });
}

// Each image's winners lie in that image, so images are routed in parallel,
// each onto its own din, zeroed just before (while it is in cache). Windows
// do not overlap: a pixel wins at most once.
void maxpool2x2_backward(float* din, const float* dout, const std::int32_t* argmax, int B, int H,
                         int W, int C) {
  const std::size_t in_per_image = static_cast<std::size_t>(H) * W * C;
  const std::size_t out_per_image =
      static_cast<std::size_t>(maxpool2x2_out_size(H)) * maxpool2x2_out_size(W) * C;
  parallel::parallel_for(B, parallel::min_chunk_for(pool_cost(H, W, C)), 1, [&](int b0, int b1) {
    std::fill(din + b0 * in_per_image, din + b1 * in_per_image, 0.0f);
    for (std::size_t o = b0 * out_per_image; o < b1 * out_per_image; ++o) din[argmax[o]] = dout[o];
  });
}

}  // namespace mnist

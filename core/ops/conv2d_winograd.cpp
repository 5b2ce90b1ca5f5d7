#include "ops/conv2d_winograd.h"

#include <algorithm>
#include <cstddef>
#include <vector>

#include "aligned_buffer.h"
#include "kernels/conv3x3_c1_relu_pool.h"
#include "kernels/winograd_f2x3.h"
#include "kernels/winograd_f4x3.h"
#include "ops/matmul.h"
#include "parallel/thread_pool.h"

namespace mnist {

namespace {

// Images per chunk: a chunk's input is transformed, multiplied and
// transformed back before the next. The chunks are the same whatever the
// thread count, so the sums are too.
int images_per_chunk(int H, int W) {
  // Products of about 64 rows (4 images of 14x14), so that a chunk's 36
  // transformed inputs and products (0.9 MB) stay in a core's L2 until read.
  constexpr int kRowsPerProduct = 64;
  return std::max(1, kRowsPerProduct / kernels::winograd_f4x3_tiles(H, W));
}

// The weights' transformed matrices are a cache line more than Ci x Co
// apart: at a power-of-two distance a filter's stores all fall in one set of L1.
std::size_t weights_stride(int Ci, int Co) { return static_cast<std::size_t>(Ci) * Co + 16; }

// One input channel: F(2x2, 3x3)'s 16, the first layer's fused kernel's
// (one 2x2 tile per pooling window); more: F(4x4, 3x3)'s 36.
int weight_matrices(int Ci) { return Ci == 1 ? 16 : kernels::kF4x3Elements; }

}  // namespace

std::size_t winograd_weights_size(int Ci, int Co) {
  return weight_matrices(Ci) * weights_stride(Ci, Co);
}

void winograd_transform_weights(float* transformed, const float* weight, int Ci, int Co) {
  if (Ci == 1) {
    kernels::winograd_f2x3_transform_weights(transformed, weights_stride(Ci, Co), weight, Ci, Co);
  } else {
    kernels::winograd_f4x3_transform_weights(transformed, weights_stride(Ci, Co), weight, Ci, Co);
  }
}

namespace {

// The weights' transform a layer kept, or else one made now in the shared
// scratch (taken before the work is split: every thread reads it).
const float* kept_or_made(const float* transformed, const float* weight, int Ci, int Co, ScratchStack& shared) {
  if (transformed) return transformed;
  float* made = shared.take<float>(winograd_weights_size(Ci, Co));
  winograd_transform_weights(made, weight, Ci, Co);
  return made;
}

std::size_t made_weights_bytes(int Ci, int Co, bool weights_kept) {
  return weights_kept ? 0 : scratch_bytes<float>(winograd_weights_size(Ci, Co));
}

}  // namespace

ScratchSize conv2d_3x3_winograd_forward_scratch(int B, int H, int W, int Ci, int Co, bool weights_kept) {
  const int rows = std::min(B, images_per_chunk(H, W)) * kernels::winograd_f4x3_tiles(H, W);
  const std::size_t v = scratch_bytes<float>(kernels::kF4x3Elements * static_cast<std::size_t>(rows) * Ci);
  const std::size_t m = scratch_bytes<float>(kernels::kF4x3Elements * static_cast<std::size_t>(rows) * Co);
  const std::size_t transforms = std::max(scratch_bytes<float>(kernels::winograd_f4x3_input_scratch_floats(W, Ci)),
                                          scratch_bytes<float>(kernels::winograd_f4x3_output_scratch_floats(Co)));
  const std::size_t inner = std::max(transforms, matmul_scratch().per_thread);
  return {made_weights_bytes(Ci, Co, weights_kept) + matmul_scratch().shared, v + m + inner};
}

void conv2d_3x3_winograd_forward(float* out, const float* in, const float* weight,
                                 const float* transformed, const float* bias, int B, int H, int W,
                                 int Ci, int Co, Workspace& ws) {
  constexpr int kMatrices = kernels::kF4x3Elements;
  const int tiles = kernels::winograd_f4x3_tiles(H, W);
  const bool simd = Ci % 4 == 0 && Co % 4 == 0;
  // The weights' transform, shared by every chunk.
  const std::size_t u_stride = weights_stride(Ci, Co);
  ScratchStack& shared = ws.shared();
  const ScratchFrame shared_frame(shared);
  const float* transformed_weights = kept_or_made(transformed, weight, Ci, Co, shared);

  const int per_chunk = images_per_chunk(H, W);
  const int chunks = (B + per_chunk - 1) / per_chunk;
  const std::size_t pixels = static_cast<std::size_t>(H) * W;
  const double flops_per_chunk = 2.0 * kMatrices * tiles * per_chunk * static_cast<double>(Ci) * Co;
  parallel::parallel_for(chunks, parallel::min_chunk_for(flops_per_chunk), 1, [&](int c0, int c1) {
    ScratchStack& mine = ws.mine();
    const ScratchFrame frame(mine);
    const int most_rows = std::min(B, per_chunk) * tiles;
    float* V = mine.take<float>(kMatrices * static_cast<std::size_t>(most_rows) * Ci);
    float* M = mine.take<float>(kMatrices * static_cast<std::size_t>(most_rows) * Co);
    for (int chunk = c0; chunk < c1; ++chunk) {
      const int b0 = chunk * per_chunk, n = std::min(per_chunk, B - b0);
      const int rows = n * tiles;
      const std::size_t v_stride = static_cast<std::size_t>(rows) * Ci;
      const std::size_t m_stride = static_cast<std::size_t>(rows) * Co;
      const float* images = in + b0 * pixels * Ci;
      if (simd) {
        const ScratchFrame transform(mine);
        kernels::winograd_f4x3_transform_input_simd128(V, v_stride, images, n, H, W, Ci,
                                                       mine.take<float>(kernels::winograd_f4x3_input_scratch_floats(W, Ci)));
      } else {
        kernels::winograd_f4x3_transform_input_scalar(V, v_stride, images, n, H, W, Ci);
      }
      // M[e] (rows,Co) = V[e] (rows,Ci) . U[e]^T (Ci,Co), for the 36 elements.
      for (int e = 0; e < kMatrices; ++e) {
        matmul(M + e * m_stride, Co, row_major(V + e * v_stride, Ci),
               transposed(transformed_weights + e * u_stride, Ci), nullptr, rows, Co, Ci, false, ws);
      }
      float* images_out = out + b0 * pixels * Co;
      if (simd) {
        const ScratchFrame transform(mine);
        kernels::winograd_f4x3_transform_output_simd128(images_out, M, m_stride, bias, n, H, W, Co,
                                                        mine.take<float>(kernels::winograd_f4x3_output_scratch_floats(Co)));
      } else {
        kernels::winograd_f4x3_transform_output_scalar(images_out, M, m_stride, bias, n, H, W, Co);
      }
    }
  });
}

ScratchSize conv2d_3x3_c1_relu_pool_predict_scratch(int Co, bool weights_kept) {
  return {made_weights_bytes(1, Co, weights_kept), 0};
}

void conv2d_3x3_c1_relu_pool_predict(float* out, const float* in, const float* weight,
                                     const float* transformed, const float* bias, int B, int H,
                                     int W, int Co, Workspace& ws) {
  ScratchStack& shared = ws.shared();
  const ScratchFrame frame(shared);
  const float* transformed_weights = kept_or_made(transformed, weight, 1, Co, shared);
  const double flops_per_image = (16.0 + 24.0) * kernels::winograd_f2x3_tiles(H, W) * Co;
  parallel::parallel_for(B, parallel::min_chunk_for(flops_per_image), 1, [&](int b0, int b1) {
    kernels::f32_conv3x3_c1_relu_pool_simd128(out, in, transformed_weights, weights_stride(1, Co),
                                              bias, b0, b1, H, W, Co);
  });
}

}  // namespace mnist

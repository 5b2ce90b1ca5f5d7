#include "ops/conv2d.h"

#include <algorithm>
#include <vector>

#include "aligned_buffer.h"
#include "kernels/conv3x3_c1.h"
#include "kernels/elementwise.h"
#include "ops/conv2d_winograd.h"
#include "ops/matmul.h"
#include "parallel/thread_pool.h"

namespace mnist {

namespace {

// Images [b0, b1) of conv2d_3x3_im2col for one channel (the first layer):
// each pixel's nine taps are three runs of three floats in a zero-bordered
// copy of the image, so no tap needs a bounds test (the general loop below,
// testing every tap, would cost more than the convolution itself).
void im2col_one_channel(float* cols, const float* in, int b0, int b1, int H, int W, Workspace& ws) {
  const int padded_width = W + 2;
  ScratchStack& mine = ws.mine();
  const ScratchFrame frame(mine);
  const std::size_t padded_floats = static_cast<std::size_t>(H + 2) * padded_width;
  float* padded = mine.take<float>(padded_floats);
  std::fill(padded, padded + padded_floats, 0.0f);
  for (int b = b0; b < b1; ++b) {
    const float* image = in + static_cast<std::size_t>(b) * H * W;
    for (int y = 0; y < H; ++y) {
      std::copy(image + y * W, image + (y + 1) * W, padded + (y + 1) * padded_width + 1);
    }
    float* dst = cols + static_cast<std::size_t>(b) * H * W * 9;
    for (int y = 0; y < H; ++y) {
      const float* above = padded + y * padded_width;
      const float* here = above + padded_width;
      const float* below = here + padded_width;
      for (int x = 0; x < W; ++x, dst += 9) {
        dst[0] = above[x], dst[1] = above[x + 1], dst[2] = above[x + 2];
        dst[3] = here[x], dst[4] = here[x + 1], dst[5] = here[x + 2];
        dst[6] = below[x], dst[7] = below[x + 1], dst[8] = below[x + 2];
      }
    }
  }
}

// Images [b0, b1) of conv2d_3x3_im2col.
void im2col_images(float* cols, const float* in, int b0, int b1, int H, int W, int Ci, Workspace& ws) {
  if (Ci == 1) return im2col_one_channel(cols, in, b0, b1, H, W, ws);
  const std::size_t row = 9 * static_cast<std::size_t>(Ci);
  for (int b = b0; b < b1; ++b) {
    const float* image = in + static_cast<std::size_t>(b) * H * W * Ci;
    for (int y = 0; y < H; ++y) {
      for (int x = 0; x < W; ++x) {
        float* dst = cols + ((static_cast<std::size_t>(b) * H + y) * W + x) * row;
        for (int ky = 0; ky < 3; ++ky) {
          const int sy = y + ky - 1;
          for (int kx = 0; kx < 3; ++kx) {
            const int sx = x + kx - 1;
            float* patch = dst + (ky * 3 + kx) * Ci;
            // Plain loops: a call to memcpy per tap cost more than the copy
            // itself for one channel (the first layer).
            if (sy < 0 || sy >= H || sx < 0 || sx >= W) {
              for (int c = 0; c < Ci; ++c) patch[c] = 0.0f;
            } else {
              const float* src = image + (static_cast<std::size_t>(sy) * W + sx) * Ci;
              for (int c = 0; c < Ci; ++c) patch[c] = src[c];
            }
          }
        }
      }
    }
  }
}

// din (B,H,W,Ci) += the patches of dcols (B*H*W, 9*Ci) of images [b0, b1)
// folded back onto their pixels.
void col2im_add_images(float* din, const float* dcols, int b0, int b1, int H, int W, int Ci) {
  const std::size_t row = 9 * static_cast<std::size_t>(Ci);
  for (int b = b0; b < b1; ++b) {
    float* image = din + static_cast<std::size_t>(b) * H * W * Ci;
    for (int y = 0; y < H; ++y) {
      for (int x = 0; x < W; ++x) {
        const float* src = dcols + ((static_cast<std::size_t>(b) * H + y) * W + x) * row;
        for (int ky = 0; ky < 3; ++ky) {
          const int sy = y + ky - 1;
          if (sy < 0 || sy >= H) continue;
          for (int kx = 0; kx < 3; ++kx) {
            const int sx = x + kx - 1;
            if (sx < 0 || sx >= W) continue;
            const float* patch = src + (ky * 3 + kx) * Ci;
            float* pixel = image + (static_cast<std::size_t>(sy) * W + sx) * Ci;
            for (int c = 0; c < Ci; ++c) pixel[c] += patch[c];
          }
        }
      }
    }
  }
}

// Copies, not arithmetic: chunks are sized by the floats each image writes,
// as for elementwise work (sized as flops, a batch looked too small to split).
int images_per_chunk_of_patches(int H, int W, int Ci) {
  const double floats_per_image = 9.0 * H * W * Ci;
  return std::max(1, static_cast<int>(parallel::kMinElementsPerChunk / floats_per_image));
}

}  // namespace

void conv2d_3x3_im2col(float* cols, const float* in, int B, int H, int W, int Ci, Workspace& ws) {
  parallel::parallel_for(B, images_per_chunk_of_patches(H, W, Ci), 1,
                         [&](int b0, int b1) { im2col_images(cols, in, b0, b1, H, W, Ci, ws); });
}

ScratchSize conv2d_3x3_im2col_scratch(int H, int W, int Ci) {
  return {0, Ci == 1 ? scratch_bytes<float>(static_cast<std::size_t>(H + 2) * (W + 2)) : 0};
}

int conv2d_images_per_product(int H, int W, int Ci) {
  // About 1 MB of patches: 4 images for the second layer (14x14x32).
  constexpr double kFloatsPerChunk = 1 << 18;
  return std::max(1, static_cast<int>(kFloatsPerChunk / (9.0 * H * W * Ci)));
}

void conv2d_direct_c1(float* out, const float* in, const float* weight, const float* bias, int B, int H, int W,
                      int Co, Workspace& ws) {
  parallel::parallel_for(B, parallel::min_chunk_for(2.0 * H * W * 9 * Co), 1, [&](int b0, int b1) {
    ScratchStack& mine = ws.mine();
    const ScratchFrame frame(mine);
    kernels::f32_conv3x3_c1_simd128(out, in, weight, bias, b0, b1, H, W, Co,
                                    mine.take<float>(9 * static_cast<std::size_t>(Co)));
  });
}

ScratchSize conv2d_direct_c1_scratch(int Co) { return {0, scratch_bytes<float>(9 * static_cast<std::size_t>(Co))}; }

namespace {

// Backward for the images of slot s of `slots`: each slot holds whole chunks
// of conv2d_images_per_product() images and sums its own bias and weight
// gradients into db_slot and dw_slot, which with one input channel is laid
// out (K,Co). Workspaces are the running thread's.
void backward_slot(float* din, float* dw_slot, float* db_slot, const float* dout, const float* in,
                   const float* weight, int B, int H, int W, int Ci, int Co, int slot, int slots, Workspace& ws) {
  const int per_chunk = conv2d_images_per_product(H, W, Ci);
  const int chunks = (B + per_chunk - 1) / per_chunk;
  const std::size_t pixels = static_cast<std::size_t>(H) * W;
  const int K = 9 * Ci;
  ScratchStack& mine = ws.mine();
  const ScratchFrame frame(mine);
  float* cols = mine.take<float>(conv2d_3x3_cols_size(per_chunk, H, W, Ci));
  float* dcols = din ? mine.take<float>(conv2d_3x3_cols_size(per_chunk, H, W, Ci)) : nullptr;
  for (int c = slot * chunks / slots; c < (slot + 1) * chunks / slots; ++c) {
    const int b0 = c * per_chunk, n = std::min(per_chunk, B - b0);
    const int rows = n * static_cast<int>(pixels);
    const float* dout_chunk = dout + b0 * pixels * Co;
    kernels::f32_column_sums_add_simd128(db_slot, dout_chunk, rows, Co);
    conv2d_3x3_im2col(cols, in + b0 * pixels * Ci, n, H, W, Ci, ws);
    if (Ci == 1) {
      // dweight^T (K,Co) += cols^T (K,P) . dout (P,Co): 9 rows, which the
      // kernel reads in place, where (Co,K) would fill 8-wide tiles 9/16
      // full after packing dout.
      matmul(dw_slot, Co, transposed(cols, K), row_major(dout_chunk, Co), nullptr, K, Co, rows, true, ws);
    } else {
      // dweight (Co,K) += dout^T (Co,P) . cols (P,K)
      matmul_sparse_a(dw_slot, K, transposed(dout_chunk, Co), cols, K, Co, K, rows, true, ws);
    }
    if (din) {
      // dcols (P,K) = dout (P,Co) . weight (Co,K), folded back onto din.
      matmul_sparse_a(dcols, K, row_major(dout_chunk, Co), weight, K, rows, K, Co, false, ws);
      float* din_chunk = din + b0 * pixels * Ci;
      std::fill(din_chunk, din_chunk + n * pixels * Ci, 0.0f);
      col2im_add_images(din_chunk, dcols, 0, n, H, W, Ci);
    }
  }
}

}  // namespace

// Backward's products, in the shapes of tensor.h: cols (P,K) is row-major,
// weight (Co,K) is read as it is stored.
ScratchSize conv2d_backward_scratch(int B, int H, int W, int Ci, int Co, bool with_din) {
  const int per_chunk = conv2d_images_per_product(H, W, Ci);
  const int slots = std::min(kConvBackwardSlots, (B + per_chunk - 1) / per_chunk);
  const int rows = per_chunk * H * W, K = 9 * Ci;
  const std::size_t cols = scratch_bytes<float>(conv2d_3x3_cols_size(per_chunk, H, W, Ci));
  // One product at a time on top of a chunk's patches: the weight gradient's
  // (or, after it, the input gradient's), or im2col's own scratch.
  ScratchSize product = Ci == 1 ? matmul_scratch() : matmul_sparse_a_scratch(Co, rows);
  if (with_din) product = ScratchSize::larger(product, matmul_sparse_a_scratch(rows, Co));
  product = ScratchSize::larger(product, conv2d_3x3_im2col_scratch(H, W, Ci));
  const std::size_t slot_sums = scratch_bytes<float>(static_cast<std::size_t>(slots) * (static_cast<std::size_t>(Co) * K + Co));
  return ScratchSize{slot_sums, (with_din ? 2 : 1) * cols} + product;
}

void conv2d_backward(float* din, float* dweight, float* dbias, const float* dout, const float* in,
                     const float* weight, int B, int H, int W, int Ci, int Co, Workspace& ws) {
  const int K = 9 * Ci;
  // A chunk of a few images at a time: their patches are made again from in
  // (cheaper than keeping the batch's, 56 MB for 250 images of either layer,
  // written by forward and read back from memory), and dcols is folded back
  // while it is still in cache. dout came back through ReLU and max-pooling
  // and is mostly zero, so both products with it on the left leave those
  // terms out (matmul_sparse_a) and are too little work to split well:
  // threads take whole slots of chunks instead, each slot summing its own
  // weight and bias gradients, added up in slot order at the end. The sums
  // do not depend on the thread count, and a layer hands work over once.
  const int per_chunk = conv2d_images_per_product(H, W, Ci);
  const int slots = std::min(kConvBackwardSlots, (B + per_chunk - 1) / per_chunk);
  const std::size_t slot_floats = static_cast<std::size_t>(Co) * K + Co;
  ScratchStack& shared = ws.shared();
  const ScratchFrame frame(shared);
  float* const slot_sums = shared.take<float>(slots * slot_floats);
  std::fill(slot_sums, slot_sums + slots * slot_floats, 0.0f);
  parallel::parallel_for(slots, 1, 1, [&](int s0, int s1) {
    for (int s = s0; s < s1; ++s) {
      float* db_slot = slot_sums + s * slot_floats;
      backward_slot(din, db_slot + Co, db_slot, dout, in, weight, B, H, W, Ci, Co, s, slots, ws);
    }
  });
  for (int s = 0; s < slots; ++s) {
    const float* db_slot = slot_sums + s * slot_floats;
    for (int co = 0; co < Co; ++co) dbias[co] += db_slot[co];
    const float* dw_slot = db_slot + Co;
    if (Ci == 1) {  // (K,Co)
      for (int co = 0; co < Co; ++co)
        for (int k = 0; k < K; ++k) dweight[co * K + k] += dw_slot[k * Co + co];
    } else {
      for (int i = 0; i < Co * K; ++i) dweight[i] += dw_slot[i];
    }
  }
}

}  // namespace mnist

// y = bias + W . x for one input vector x (I) and a dense layer's weights W
// (O,I) held as int8: one drawing reads a quarter of the float weights' bytes,
// which do not stay in cache between drawings.
//
// Quantisation, symmetric: W[o][i] ~ q[o][i] * scale[o] (q in [-127, 127],
// one scale per output); x[i] ~ xq[i] * x_scale (int16 within +-x_limit, one
// scale per call). Products are summed exactly in int32 (x_limit keeps
// 2 * pairs * 127 * x_limit < 2^31); y[o] = bias[o] + sum * x_scale * scale[o].
// The error is at most the two roundings (tests bound it against float64).
//
// Layout: outputs in blocks of 32, one 32-byte row per input in a block.
// Per call, the non-zero inputs are taken in pairs, whose rows are
// interleaved so one i32x4.dot_i16x8_s (pmaddwd) does four outputs of two
// inputs. Blocks are independent, so the caller may alternate their order
// (the blocks read last are still in cache) without changing a bit of y.
// Both twins sum in integers and agree exactly.
#pragma once

#include <cstdint>
#include <vector>

#include "aligned_buffer.h"

namespace mnist::kernels {

inline constexpr int kI8BlockOutputs = 32;

struct I8PairWeights {
  int inputs = 0, outputs = 0;
  int blocks = 0;              // ceil(O/32)
  AlignedVector<std::int8_t> q;  // (blocks, inputs, 32 outputs); padding is zero
  AlignedVector<float> scale;  // (blocks * 32); zero for padding and all-zero rows
};

// weight (O,I) row-major, as the dense layer keeps it.
I8PairWeights quantize_i8_pairs(const float* weight, int O, int I);

// x quantised for one call, as pairs of its inputs that are not zero:
// (first[k], second[k]) and packed[k] = xq[first] in the low 16 bits,
// xq[second] in the high 16 bits. count = ceil(inputs not zero / 2).
struct ActivePairs {
  std::vector<std::int32_t> first, second, packed;
  int count = 0;
  float x_scale = 0.0f;
  std::vector<std::int32_t> inputs, levels;  // storage kept between calls
};
// The largest |xq| that keeps a sum over `pairs` pairs within int32.
int i8_pairs_x_limit(int pairs);
// Fills active (reusing its storage). False if x holds an infinity or NaN,
// which int16 cannot carry: the caller then takes the float path.
bool quantize_active_pairs(const float* x, int I, ActivePairs& active);

enum class BlockOrder { kFirstToLast, kLastToFirst };
inline BlockOrder reversed(BlockOrder order) {
  return order == BlockOrder::kFirstToLast ? BlockOrder::kLastToFirst : BlockOrder::kFirstToLast;
}

// y (O) = bias (O) + W . x from the quantised pairs; bias may be nullptr.
void i8_gemv_pairs_simd128(float* y, const I8PairWeights& w, const ActivePairs& x,
                           const float* bias, BlockOrder order = BlockOrder::kFirstToLast);
void i8_gemv_pairs_scalar(float* y, const I8PairWeights& w, const ActivePairs& x,
                          const float* bias);

}  // namespace mnist::kernels

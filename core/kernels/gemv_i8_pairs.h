// y = bias + W . x for one input vector x (I) and a dense layer's weights W
// (O,I) held as int8, for one drawing. Most of a drawing's time was reading
// the dense layer's float weights: 12.8 MB for the tutorial CNN, of which the
// inputs that are not zero need about half, and they do not stay in cache
// from one drawing to the next. As int8 they are a quarter of that.
//
// Quantisation, symmetric, with no zero point:
//   W[o][i] ~ q[o][i] * scale[o], q in [-127, 127], one scale per output
//   (the largest |W[o][i]| maps to 127);
//   x[i]    ~ xq[i] * x_scale, xq int16 within +-x_limit, one scale per call.
// The products are summed in int32, exactly, and x_limit is chosen so that
// the sum cannot overflow: 2 * pairs * 127 * x_limit < 2^31. Then
//   y[o] = bias[o] + float(sum) * (x_scale * scale[o]).
// The error is bounded by the two roundings (half a step each); the tests
// check that bound against a float64 product.
//
// Layout: outputs in blocks of 32; within a block, one row of 32 bytes per
// input, q[o][i] for the block's 32 outputs.
//
// Pairs, chosen per call: the inputs that are not zero, in order, two at a
// time (an odd one out goes with itself at level zero). For one pair (a, b)
// the two rows' bytes are interleaved (one i8x16 shuffle, punpcklbw
// natively), widened to int16 and multiplied pairwise with (xq[a], xq[b]),
// both products added into one int32 lane: one i32x4.dot_i16x8_s (pmaddwd
// natively) does four outputs of two inputs. Fixed pairs of neighbours
// (2p, 2p+1) needed no shuffle, but for the CNN's dense layer, whose inputs
// are 47% zero after ReLU and pooling, only 23% of them were both zero: they
// read and multiplied 1.47 times the rows needed.
//
// Block order: the CNN's weights (3.2 MB) do not fit in a core's L2 cache
// (2 MB on the machines we measure), so a call that reads them in the order
// the last call did finds none of them there. The caller alternates the
// order, and the blocks the last call read last, still in cache, come first.
// Blocks are independent: the order does not change a bit of y.
//
// Both twins sum in integers, so they agree exactly.
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

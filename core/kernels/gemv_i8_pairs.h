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
// Layout: outputs in blocks of 32; within a block, for each pair of inputs
// (2p, 2p+1), 64 bytes (one cache line): for each of the 32 outputs o,
// q[o][2p] then q[o][2p+1]. Eight bytes widened to int16 multiply pairwise
// with (xq[2p], xq[2p+1]) and add both products into one int32 lane: one
// i32x4.dot_i16x8_s (pmaddwd natively) does four outputs of two inputs.
// Pairs whose two inputs are both zero (after ReLU and pooling, most of
// them) are never read. Both twins sum in integers, so they agree exactly.
#pragma once

#include <cstdint>
#include <vector>

namespace mnist::kernels {

inline constexpr int kI8BlockOutputs = 32;
inline constexpr int kI8PairBytes = 2 * kI8BlockOutputs;

struct I8PairWeights {
  int inputs = 0, outputs = 0;
  int pairs = 0, blocks = 0;  // ceil(I/2), ceil(O/32)
  std::vector<std::int8_t> q;  // (blocks, pairs, 32 outputs, 2 inputs); padding is zero
  std::vector<float> scale;    // (blocks * 32); zero for padding and all-zero rows
};

// weight (O,I) row-major, as the dense layer keeps it.
I8PairWeights quantize_i8_pairs(const float* weight, int O, int I);

// x quantised for one call: the pairs with an input that is not zero, as
// (pair number, xq[2p] in the low 16 bits | xq[2p+1] in the high 16 bits).
struct ActivePairs {
  std::vector<std::int32_t> pair, packed;
  int count = 0;
  float x_scale = 0.0f;
};
// The largest |xq| that keeps a sum over `pairs` pairs within int32.
int i8_pairs_x_limit(int pairs);
// Fills active (reusing its storage). False if x holds an infinity or NaN,
// which int16 cannot carry: the caller then takes the float path.
bool quantize_active_pairs(const float* x, int I, ActivePairs& active);

// y (O) = bias (O) + W . x from the quantised pairs; bias may be nullptr.
void i8_gemv_pairs_simd128(float* y, const I8PairWeights& w, const ActivePairs& x,
                           const float* bias);
void i8_gemv_pairs_scalar(float* y, const I8PairWeights& w, const ActivePairs& x,
                          const float* bias);

}  // namespace mnist::kernels

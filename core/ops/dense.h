// Dense (fully connected) layer op.
#pragma once

#include "kernels/gemv_i8_pairs.h"

namespace mnist {

// out (B,O) = in (B,I) . weight(O,I)^T + bias (O)
void dense_forward(float* out, const float* in, const float* weight, const float* bias, int B,
                   int I, int O);

// The same for a few examples (B < kSkipZeroInputsBelow), from the weights
// transposed to (I,O): rows of inputs that are zero in every example are not
// read (kernels/gemm_skip_zero_rows.h). With more examples few rows are zero
// in all of them, and the packed product is faster.
inline constexpr int kSkipZeroInputsBelow = 4;
void dense_forward_skip_zero_inputs(float* out, const float* in, const float* weight_by_input,
                                    const float* bias, int B, int I, int O);

// The same for a few examples from weights quantised to int8, for layers
// too large to stay in cache between drawings (kernels/gemv_i8_pairs.h):
// one example at a time, zero inputs not read, each call reading the blocks
// of weights in the order opposite to the last one's (it flips `order`). An
// example with an infinity or NaN, which int16 cannot hold, takes the float
// product.
inline constexpr long long kInt8WeightsFrom = 1 << 18;  // weights (1 MB as float)
void dense_forward_int8(float* out, const float* in, const kernels::I8PairWeights& weight_i8,
                        const float* weight, const float* bias, int B, int I, int O,
                        kernels::ActivePairs& scratch, kernels::BlockOrder& order);

// Writes din and accumulates (+=) into the parameters' gradients:
//   din (B,I) = dout . weight         (skipped when din is nullptr: first layer)
//   dweight (O,I) += dout^T . in
//   dbias (O) += sum over B of dout
void dense_backward(float* din, float* dweight, float* dbias, const float* dout, const float* in,
                    const float* weight, int B, int I, int O);

}  // namespace mnist

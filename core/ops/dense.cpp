#include "ops/dense.h"

#include <cstddef>

#include "kernels/elementwise.h"
#include "kernels/gemm_nt_narrow_skip_zero.h"
#include "kernels/gemm_skip_zero_rows.h"
#include "kernels/gemm_tn_narrow_skip_zero.h"
#include "ops/matmul.h"
#include "parallel/thread_pool.h"

namespace mnist {

namespace {

// True when at least two thirds of the four-wide blocks of one example's
// inputs are zero (72% for an MNIST digit's pixels). The first example
// stands for the batch: counting them all would cost a good part of what
// leaving them out saves.
bool mostly_zero_blocks(const float* x, int I) {
  int blocks = 0, zero = 0;
  for (int i = 0; i + 4 <= I; i += 4, ++blocks) {
    zero += x[i] == 0.0f && x[i + 1] == 0.0f && x[i + 2] == 0.0f && x[i + 3] == 0.0f;
  }
  return 3 * zero >= 2 * blocks && blocks > 0;
}

}  // namespace

// weight (O,I) is read transposed where a product needs (I,O): no copies.
void dense_forward(float* out, const float* in, const float* weight, const float* bias, int B,
                   int I, int O) {
  // out (B,O) = in (B,I) . weight^T (I,O) + bias. With few outputs over
  // inputs mostly zero (the softmax regression on pixels) the blocks of four
  // zeros are left out (kernels/gemm_nt_narrow_skip_zero.h); rows are
  // independent, so threads take rows.
  if (B > 0 && O <= kernels::kNarrowMaxN && mostly_zero_blocks(in, I)) {
    parallel::parallel_for(B, parallel::min_chunk_for(2.0 * I * O), 1, [&](int b0, int b1) {
      kernels::f32_gemm_nt_narrow_skip_zero_simd128(out, in, weight, bias, b0, b1, O, I);
    });
    return;
  }
  matmul(out, O, row_major(in, I), transposed(weight, I), bias, B, O, I, false);
}

void dense_forward_skip_zero_inputs(float* out, const float* in, const float* weight_by_input,
                                    const float* bias, int B, int I, int O) {
  kernels::f32_gemm_skip_zero_rows_simd128(out, in, weight_by_input, bias, B, O, I);
}

void dense_forward_int8(float* out, const float* in, const kernels::I8PairWeights& weight_i8,
                        const float* weight, const float* bias, int B, int I, int O,
                        kernels::ActivePairs& scratch, kernels::BlockOrder& order) {
  for (int b = 0; b < B; ++b) {
    const float* x = in + static_cast<std::size_t>(b) * I;
    float* y = out + static_cast<std::size_t>(b) * O;
    if (kernels::quantize_active_pairs(x, I, scratch)) {
      kernels::i8_gemv_pairs_simd128(y, weight_i8, scratch, bias, order);
      order = kernels::reversed(order);
    } else {
      dense_forward(y, x, weight, bias, 1, I, O);
    }
  }
}


void dense_backward(float* din, float* dweight, float* dbias, const float* dout, const float* in,
                    const float* weight, int B, int I, int O) {
  kernels::f32_column_sums_add_simd128(dbias, dout, B, O);
  // dweight (O,I) += dout^T (O,B) . in (B,I). With few outputs (the softmax
  // regression) the gradient is not sparse but the input often is: pixels.
  // Otherwise both products have dout on the left: after ReLU and dropout
  // most of it is zero (74% for the tutorial CNN's hidden layer), and those
  // terms are left out.
  const bool narrow_over_zeros = O <= kernels::kNarrowMaxN && mostly_zero_blocks(in, I);
  const auto weight_gradient = [&] {
    if (narrow_over_zeros) {
      return kernels::f32_gemm_tn_narrow_skip_zero_simd128(dweight, dout, in, B, O, I);
    }
    matmul_sparse_a(dweight, I, transposed(dout, O), in, I, O, I, B, true);
  };
  if (!din) return weight_gradient();
  // din (B,I) = dout (B,O) . weight (O,I)
  parallel::side_by_side(weight_gradient, [&] {
    matmul_sparse_a(din, I, row_major(dout, O), weight, I, B, I, O, false);
  });
}

}  // namespace mnist

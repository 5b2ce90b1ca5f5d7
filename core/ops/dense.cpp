#include "ops/dense.h"

#include "kernels/elementwise.h"
#include "kernels/gemm_skip_zero_rows.h"
#include "ops/matmul.h"
#include "parallel/thread_pool.h"

namespace mnist {

// weight (O,I) is read transposed where a product needs (I,O): no copies.
void dense_forward(float* out, const float* in, const float* weight, const float* bias, int B,
                   int I, int O) {
  // out (B,O) = in (B,I) . weight^T (I,O) + bias
  matmul(out, O, row_major(in, I), transposed(weight, I), bias, B, O, I, false);
}

void dense_forward_skip_zero_inputs(float* out, const float* in, const float* weight_by_input,
                                    const float* bias, int B, int I, int O) {
  kernels::f32_gemm_skip_zero_rows_simd128(out, in, weight_by_input, bias, B, O, I);
}

void dense_backward(float* din, float* dweight, float* dbias, const float* dout, const float* in,
                    const float* weight, int B, int I, int O) {
  kernels::f32_column_sums_add_simd128(dbias, dout, B, O);
  // Both products have dout on the left: after ReLU and dropout most of it
  // is zero (74% for the tutorial CNN's hidden layer), and those terms are
  // left out.
  // dweight (O,I) += dout^T (O,B) . in (B,I)
  const auto weight_gradient = [&] {
    matmul_sparse_a(dweight, I, transposed(dout, O), in, I, O, I, B, true);
  };
  if (!din) return weight_gradient();
  // din (B,I) += dout (B,O) . weight (O,I)
  parallel::side_by_side(weight_gradient, [&] {
    matmul_sparse_a(din, I, row_major(dout, O), weight, I, B, I, O, true);
  });
}

}  // namespace mnist

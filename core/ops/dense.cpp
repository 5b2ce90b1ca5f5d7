#include "ops/dense.h"

#include <cstddef>

#include "kernels/elementwise.h"
#include "kernels/gemm_nt_narrow_skip_zero.h"
#include "kernels/gemm_skip_zero_rows.h"
#include "kernels/gemm_tn_narrow_skip_zero.h"
#include "kernels/gemv_i8_pairs.h"
#include "kernels/transpose.h"
#include "ops/matmul.h"
#include "parallel/thread_pool.h"
#include "tensor.h"

namespace mnist {

// weight (O,I) is read transposed where a product needs (I,O): no copies.
void dense_forward_product(float* out, const float* in, const float* weight, const float* bias, int B, int I,
                           int O, Workspace& ws) {
  matmul(out, O, row_major(in, I), transposed(weight, I), bias, B, O, I, false, ws);
}

ScratchSize dense_forward_product_scratch() { return matmul_scratch(); }

void dense_forward_narrow_skip_zero(float* out, const float* in, const float* weight, const float* bias, int B,
                                    int I, int O) {
  parallel::parallel_for(B, parallel::min_chunk_for(2.0 * I * O), 1, [&](int b0, int b1) {
    kernels::f32_gemm_nt_narrow_skip_zero_simd128(out, in, weight, bias, b0, b1, O, I);
  });
}

struct OneDrawingWeights::Impl {
  bool int8 = false;
  kernels::I8PairWeights q;                                             // int8
  kernels::ActivePairs pairs;                                           // int8: one drawing's inputs
  kernels::BlockOrder order = kernels::BlockOrder::kFirstToLast;        // int8: flips every drawing
  Tensor by_input;                                                      // float: (I,O)
};

OneDrawingWeights::OneDrawingWeights() = default;
OneDrawingWeights::~OneDrawingWeights() = default;
OneDrawingWeights::OneDrawingWeights(OneDrawingWeights&&) noexcept = default;
OneDrawingWeights& OneDrawingWeights::operator=(OneDrawingWeights&&) noexcept = default;

OneDrawingWeights prepare_one_drawing_weights(const float* weight, int I, int O, bool int8) {
  OneDrawingWeights prepared;
  prepared.impl_ = std::make_unique<OneDrawingWeights::Impl>();
  OneDrawingWeights::Impl& p = *prepared.impl_;
  p.int8 = int8;
  if (int8) {
    p.q = kernels::quantize_i8_pairs(weight, O, I);
  } else {
    p.by_input.resize({I, O});
    kernels::f32_transpose_simd128(p.by_input.ptr(), weight, O, I);
  }
  return prepared;
}

void dense_forward_one_drawing(float* out, const float* in, OneDrawingWeights& prepared, const float* weight,
                               const float* bias, int B, int I, int O, Workspace& ws) {
  OneDrawingWeights::Impl& p = *prepared.impl_;
  if (!p.int8) return kernels::f32_gemm_skip_zero_rows_simd128(out, in, p.by_input.ptr(), bias, B, O, I);
  for (int b = 0; b < B; ++b) {
    const float* x = in + static_cast<std::size_t>(b) * I;
    float* y = out + static_cast<std::size_t>(b) * O;
    if (kernels::quantize_active_pairs(x, I, p.pairs)) {
      kernels::i8_gemv_pairs_simd128(y, p.q, p.pairs, bias, p.order);
      p.order = kernels::reversed(p.order);
    } else {
      dense_forward_product(y, x, weight, bias, 1, I, O, ws);
    }
  }
}

ScratchSize dense_forward_one_drawing_scratch() { return matmul_scratch(); }

namespace {

// din (B,I) = dout (B,O) . weight (O,I), leaving out dout's zeros.
void input_gradient(float* din, const float* dout, const float* weight, int B, int I, int O, Workspace& ws) {
  matmul_sparse_a(din, I, row_major(dout, O), weight, I, B, I, O, false, ws);
}

}  // namespace

void dense_backward_sparse(float* din, float* dweight, float* dbias, const float* dout, const float* in,
                           const float* weight, int B, int I, int O, Workspace& ws) {
  kernels::f32_column_sums_add_simd128(dbias, dout, B, O);
  // dweight (O,I) += dout^T (O,B) . in (B,I)
  const auto weight_gradient = [&] { matmul_sparse_a(dweight, I, transposed(dout, O), in, I, O, I, B, true, ws); };
  if (!din) return weight_gradient();
  parallel::side_by_side(weight_gradient, [&] { input_gradient(din, dout, weight, B, I, O, ws); });
}

ScratchSize dense_backward_sparse_scratch(int B, int I, int O, bool with_din) {
  (void)I;
  ScratchSize need = matmul_sparse_a_scratch(O, B);
  if (with_din) need = ScratchSize::larger(need, matmul_sparse_a_scratch(B, O));
  return need;
}

void dense_backward_narrow(float* din, float* dweight, float* dbias, const float* dout, const float* in,
                           const float* weight, int B, int I, int O, Workspace& ws) {
  kernels::f32_column_sums_add_simd128(dbias, dout, B, O);
  kernels::f32_gemm_tn_narrow_skip_zero_simd128(dweight, dout, in, B, O, I);
  if (din) input_gradient(din, dout, weight, B, I, O, ws);
}

ScratchSize dense_backward_narrow_scratch(int B, int I, int O, bool with_din) {
  (void)I;
  return with_din ? matmul_sparse_a_scratch(B, O) : ScratchSize{};
}

}  // namespace mnist

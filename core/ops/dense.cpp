#include "ops/dense.h"

#include <cstddef>

#include "kernels/gemm_nt.h"
#include "kernels/gemm_strided_a.h"
#include "ops/eigen_views.h"
#include "parallel/thread_pool.h"

namespace mnist {

// The products are split by rows of their outputs (examples, or output units
// for dweight), so each thread writes its own rows.
void dense_forward(float *out, const float *in, const float *weight, const float *bias, int B,
                   int I, int O) {
  parallel::parallel_for(B, parallel::min_chunk_for(2.0 * I * O), 4, [&](int b0, int b1) {
    const std::size_t rows = b1 - b0;
#ifdef MNIST_GEMM_SIMD128  // WebAssembly: see kernels/gemm_nt.h
    kernels::f32_gemm_nt_bias_simd128(out + b0 * std::size_t(O), in + b0 * std::size_t(I), weight,
                                      bias, rows, O, I);
#else
    MatrixView out_m(out + b0 * std::size_t(O), rows, O);
    out_m.noalias() =
        ConstMatrixView(in + b0 * std::size_t(I), rows, I) * ConstMatrixView(weight, O, I).transpose();
    out_m.rowwise() += Eigen::Map<const Eigen::RowVectorXf>(bias, O);
#endif
  });
}

void dense_backward(float *din, float *dweight, float *dbias, const float *dout, const float *in,
                    const float *weight, int B, int I, int O) {
  ConstMatrixView dout_m(dout, B, O);
  Eigen::Map<Eigen::RowVectorXf>(dbias, O) += dout_m.colwise().sum();
  // dweight (O,I) += dout^T (O,B) . in (B,I), split by output unit.
  parallel::parallel_for(O, parallel::min_chunk_for(2.0 * B * I), 4, [&](int o0, int o1) {
#ifdef MNIST_GEMM_SIMD128  // WebAssembly: see kernels/gemm_strided_a.h
    kernels::f32_gemm_strided_a_simd128(dweight + o0 * std::size_t(I), dout + o0, 1, O, in, o1 - o0,
                                        I, B, true);
#else
    MatrixView(dweight, O, I).middleRows(o0, o1 - o0).noalias() +=
        dout_m.middleCols(o0, o1 - o0).transpose() * ConstMatrixView(in, B, I);
#endif
  });
  if (!din) return;
  // din (B,I) += dout (B,O) . weight (O,I), split by example.
  parallel::parallel_for(B, parallel::min_chunk_for(2.0 * O * I), 4, [&](int b0, int b1) {
    const std::size_t rows = b1 - b0;
#ifdef MNIST_GEMM_SIMD128
    kernels::f32_gemm_strided_a_simd128(din + b0 * std::size_t(I), dout + b0 * std::size_t(O), O, 1,
                                        weight, rows, I, O, true);
#else
    MatrixView(din + b0 * std::size_t(I), rows, I).noalias() +=
        ConstMatrixView(dout + b0 * std::size_t(O), rows, O) * ConstMatrixView(weight, O, I);
#endif
  });
}

}  // namespace mnist

#include "ops/dense.h"

#include "kernels/gemm_nt.h"
#include "kernels/gemm_strided_a.h"
#include "ops/eigen_views.h"

namespace mnist {

void dense_forward(float* out, const float* in, const float* weight, const float* bias, int B,
                   int I, int O) {
#ifdef MNIST_GEMM_SIMD128  // WebAssembly: see kernels/gemm_nt.h
  kernels::f32_gemm_nt_bias_simd128(out, in, weight, bias, B, O, I);
  return;
#endif
  MatrixView out_m(out, B, O);
  ConstMatrixView in_m(in, B, I);
  ConstMatrixView w_m(weight, O, I);
  out_m.noalias() = in_m * w_m.transpose();
  out_m.rowwise() += Eigen::Map<const Eigen::RowVectorXf>(bias, O);
}

void dense_backward(float* din, float* dweight, float* dbias, const float* dout, const float* in,
                    const float* weight, int B, int I, int O) {
  ConstMatrixView dout_m(dout, B, O);
#ifdef MNIST_GEMM_SIMD128  // WebAssembly: see kernels/gemm_strided_a.h
  if (din) kernels::f32_gemm_strided_a_simd128(din, dout, O, 1, weight, B, I, O, true);
  kernels::f32_gemm_strided_a_simd128(dweight, dout, 1, O, in, O, I, B, true);
  Eigen::Map<Eigen::RowVectorXf>(dbias, O) += dout_m.colwise().sum();
  return;
#endif
  if (din) {
    MatrixView(din, B, I).noalias() += dout_m * ConstMatrixView(weight, O, I);
  }
  MatrixView(dweight, O, I).noalias() += dout_m.transpose() * ConstMatrixView(in, B, I);
  Eigen::Map<Eigen::RowVectorXf>(dbias, O) += dout_m.colwise().sum();
}

}  // namespace mnist

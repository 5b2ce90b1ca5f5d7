// C = A . B for any strides of A and B: the one matrix product behind every
// batch's forward and backward pass in WebAssembly (ops/matmul.h chooses).
//
// GotoBLAS/BLIS layout: blocks of B (kKc x kNc) are packed into panels of
// kNr = 8 columns, blocks of A (kMc x kKc) into panels of kMr rows, so the
// microkernel reads both from contiguous memory whatever the strides were.
// That is why one kernel serves dout^T . in, dout . W and cols . W^T alike
// with no transposed copies, and why the panel of B it is working on stays
// in L1 while the block of A stays in L2. The microkernel keeps a kMr x 8
// tile of C in 2*kMr registers and, for each k, multiplies two vectors of
// B by kMr broadcasts of A (load32_splat: one vbroadcastss on x86).
//
// Packing a row-major A or a transposed B (im2col's columns, a batch of
// inputs, a weight read as W^T) moves 4x4 blocks with SIMD transposes, not
// one float at a time. With at most 12 rows of A (the softmax regression's
// 10 outputs, the last layer's weight gradient) B would serve three tiles at
// most, too few to repay packing it: those tiles read A and B in place.
#pragma once

#include <cstddef>

namespace mnist::kernels {

// Element (r, c) of a matrix is data[r * row_stride + c * col_stride].
struct StridedMatrix {
  const float* data;
  std::ptrdiff_t row_stride;
  std::ptrdiff_t col_stride;
};

// C (M,N), rows ldc apart: C = (accumulate ? C : bias (N) or 0) + A (M,K) . B (K,N).
// bias may be nullptr; it is ignored when accumulating.
void f32_gemm_packed_simd128(float* C, std::ptrdiff_t ldc, StridedMatrix A, StridedMatrix B,
                             const float* bias, int M, int N, int K, bool accumulate);
// The reference twin: three plain loops.
void f32_gemm_packed_scalar(float* C, std::ptrdiff_t ldc, StridedMatrix A, StridedMatrix B,
                            const float* bias, int M, int N, int K, bool accumulate);

}  // namespace mnist::kernels

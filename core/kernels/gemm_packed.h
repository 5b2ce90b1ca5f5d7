// C = A . B for any strides of A and B: WebAssembly's matrix product for
// products of at least a few tiles (model/kernel_choice.h, choose_product).
//
// GotoBLAS/BLIS layout: blocks of B (kKc x kNc) are packed into panels of
// kNr = 8 columns, blocks of A (kMc x kKc) into panels of kMr rows, so the
// microkernel reads contiguous memory whatever the strides (dout^T . in,
// dout . W and cols . W^T need no transposed copies), the panel of B stays in
// L1 and the block of A in L2. The microkernel keeps a kMr x 8 tile of C in
// 2*kMr registers; per k, two vectors of B times kMr broadcasts of A.
// Row-major A and transposed B are packed by 4x4 SIMD transposes. With at
// most 12 rows of A, B would serve too few tiles to repay packing: those
// tiles read A and B in place.
#pragma once

#include <cstddef>

#include "matrix_view.h"

namespace mnist::kernels {

// Floats of scratch a product needs for its packed blocks of A and B.
inline constexpr std::size_t kGemmPackedScratchFloats = 96 * 256 + 256 * 512;  // kMc * kKc + kKc * kNc

// C (M,N), rows ldc apart: C = (accumulate ? C : bias (N) or 0) + A (M,K) . B (K,N).
// bias may be nullptr; it is ignored when accumulating. scratch:
// kGemmPackedScratchFloats floats, 16-byte aligned, the calling thread's own.
void f32_gemm_packed_simd128(float* C, std::ptrdiff_t ldc, StridedMatrix A, StridedMatrix B,
                             const float* bias, int M, int N, int K, bool accumulate, float* scratch);
// The reference twin: three plain loops (no scratch).
void f32_gemm_packed_scalar(float* C, std::ptrdiff_t ldc, StridedMatrix A, StridedMatrix B,
                            const float* bias, int M, int N, int K, bool accumulate);

}  // namespace mnist::kernels

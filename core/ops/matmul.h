// Every matrix product of the ops goes through here, so the choice of kernel
// and the split across threads live in one place:
//   natively, Eigen's AVX products (faster than ours with FMA);
//   in WebAssembly (MNIST_GEMM_SIMD128), where Eigen 3.4 has no SIMD path,
//   our packed SIMD128 kernel (kernels/gemm_packed.h), or for one or two
//   rows (one drawing) the dot-product kernel (kernels/gemm_nt.h), which
//   needs no packing of the weights;
//   in both, for backward's products with a mostly-zero gradient on the
//   left, the kernel that leaves its zeros out (kernels/gemm_sparse_a.h).
// Threads split the larger of M and N, so each writes its own part of C and
// the packed copies the threads duplicate are of the smaller operand.
#pragma once

#include <cstddef>

#include "matrix_view.h"
#include "workspace.h"

namespace mnist {

// C (M,N), rows ldc apart = (accumulate ? C : bias (N) or 0) + A (M,K) . B (K,N).
void matmul(float* C, std::ptrdiff_t ldc, StridedMatrix A, StridedMatrix B, const float* bias,
            int M, int N, int K, bool accumulate, Workspace& ws);
ScratchSize matmul_scratch();

// C (M,N), rows ldc apart = (accumulate ? C : 0) + A (M,K) . B (K,N), B
// row-major with rows ldb apart, where A is mostly zeros: a gradient that
// came back through ReLU, max-pooling or dropout (kernels/gemm_sparse_a.h).
// A is compressed first; when too much of it is not zero
// (model/kernel_choice.h, sparse_product_pays), the dense product above is
// faster and runs instead.
void matmul_sparse_a(float* C, std::ptrdiff_t ldc, StridedMatrix A, const float* B,
                     std::ptrdiff_t ldb, int M, int N, int K, bool accumulate, Workspace& ws);
ScratchSize matmul_sparse_a_scratch(int M, int K);

}  // namespace mnist

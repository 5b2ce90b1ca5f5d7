#include "ops/matmul.h"

#include <algorithm>
#include <vector>

#include "kernels/gemm_nt.h"
#include "kernels/gemm_packed.h"
#include "kernels/gemm_sparse_a.h"
#include "model/kernel_choice.h"
#include "ops/eigen_views.h"
#include "parallel/thread_pool.h"

namespace mnist {

namespace {

#ifdef MNIST_GEMM_SIMD128

void product(float* C, std::ptrdiff_t ldc, StridedMatrix A, StridedMatrix B, const float* bias,
             int M, int N, int K, bool accumulate, Workspace& ws) {
  // Dot products read weights stored (N,K) and rows of A in place.
  const bool rows_contiguous = !accumulate && A.col_stride == 1 && B.row_stride == 1 && ldc == N;
  if (choose_product(M, N, K, rows_contiguous) == ProductKernel::dot_products_simd128) {
    kernels::f32_gemm_nt_bias_simd128(C, A.data, B.data, bias, M, N, K);
  } else {
    ScratchStack& mine = ws.mine();
    const ScratchFrame frame(mine);
    kernels::f32_gemm_packed_simd128(C, ldc, A, B, bias, M, N, K, accumulate,
                                     mine.take<float>(kernels::kGemmPackedScratchFloats));
  }
}

#else

// Inner stride 1 known at compile time: Eigen's fast product paths need it.
using RowsView = Eigen::Map<const RowMatrix, 0, Eigen::OuterStride<> >;
using Stride = Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>;
using StridedView = Eigen::Map<const RowMatrix, 0, Stride>;

// A strided matrix as an Eigen expression: row-major with an outer stride,
// or the transpose of one, so Eigen takes its fast paths.
template <typename Body>
void with_eigen_view(StridedMatrix m, int rows, int cols, Body&& body) {
  if (m.col_stride == 1) {
    body(RowsView(m.data, rows, cols, Eigen::OuterStride<>(m.row_stride)));
  } else if (m.row_stride == 1) {
    body(RowsView(m.data, cols, rows, Eigen::OuterStride<>(m.col_stride)).transpose());
  } else {
    body(StridedView(m.data, rows, cols, Stride(m.row_stride, m.col_stride)));
  }
}

void product(float* C, std::ptrdiff_t ldc, StridedMatrix A, StridedMatrix B, const float* bias,
             int M, int N, int K, bool accumulate, Workspace&) {
  Eigen::Map<RowMatrix, 0, Eigen::OuterStride<> > c(C, M, N, Eigen::OuterStride<>(ldc));
  with_eigen_view(A, M, K, [&](const auto& a) {
    with_eigen_view(B, K, N, [&](const auto& b) {
      if (accumulate) {
        c.noalias() += a * b;
        return;
      }
      c.noalias() = a * b;
      if (bias) c.rowwise() += Eigen::Map<const Eigen::RowVectorXf>(bias, N);
    });
  });
}

#endif

// Eigen's products sum a column's terms in an order that depends on where the
// column falls in the product it is given (its kernels for the last columns
// of a panel differ): so in the Eigen build a product is always cut into the
// same blocks, on any number of threads, and threads take whole blocks. Our
// own kernels compute every element the same way wherever it falls.
#ifdef MNIST_GEMM_SIMD128
constexpr int kRowAlign = 4, kColumnAlign = 8, kFixedBlock = 0;
#else
constexpr int kRowAlign = 4, kColumnAlign = 8, kFixedBlock = 128;
#endif

// Calls body(first, last) on chunks of [0, n): any chunks aligned to `align`
// for our kernels, whole fixed blocks for Eigen's.
template <typename Body>
void split(int n, double flops_per_item, int align, Body&& body) {
  if constexpr (kFixedBlock == 0) {
    parallel::parallel_for(n, parallel::min_chunk_for(flops_per_item), align, body);
  } else {
    constexpr int block = kFixedBlock > 0 ? kFixedBlock : 1;
    const int blocks = (n + block - 1) / block;
    parallel::parallel_for(blocks, parallel::min_chunk_for(flops_per_item * block), 1, [&](int b0, int b1) {
      for (int b = b0; b < b1; ++b) body(b * block, std::min(n, (b + 1) * block));
    });
  }
}

}  // namespace

ScratchSize matmul_scratch() {
#ifdef MNIST_GEMM_SIMD128
  return {0, scratch_bytes<float>(kernels::kGemmPackedScratchFloats)};
#else
  return {};  // Eigen's products take their blocks on the stack (EIGEN_STACK_ALLOCATION_LIMIT)
#endif
}

void matmul(float* C, std::ptrdiff_t ldc, StridedMatrix A, StridedMatrix B, const float* bias,
            int M, int N, int K, bool accumulate, Workspace& ws) {
  if (M <= 0 || N <= 0) return;
  if (M >= N) {
    split(M, 2.0 * N * K, kRowAlign, [&](int m0, int m1) {
      StridedMatrix rows = A;
      rows.data += m0 * A.row_stride;
      product(C + m0 * ldc, ldc, rows, B, bias, m1 - m0, N, K, accumulate, ws);
    });
  } else {
    split(N, 2.0 * M * K, kColumnAlign, [&](int n0, int n1) {
      StridedMatrix cols = B;
      cols.data += n0 * B.col_stride;
      product(C + n0, ldc, A, cols, bias ? bias + n0 : nullptr, M, n1 - n0, K, accumulate, ws);
    });
  }
}

ScratchSize matmul_sparse_a_scratch(int M, int K) {
  const std::size_t room = static_cast<std::size_t>(M) * K;
  const std::size_t compressed = scratch_bytes<int>(static_cast<std::size_t>(M) + 1) + scratch_bytes<int>(room) +
                                 scratch_bytes<float>(room);
  const std::size_t kernel = scratch_bytes<float>(kernels::kGemmSparseABlockFloats) +
                             scratch_bytes<int>(kernels::gemm_sparse_a_next_entry_ints(M));
  const ScratchSize dense = matmul_scratch();
  return {dense.shared, compressed + std::max(kernel, dense.per_thread)};
}

void matmul_sparse_a(float* C, std::ptrdiff_t ldc, StridedMatrix A, const float* B,
                     std::ptrdiff_t ldb, int M, int N, int K, bool accumulate, Workspace& ws) {
  if (M <= 0 || N <= 0) return;
  // Compressed on the calling thread's stack; the threads that share the
  // product below read it there.
  ScratchStack& mine = ws.mine();
  const ScratchFrame frame(mine);
  const std::size_t room = static_cast<std::size_t>(M) * K;
  int* row_start = mine.take<int>(static_cast<std::size_t>(M) + 1);
  int* column = mine.take<int>(room);
  float* value = mine.take<float>(room);
  const int entries = kernels::compress_rows_simd128(row_start, column, value, A, M, K);
  if (!sparse_product_pays(entries, static_cast<long long>(room))) {
    matmul(C, ldc, A, row_major(B, static_cast<int>(ldb)), nullptr, M, N, K, accumulate, ws);
    return;
  }
  // Threads split the larger of M and N, as matmul does: rows of A (each a
  // slice of the compressed rows) or strips of columns. The chunks are sized
  // in time: these flops run at about half the packed product's rate, so
  // each counts twice.
  const kernels::SparseRows sparse{row_start, column, value, M};
  const double flops = 2.0 * 2.0 * entries * N;
  auto product = [&](const kernels::SparseRows& rows, float* c, int n0, int n1) {
    ScratchStack& own = ws.mine();
    const ScratchFrame scratch(own);
    kernels::f32_gemm_sparse_a_simd128(c, ldc, rows, B, ldb, n0, n1, accumulate,
                                       own.take<float>(kernels::kGemmSparseABlockFloats),
                                       own.take<int>(kernels::gemm_sparse_a_next_entry_ints(rows.rows)));
  };
  if (M >= N) {
    parallel::parallel_for(M, parallel::min_chunk_for(flops / M), 1, [&](int m0, int m1) {
      product(kernels::SparseRows{sparse.row_start + m0, sparse.column, sparse.value, m1 - m0}, C + m0 * ldc, 0, N);
    });
  } else {
    parallel::parallel_for(N, parallel::min_chunk_for(flops / N), 32, [&](int n0, int n1) {
      product(sparse, C, n0, n1);
    });
  }
}

}  // namespace mnist

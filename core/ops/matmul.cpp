#include "ops/matmul.h"

#include <vector>

#include "kernels/gemm_nt.h"
#include "kernels/gemm_sparse_a.h"
#include "ops/eigen_views.h"
#include "parallel/thread_pool.h"

namespace mnist {

namespace {

#ifdef MNIST_GEMM_SIMD128

void product(float* C, std::ptrdiff_t ldc, StridedMatrix A, StridedMatrix B, const float* bias,
             int M, int N, int K, bool accumulate) {
  // Weights stored (N,K) times few rows (one drawing), or times many rows
  // when N is too narrow for the 8-wide tile and K is long (the softmax
  // regression's 10 outputs): plain dot products of contiguous rows, with
  // nothing to pack.
  const bool layout_fits = !accumulate && A.col_stride == 1 && B.row_stride == 1 && ldc == N;
  const bool dot_products = layout_fits && (M < 4 || (N < 16 && K >= 64));
  if (dot_products) {
    kernels::f32_gemm_nt_bias_simd128(C, A.data, B.data, bias, M, N, K);
  } else {
    kernels::f32_gemm_packed_simd128(C, ldc, A, B, bias, M, N, K, accumulate);
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
             int M, int N, int K, bool accumulate) {
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
  if (kFixedBlock == 0) {
    parallel::parallel_for(n, parallel::min_chunk_for(flops_per_item), align, body);
    return;
  }
  const int blocks = (n + kFixedBlock - 1) / kFixedBlock;
  parallel::parallel_for(blocks, parallel::min_chunk_for(flops_per_item * kFixedBlock), 1, [&](int b0, int b1) {
    for (int b = b0; b < b1; ++b) body(b * kFixedBlock, std::min(n, (b + 1) * kFixedBlock));
  });
}

}  // namespace

void matmul(float* C, std::ptrdiff_t ldc, StridedMatrix A, StridedMatrix B, const float* bias,
            int M, int N, int K, bool accumulate) {
  if (M <= 0 || N <= 0) return;
  if (M >= N) {
    split(M, 2.0 * N * K, kRowAlign, [&](int m0, int m1) {
      StridedMatrix rows = A;
      rows.data += m0 * A.row_stride;
      product(C + m0 * ldc, ldc, rows, B, bias, m1 - m0, N, K, accumulate);
    });
  } else {
    split(N, 2.0 * M * K, kColumnAlign, [&](int n0, int n1) {
      StridedMatrix cols = B;
      cols.data += n0 * B.col_stride;
      product(C + n0, ldc, A, cols, bias ? bias + n0 : nullptr, M, n1 - n0, K, accumulate);
    });
  }
}

void matmul_sparse_a(float* C, std::ptrdiff_t ldc, StridedMatrix A, const float* B,
                     std::ptrdiff_t ldb, int M, int N, int K, bool accumulate) {
  if (M <= 0 || N <= 0) return;
  // The compressed A, kept between calls like the packing buffers: a layer
  // sees the same shapes every step.
  thread_local std::vector<int> row_start, column;
  thread_local std::vector<float> value;
  const std::size_t room = static_cast<std::size_t>(M) * K;
  row_start.resize(static_cast<std::size_t>(M) + 1);
  if (column.size() < room) column.resize(room), value.resize(room);
  const int entries = kernels::compress_rows_simd128(row_start.data(), column.data(), value.data(), A, M, K);
  if (entries > kSparseAMaxDensity * static_cast<double>(room)) {
    matmul(C, ldc, A, row_major(B, static_cast<int>(ldb)), nullptr, M, N, K, accumulate);
    return;
  }
  // Threads split the larger of M and N, as matmul does: rows of A (each a
  // slice of the compressed rows) or strips of columns. The chunks are sized
  // in time: these flops run at about half the packed product's rate (10-14
  // against 25-30 GFLOP/s in wasm), so each counts twice.
  const kernels::SparseRows sparse{row_start.data(), column.data(), value.data(), M};
  const double flops = 2.0 * 2.0 * entries * N;
  if (M >= N) {
    parallel::parallel_for(M, parallel::min_chunk_for(flops / M), 1, [&](int m0, int m1) {
      const kernels::SparseRows rows{sparse.row_start + m0, sparse.column, sparse.value, m1 - m0};
      kernels::f32_gemm_sparse_a_simd128(C + m0 * ldc, ldc, rows, B, ldb, 0, N, accumulate);
    });
  } else {
    parallel::parallel_for(N, parallel::min_chunk_for(flops / N), 32, [&](int n0, int n1) {
      kernels::f32_gemm_sparse_a_simd128(C, ldc, sparse, B, ldb, n0, n1, accumulate);
    });
  }
}

}  // namespace mnist

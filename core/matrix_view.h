// A matrix in memory with any strides: how ops hand matrices to products
// without copying them (a transpose is the same data, strides swapped).
#pragma once

#include <cstddef>

namespace mnist {

// Element (r, c) is data[r * row_stride + c * col_stride].
struct StridedMatrix {
  const float* data;
  std::ptrdiff_t row_stride;
  std::ptrdiff_t col_stride;
};

// A row-major (rows, cols) matrix, and its transpose, as strided views.
inline StridedMatrix row_major(const float* data, int cols) { return {data, cols, 1}; }
inline StridedMatrix transposed(const float* data, int cols) { return {data, 1, cols}; }

}  // namespace mnist

// Scalar twin of transpose.h.
#include <cstddef>

#include "kernels/transpose.h"

namespace mnist::kernels {

void f32_transpose_scalar(float* out, const float* in, int rows, int cols) {
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      out[static_cast<std::size_t>(c) * rows + r] = in[static_cast<std::size_t>(r) * cols + c];
    }
  }
}

}  // namespace mnist::kernels

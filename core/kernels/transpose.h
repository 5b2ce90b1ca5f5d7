// out (cols, rows) = in (rows, cols)^T. The dense layer keeps its weights
// both ways round (layers/dense_layer.h): (outputs, inputs) for batches and
// (inputs, outputs) for one drawing, made when a model is loaded, during
// the page's start: the SIMD twin moves 4x4 blocks with eight shuffles.
#pragma once

namespace mnist::kernels {

void f32_transpose_simd128(float* out, const float* in, int rows, int cols);
void f32_transpose_scalar(float* out, const float* in, int rows, int cols);

}  // namespace mnist::kernels

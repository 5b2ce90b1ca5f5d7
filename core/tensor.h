// Tensors: the one layout the whole engine uses.
//
// Layout, stated once: row-major, images in NHWC.
//   B = batch, H = height, W = width, C = channels, K = classes,
//   I = inputs of a dense layer, O = outputs of a dense layer.
//   An image batch is (B,H,W,C); a dense activation is (B,I) where I = H*W*C,
//   so "flatten" is free and matches TensorFlow's order.
//   Dense weights are (O,I). Conv weights are (Co,3,3,Ci), i.e. (Co, 9*Ci).
//   A model that only predicts also keeps a copy of its dense weights laid
//   out so that one drawing can skip its zero inputs: (I,O), one row per
//   input, or, for a large layer, int8 in blocks of 32 outputs, one row of
//   32 per input (layers/dense_layer.h, kernels/gemv_i8_pairs.h).
// Why NHWC: a 3x3 conv becomes im2col rows of 9*Ci contiguous values and one
// matrix product whose output rows are already NHWC pixels; no transposes.
// Winograd's transforms (forward) take four channels of a pixel in one load.
//
// Ops never allocate: they take raw pointers with sizes (views). Layers and
// models own Tensor storage and keep it between steps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "aligned_buffer.h"

namespace mnist {

using Shape = std::vector<int>;

inline std::size_t shape_size(const Shape& shape) {
  std::size_t n = 1;
  for (int d : shape) n *= static_cast<std::size_t>(d);
  return n;
}

inline std::string shape_to_string(const Shape& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ",";
    s += std::to_string(shape[i]);
  }
  return s + ")";
}

// Owning float tensor. Resizing keeps capacity, so a layer that sees the same
// batch size every step allocates only on the first one.
struct Tensor {
  Shape shape;
  AlignedVector<float> data;  // aligned_buffer.h says why

  Tensor() = default;
  explicit Tensor(Shape s) { resize(std::move(s)); }

  void resize(Shape s) {
    shape = std::move(s);
    data.resize(shape_size(shape));
  }
  void fill(float v) { std::fill(data.begin(), data.end(), v); }
  std::size_t size() const { return data.size(); }
  float* ptr() { return data.data(); }
  const float* ptr() const { return data.data(); }
  int dim(std::size_t i) const { return shape[i]; }
};

}  // namespace mnist

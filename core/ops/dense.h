// Dense (fully connected) ops: out (B,O) = in (B,I) . weight (O,I)^T + bias
// (O), and their backward. One function per kernel; which one a layer runs
// is its plan's choice (model/kernel_choice.h).
#pragma once

#include <memory>

#include "workspace.h"

namespace mnist {

// A matrix product (ops/matmul.h).
void dense_forward_product(float* out, const float* in, const float* weight, const float* bias, int B, int I,
                           int O, Workspace& ws);
ScratchSize dense_forward_product_scratch();

// Few outputs (at most 12) over inputs whose blocks of four are mostly zero
// (an image's pixels): those blocks are left out. Rows are independent, so
// threads take rows.
void dense_forward_narrow_skip_zero(float* out, const float* in, const float* weight, const float* bias, int B,
                                    int I, int O);

// A layer's weights laid out for one drawing, made once its weights are
// final: int8 with a scale per output (a large layer: a quarter of the bytes
// to read), or float one row per input (a small one). Either way the
// drawing's zero inputs are not read.
class OneDrawingWeights {
 public:
  OneDrawingWeights();
  ~OneDrawingWeights();
  OneDrawingWeights(OneDrawingWeights&&) noexcept;
  OneDrawingWeights& operator=(OneDrawingWeights&&) noexcept;
  bool empty() const { return !impl_; }
  struct Impl;

 private:
  friend OneDrawingWeights prepare_one_drawing_weights(const float*, int, int, bool);
  friend void dense_forward_one_drawing(float*, const float*, OneDrawingWeights&, const float*, const float*, int,
                                        int, int, Workspace&);
  std::unique_ptr<Impl> impl_;
};
OneDrawingWeights prepare_one_drawing_weights(const float* weight, int I, int O, bool int8);

// out for a few examples from one-drawing weights, one example at a time.
// An example holding an infinity or NaN (int16 cannot hold it) takes the
// float product instead. The int8 weights' blocks are read in the order
// opposite to the last call's, so that those still in cache come first.
void dense_forward_one_drawing(float* out, const float* in, OneDrawingWeights& prepared, const float* weight,
                               const float* bias, int B, int I, int O, Workspace& ws);
ScratchSize dense_forward_one_drawing_scratch();

// Writes din and accumulates (+=) into the parameters' gradients:
//   din (B,I) = dout . weight         (skipped when din is nullptr: first layer)
//   dweight (O,I) += dout^T . in
//   dbias (O) += sum over B of dout
// Both products have dout on the left, which ReLU and dropout made mostly
// zero: its zeros are left out (ops/matmul.h, matmul_sparse_a). On two
// threads the two products run side by side.
void dense_backward_sparse(float* din, float* dweight, float* dbias, const float* dout, const float* in,
                           const float* weight, int B, int I, int O, Workspace& ws);
ScratchSize dense_backward_sparse_scratch(int B, int I, int O, bool with_din);

// The same where few outputs read an image's pixels (the softmax
// regression): the weight gradient leaves out the pixels' zero blocks.
void dense_backward_narrow(float* din, float* dweight, float* dbias, const float* dout, const float* in,
                           const float* weight, int B, int I, int O, Workspace& ws);
ScratchSize dense_backward_narrow_scratch(int B, int I, int O, bool with_din);

}  // namespace mnist

// The one place the engine decides which kernel runs an op: a function per
// op, its thresholds named and explained here once. Plans (model/plan.h)
// call them when they are built; docs/ENGINE.md shows what they decide for
// each workload. Figures behind the thresholds are in docs/BENCHMARKS.md.
#pragma once

#include "model/plan.h"

namespace mnist {

// Predictions of fewer examples than this are one drawing's: weights laid
// out for a single example (skipping its zero inputs) beat a product that
// packs them, which pays off only over many examples.
inline constexpr int kOneDrawingBelow = 4;
// A dense layer with at least this many weights (1 MB as float) keeps them
// as int8 for one drawing: it is too large to stay in cache between
// drawings, and a quarter of the bytes is read. Smaller ones keep them as
// float, one row per input.
inline constexpr long long kInt8WeightsFrom = 1 << 18;
// A dense layer with at most this many outputs (the softmax regression's
// 10) over an image's pixels skips the pixels' blocks of four zeros rather
// than spend an 8-wide product tile on so few outputs.
inline constexpr int kNarrowMaxOutputs = 12;

// The purpose of a pass: training, or a prediction of B examples; one
// drawing's path only when the model keeps one-drawing weights (prepared).
Purpose purpose_of(bool training, int B, bool prepared);

// A convolution's forward: direct for one input channel (as a product its
// depth of 9 is too shallow for the packed tiles), Winograd F(4x4, 3x3) for
// more; in a prediction, one channel followed by ReLU and 2x2 max-pooling
// runs as one pass (each pooling window one Winograd F(2x2, 3x3) tile).
Kernel choose_conv_forward(Purpose purpose, int in_channels, bool relu_and_pool_follow);
Kernel choose_conv_backward();

// A dense layer's forward: one drawing's weights when prepared, as int8 from
// kInt8WeightsFrom weights; few outputs over the image itself skip zero
// blocks; otherwise a matrix product.
Kernel choose_dense_forward(Purpose purpose, long long weights, int outputs, bool reads_image, bool prepared);
Kernel choose_dense_backward(int outputs, bool reads_image);

// Max-pooling: it records its winners only to train; in a prediction, a
// ReLU before it runs after it instead, on a quarter of the values (the same
// values: max(0, max(a, b, c, d)) = max of the four rectified).
Kernel choose_pool_forward(Purpose purpose, bool relu_precedes);

// Dropout drops units only in training, and only if it drops any: a layer
// that keeps every unit (keep probability 1) is a copy.
Kernel choose_dropout_forward(Purpose purpose, float keep_prob);
Kernel choose_dropout_backward(float keep_prob);

// Matrix products inside the ops (ops/matmul.cpp), by build: natively
// Eigen's; in WebAssembly, where Eigen has no SIMD128 path, our packed
// kernel, or plain dot products when B would serve too few tiles to repay
// packing (fewer than kDotProductRowsBelow rows, or fewer than
// kDotProductColumnsBelow columns over a depth of at least
// kDotProductMinDepth).
enum class ProductKernel { eigen, packed_simd128, dot_products_simd128 };
inline constexpr int kDotProductRowsBelow = 4;
inline constexpr int kDotProductColumnsBelow = 16;
inline constexpr int kDotProductMinDepth = 64;
ProductKernel choose_product(int M, int N, int K, bool rows_contiguous);

// A product whose left operand is a gradient that came back through ReLU,
// max-pooling or dropout skips its zeros, unless more than this share of it
// is not zero: then the dense product is faster. Known only when the
// gradient is there, so chosen as each product runs.
inline constexpr double kSparseMaxDensity = 0.3;
bool sparse_product_pays(long long entries, long long size);

}  // namespace mnist

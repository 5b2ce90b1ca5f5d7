// How a model runs a pass, decided once per purpose and batch size: the
// steps of the pass, the kernel each step runs forward (and backward, for a
// training step), and the scratch each needs. Which kernel an op runs is
// chosen in model/kernel_choice.cpp, one function per op; docs/ENGINE.md
// lists the result for each workload, and a test holds the two together.
#pragma once

#include <string>
#include <vector>

#include "workspace.h"

namespace mnist {

// What a pass is for. A prediction of one drawing (fewer than
// kOneDrawingBelow examples, model/kernel_choice.h) reads weights laid out
// for it, when the model keeps them (Model::prepare_inference).
enum class Purpose { train, predict_batch, predict_one };
const char* purpose_name(Purpose purpose);

// Every way the engine has to run a layer's op.
enum class Kernel {
  none,                     // nothing to do (a first layer's input gradient)
  conv3x3_c1_direct,        // convolution of one input channel, direct
  conv3x3_winograd_f4x3,    // convolution of more channels, Winograd F(4x4, 3x3)
  conv3x3_c1_relu_pool,     // convolution of one channel, ReLU and 2x2 max-pooling in one pass
  conv3x3_im2col_products,  // convolution backward: patches and matrix products
  dense_product,            // dense forward: a matrix product
  dense_narrow_skip_zero,   // dense of few outputs over an image's pixels, zero blocks skipped
  dense_skip_zero_rows,     // dense for one drawing: weights one row per input, zero inputs skipped
  dense_int8_pairs,         // dense for one drawing: int8 weights, zero inputs skipped
  dense_sparse_products,    // dense backward: products that skip the gradient's zeros
  dense_narrow_sparse_products,  // dense backward: the weight gradient over pixels skips zero blocks
  relu,
  relu_backward,
  maxpool_with_winners,     // 2x2 max-pooling that records each window's winner, for backward
  maxpool,                  // 2x2 max-pooling alone
  maxpool_then_relu,        // max-pooling, then ReLU on a quarter of the values
  maxpool_backward,
  dropout,
  dropout_backward,
  identity,                 // dropout in a prediction, or one that keeps every unit
};
const char* kernel_name(Kernel kernel);

struct PlanStep {
  int first = 0;   // the first layer it stands for
  int covers = 1;  // how many: a fused step covers 2 or 3
  int runs = 0;    // the layer that runs it (one of those)
  Kernel forward = Kernel::none;
  Kernel backward = Kernel::none;  // a training step's; none otherwise
  ScratchSize scratch;             // the larger of forward's and backward's
};

struct Plan {
  Purpose purpose = Purpose::predict_batch;
  int batch = 0;
  std::vector<PlanStep> steps;  // in forward order; backward runs them in reverse
  ScratchSize scratch;          // the largest step's

  // One line per step: "conv1 forward conv3x3_c1_direct; backward
  // conv3x3_im2col_products", for docs/ENGINE.md and its test.
  std::vector<std::string> describe(const std::vector<std::string>& layer_names) const;
};

}  // namespace mnist

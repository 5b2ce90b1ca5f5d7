#include "model/plan.h"

namespace mnist {

const char* purpose_name(Purpose purpose) {
  switch (purpose) {
    case Purpose::train: return "train";
    case Purpose::predict_batch: return "predict_batch";
    case Purpose::predict_one: return "predict_one";
  }
  return "";
}

const char* kernel_name(Kernel kernel) {
  switch (kernel) {
    case Kernel::none: return "none";
    case Kernel::conv3x3_c1_direct: return "conv3x3_c1_direct";
    case Kernel::conv3x3_winograd_f4x3: return "conv3x3_winograd_f4x3";
    case Kernel::conv3x3_c1_relu_pool: return "conv3x3_c1_relu_pool";
    case Kernel::conv3x3_im2col_products: return "conv3x3_im2col_products";
    case Kernel::dense_product: return "dense_product";
    case Kernel::dense_narrow_skip_zero: return "dense_narrow_skip_zero";
    case Kernel::dense_skip_zero_rows: return "dense_skip_zero_rows";
    case Kernel::dense_int8_pairs: return "dense_int8_pairs";
    case Kernel::dense_sparse_products: return "dense_sparse_products";
    case Kernel::dense_narrow_sparse_products: return "dense_narrow_sparse_products";
    case Kernel::relu: return "relu";
    case Kernel::relu_backward: return "relu_backward";
    case Kernel::maxpool_with_winners: return "maxpool_with_winners";
    case Kernel::maxpool: return "maxpool";
    case Kernel::maxpool_then_relu: return "maxpool_then_relu";
    case Kernel::maxpool_backward: return "maxpool_backward";
    case Kernel::dropout: return "dropout";
    case Kernel::dropout_backward: return "dropout_backward";
    case Kernel::identity: return "identity";
  }
  return "";
}

std::vector<std::string> Plan::describe(const std::vector<std::string>& layer_names) const {
  std::vector<std::string> lines;
  for (const PlanStep& step : steps) {
    std::string layers = layer_names[step.first];
    for (int k = 1; k < step.covers; ++k) layers += "+" + layer_names[step.first + k];
    std::string line = layers + " forward " + kernel_name(step.forward);
    if (step.backward != Kernel::none) line += "; backward " + std::string(kernel_name(step.backward));
    lines.push_back(line);
  }
  return lines;
}

}  // namespace mnist

#include "model/kernel_choice.h"

namespace mnist {

Purpose purpose_of(bool training, int B, bool prepared) {
  if (training) return Purpose::train;
  return prepared && B < kOneDrawingBelow ? Purpose::predict_one : Purpose::predict_batch;
}

Kernel choose_conv_forward(Purpose purpose, int in_channels, bool relu_and_pool_follow) {
  if (in_channels > 1) return Kernel::conv3x3_winograd_f4x3;
  if (purpose != Purpose::train && relu_and_pool_follow) return Kernel::conv3x3_c1_relu_pool;
  return Kernel::conv3x3_c1_direct;
}

Kernel choose_conv_backward() { return Kernel::conv3x3_im2col_products; }

Kernel choose_dense_forward(Purpose purpose, long long weights, int outputs, bool reads_image, bool prepared) {
  if (purpose == Purpose::predict_one && prepared) {
    return weights >= kInt8WeightsFrom ? Kernel::dense_int8_pairs : Kernel::dense_skip_zero_rows;
  }
  if (outputs <= kNarrowMaxOutputs && reads_image) return Kernel::dense_narrow_skip_zero;
  return Kernel::dense_product;
}

Kernel choose_dense_backward(int outputs, bool reads_image) {
  return outputs <= kNarrowMaxOutputs && reads_image ? Kernel::dense_narrow_sparse_products
                                                     : Kernel::dense_sparse_products;
}

Kernel choose_pool_forward(Purpose purpose, bool relu_precedes) {
  if (purpose == Purpose::train) return Kernel::maxpool_with_winners;
  return relu_precedes ? Kernel::maxpool_then_relu : Kernel::maxpool;
}

Kernel choose_dropout_forward(Purpose purpose, float keep_prob) {
  return purpose == Purpose::train && keep_prob < 1.0f ? Kernel::dropout : Kernel::identity;
}

Kernel choose_dropout_backward(float keep_prob) {
  return keep_prob < 1.0f ? Kernel::dropout_backward : Kernel::identity;
}

ProductKernel choose_product(int M, int N, int K, bool rows_contiguous) {
#ifdef MNIST_GEMM_SIMD128
  const bool few_tiles = M < kDotProductRowsBelow || (N < kDotProductColumnsBelow && K >= kDotProductMinDepth);
  return rows_contiguous && few_tiles ? ProductKernel::dot_products_simd128 : ProductKernel::packed_simd128;
#else
  (void)M, (void)N, (void)K, (void)rows_contiguous;
  return ProductKernel::eigen;
#endif
}

bool sparse_product_pays(long long entries, long long size) {
  return static_cast<double>(entries) <= kSparseMaxDensity * static_cast<double>(size);
}

}  // namespace mnist

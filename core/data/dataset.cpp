#include "data/dataset.h"

#include <algorithm>
#include <numeric>

#include "kernels/elementwise.h"

namespace mnist {

Dataset Dataset::slice(int begin, int end) const {
  Dataset out;
  out.count = end - begin;
  out.rows = rows;
  out.cols = cols;
  out.pixels.assign(image(begin),
                    image(begin) + static_cast<std::size_t>(out.count) * image_size());
  out.labels.assign(labels.begin() + begin, labels.begin() + end);
  return out;
}

Result<Dataset> make_dataset(IdxImages images, IdxLabels labels, const std::string& what) {
  Status pair = check_idx_pair(images, labels, what);
  if (!pair) return pair;
  Dataset data;
  data.count = images.count;
  data.rows = images.rows;
  data.cols = images.cols;
  data.pixels = std::move(images.pixels);
  data.labels = std::move(labels.labels);
  return data;
}

MnistData split_mnist(Dataset train_file, Dataset test_file, int validation_size) {
  MnistData data;
  validation_size = std::clamp(validation_size, 0, train_file.count - 1);
  data.validation = train_file.slice(0, validation_size);
  data.train = train_file.slice(validation_size, train_file.count);
  data.test = std::move(test_file);
  return data;
}

void image_to_floats(const Dataset& data, int i, float* out) {
  const std::uint8_t* src = data.image(i);
  kernels::f32_from_u8_simd128(out, src, 1.0f / 255.0f, data.image_size());
}

void touch_images(const Dataset& data, const int* indices, int count) {
  constexpr int kCacheLine = 64;
  const int size = data.image_size();
  unsigned sum = 0;
  for (int b = 0; b < count; ++b) {
    const std::uint8_t* image = data.image(indices[b]);
    for (int offset = 0; offset < size; offset += kCacheLine) sum += image[offset];
    sum += image[size - 1];
  }
  // A store the compiler must keep, so it keeps the loads.
  volatile unsigned sink = sum;
  (void)sink;
}

Batcher::Batcher(const Dataset& data, std::uint64_t seed) : data_(data), rng_(seed, 11) {
  order_.resize(data.count);
  reshuffle();
}

void Batcher::reshuffle() {
  std::iota(order_.begin(), order_.end(), 0);
  // Fisher-Yates with our own generator, identical in every build.
  for (std::size_t i = order_.size(); i > 1; --i) {
    std::swap(order_[i - 1], order_[rng_.below(static_cast<std::uint32_t>(i))]);
  }
  cursor_ = 0;
  ++epochs_;
}

Status Batcher::restore(const BatcherState& s) {
  if (s.order.size() != order_.size() || s.cursor > s.order.size()) {
    return Status::error("the saved batch order is for " + std::to_string(s.order.size()) + " examples, not " +
                         std::to_string(order_.size()));
  }
  std::vector<std::uint8_t> seen(order_.size(), 0);
  for (int i : s.order) {
    if (i < 0 || std::size_t(i) >= seen.size() || seen[i]++) return Status::error("the saved batch order is damaged");
  }
  rng_.restore(s.rng);
  order_ = s.order;
  cursor_ = s.cursor;
  epochs_ = s.epochs;
  return Status::ok();
}

void Batcher::next(int B, std::vector<int>& indices) {
  indices.resize(B);
  for (int b = 0; b < B; ++b) {
    if (cursor_ == order_.size()) reshuffle();
    indices[b] = order_[cursor_++];
  }
}

}  // namespace mnist

#include "ops/softmax_cross_entropy.h"

#include <cmath>
#include <cstddef>

#include "kernels/exp.h"

namespace mnist {

namespace {

float row_max(const float* row, int K) {
  float max = row[0];
  for (int k = 1; k < K; ++k) max = row[k] > max ? row[k] : max;
  return max;
}

// probs (B,K) = softmax of each row of logits, shifted by the row's max; the
// exponentials of all rows in one call of the SIMD kernel. For each row
// b, on_row(b, log(sum(exp(row - max))) + max).
template <typename OnRow>
void softmax_rows(float* probs, const float* logits, int B, int K, OnRow&& on_row) {
  for (int b = 0; b < B; ++b) {
    const float* row = logits + static_cast<std::size_t>(b) * K;
    float* p = probs + static_cast<std::size_t>(b) * K;
    const float max = row_max(row, K);
    for (int k = 0; k < K; ++k) p[k] = row[k] - max;
  }
  kernels::f32_exp_simd128(probs, probs, static_cast<std::size_t>(B) * K);
  for (int b = 0; b < B; ++b) {
    float* p = probs + static_cast<std::size_t>(b) * K;
    double sum = 0.0;
    for (int k = 0; k < K; ++k) sum += p[k];
    const float inv = static_cast<float>(1.0 / sum);
    for (int k = 0; k < K; ++k) p[k] *= inv;
    on_row(b, std::log(sum) + row_max(logits + static_cast<std::size_t>(b) * K, K));
  }
}

}  // namespace

void softmax_forward(float* probs, const float* logits, int B, int K) {
  softmax_rows(probs, logits, B, K, [](int, double) {});
}

namespace {

// The target's weight on class k for an example labelled `label`.
inline float target(int k, std::uint8_t label, int K, float smoothing) {
  if (label == kNoClass) return 1.0f / K;
  return (k == label ? 1.0f - smoothing : 0.0f) + smoothing / K;
}

}  // namespace

float softmax_cross_entropy_forward(float* probs, const float* logits, const std::uint8_t* labels,
                                    int B, int K, float smoothing) {
  double total = 0.0;
  softmax_rows(probs, logits, B, K, [&](int b, double log_sum) {
    const float* row = logits + static_cast<std::size_t>(b) * K;
    if (labels[b] != kNoClass && smoothing == 0.0f) {
      total += log_sum - row[labels[b]];
      return;
    }
    // -sum(t log p) = log_sum - sum(t * logit), as the targets sum to 1.
    double dot = 0.0;
    for (int k = 0; k < K; ++k) dot += target(k, labels[b], K, smoothing) * row[k];
    total += log_sum - dot;
  });
  return static_cast<float>(total / B);
}

void softmax_cross_entropy_backward(float* dlogits, const float* probs, const std::uint8_t* labels,
                                    int B, int K, float smoothing) {
  const float inv_b = 1.0f / static_cast<float>(B);
  for (int b = 0; b < B; ++b) {
    const std::size_t row = static_cast<std::size_t>(b) * K;
    for (int k = 0; k < K; ++k) {
      dlogits[row + k] += (probs[row + k] - target(k, labels[b], K, smoothing)) * inv_b;
    }
  }
}

}  // namespace mnist

#include "ops/softmax_cross_entropy.h"

#include <cmath>
#include <cstddef>

namespace mnist {

namespace {

// Writes softmax of one row and returns log(sum(exp(row - max))) + max.
double softmax_row(float* probs, const float* logits, int K) {
  float max = logits[0];
  for (int k = 1; k < K; ++k) max = logits[k] > max ? logits[k] : max;
  double sum = 0.0;
  for (int k = 0; k < K; ++k) {
    probs[k] = std::exp(logits[k] - max);
    sum += probs[k];
  }
  const float inv = static_cast<float>(1.0 / sum);
  for (int k = 0; k < K; ++k) probs[k] *= inv;
  return std::log(sum) + max;
}

}  // namespace

void softmax_forward(float* probs, const float* logits, int B, int K) {
  for (int b = 0; b < B; ++b) {
    softmax_row(probs + static_cast<std::size_t>(b) * K, logits + static_cast<std::size_t>(b) * K,
                K);
  }
}

float softmax_cross_entropy_forward(float* probs, const float* logits, const std::uint8_t* labels,
                                    int B, int K) {
  double total = 0.0;
  for (int b = 0; b < B; ++b) {
    const float* row = logits + static_cast<std::size_t>(b) * K;
    const double log_sum = softmax_row(probs + static_cast<std::size_t>(b) * K, row, K);
    total += log_sum - row[labels[b]];
  }
  return static_cast<float>(total / B);
}

void softmax_cross_entropy_backward(float* dlogits, const float* probs, const std::uint8_t* labels,
                                    int B, int K) {
  const float inv_b = 1.0f / static_cast<float>(B);
  for (int b = 0; b < B; ++b) {
    const std::size_t row = static_cast<std::size_t>(b) * K;
    for (int k = 0; k < K; ++k) {
      const float target = (k == labels[b]) ? 1.0f : 0.0f;
      dlogits[row + k] += (probs[row + k] - target) * inv_b;
    }
  }
}

}  // namespace mnist

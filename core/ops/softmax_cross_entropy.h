// Fused softmax + cross-entropy, the loss of every model here. Fused because
// the gradient of the pair is simply (probs - onehot) / B, and computing the
// loss as logsumexp(logits) - logit[label] never takes log(0).
#pragma once

#include <cstdint>

namespace mnist {

// probs (B,K) = softmax(logits (B,K)) along K, shifted by the row max.
void softmax_forward(float* probs, const float* logits, int B, int K);

// A label that is no class: its target is the uniform distribution (an
// example that is not a digit, which a model should not be sure of).
inline constexpr std::uint8_t kNoClass = 255;

// The target of an example: 1 - smoothing on its label and smoothing / K on
// every class (label smoothing), or 1/K everywhere for kNoClass.
// probs (B,K) as above; returns the batch mean of -sum(target * log p).
// labels (B).
float softmax_cross_entropy_forward(float* probs, const float* logits,
                                    const std::uint8_t* labels, int B, int K, float smoothing = 0.0f);

// dlogits (B,K) += (probs - target) / B
void softmax_cross_entropy_backward(float* dlogits, const float* probs,
                                    const std::uint8_t* labels, int B, int K, float smoothing = 0.0f);

}  // namespace mnist

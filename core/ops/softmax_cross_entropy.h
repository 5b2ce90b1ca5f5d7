// Fused softmax + cross-entropy, the loss of every model here. Fused because
// the gradient of the pair is simply (probs - onehot) / B, and computing the
// loss as logsumexp(logits) - logit[label] never takes log(0).
#pragma once

#include <cstdint>

namespace mnist {

// probs (B,K) = softmax(logits (B,K)) along K, shifted by the row max.
void softmax_forward(float* probs, const float* logits, int B, int K);

// probs (B,K) as above; returns the batch mean of -log p[label]. labels (B).
float softmax_cross_entropy_forward(float* probs, const float* logits,
                                    const std::uint8_t* labels, int B, int K);

// dlogits (B,K) += (probs - onehot(labels)) / B
void softmax_cross_entropy_backward(float* dlogits, const float* probs,
                                    const std::uint8_t* labels, int B, int K);

}  // namespace mnist

#include "train/evaluator.h"

#include <algorithm>

#include "ops/softmax_cross_entropy.h"

namespace mnist {

Evaluation evaluate(Model& model, const Dataset& data, int batch, int limit) {
  const int K = model.num_classes();
  const int n = limit > 0 ? std::min(limit, data.count) : data.count;
  Evaluation ev;
  ev.count = n;
  ev.num_classes = K;
  ev.confusion.assign(static_cast<std::size_t>(K) * K, 0);
  ev.guesses.resize(n);
  std::vector<float> x(static_cast<std::size_t>(batch) * data.image_size());
  std::vector<float> probs(static_cast<std::size_t>(batch) * K);
  double loss_sum = 0.0;
  int correct = 0;
  for (int start = 0; start < n; start += batch) {
    const int B = std::min(batch, n - start);
    for (int b = 0; b < B; ++b) {
      image_to_floats(data, start + b, x.data() + static_cast<std::size_t>(b) * data.image_size());
    }
    const Tensor& logits = model.forward(x.data(), B, false);
    loss_sum += static_cast<double>(softmax_cross_entropy_forward(
                    probs.data(), logits.ptr(), data.labels.data() + start, B, K)) * B;
    for (int b = 0; b < B; ++b) {
      const float* p = probs.data() + static_cast<std::size_t>(b) * K;
      const int guess = static_cast<int>(std::max_element(p, p + K) - p);
      const int truth = data.labels[start + b];
      ev.guesses[start + b] = static_cast<std::uint8_t>(guess);
      ev.confusion[truth * K + guess] += 1;
      correct += guess == truth;
    }
  }
  ev.accuracy = n ? static_cast<double>(correct) / n : 0.0;
  ev.loss = n ? loss_sum / n : 0.0;
  return ev;
}

}  // namespace mnist

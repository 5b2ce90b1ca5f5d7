#include "api/recognizer.h"

#include <algorithm>

#include "io/model_file.h"

namespace mnist {

Result<std::unique_ptr<Recognizer>> Recognizer::load(std::span<const std::uint8_t> model_file) {
  auto model = load_model(model_file);
  if (!model) return model.status();
  if (model.value()->input_size() != kInputSide * kInputSide) {
    return Status::error("this model takes " + std::to_string(model.value()->input_size()) +
                         " inputs, not 28x28 images");
  }
  model.value()->prepare_inference();  // int8 dense weights; zero inputs not read
  return std::unique_ptr<Recognizer>(new Recognizer(std::move(model.value())));
}

Result<std::vector<float>> Recognizer::predict(std::span<const float> input) {
  const std::size_t per_image = model_->input_size();
  if (input.empty() || input.size() % per_image != 0) {
    return Status::error("predict needs " + std::to_string(per_image) +
                         " values per image, got " + std::to_string(input.size()));
  }
  const int images = static_cast<int>(input.size() / per_image);
  std::vector<float> probs(static_cast<std::size_t>(images) * model_->num_classes());
  model_->predict(input.data(), images, probs.data());
  return probs;
}

Result<Recognition> Recognizer::recognize(std::span<const std::uint8_t> rgba, int width, int height,
                                          PreprocessRecipe recipe) {
  auto input = preprocess_image(rgba, width, height, 4, recipe);
  if (!input) return input.status();
  Recognition r;
  r.empty = input.value().empty;
  r.input = input.value().pixels;
  r.probabilities.assign(model_->num_classes(), 0.0f);
  if (r.empty) return r;
  model_->predict(r.input.data(), 1, r.probabilities.data());
  r.digit = static_cast<int>(std::max_element(r.probabilities.begin(), r.probabilities.end()) -
                             r.probabilities.begin());
  return r;
}

std::string Recognizer::spec() const { return format_spec(model_->spec()); }

}  // namespace mnist

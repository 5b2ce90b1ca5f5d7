#include "api/recognizer.h"

#include <algorithm>

#include "io/model_file.h"
#include "io/onnx_file.h"

namespace mnist {

Result<std::unique_ptr<Recognizer>> Recognizer::load(std::span<const std::uint8_t> model_file) {
  auto model = load_any_model(model_file);
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

DigitClassifier Recognizer::classifier() {
  return [this](const float* inputs, int count, float* probabilities) {
    const std::size_t in = model_->input_size(), out = model_->num_classes();
    for (int i = 0; i < count; ++i) model_->predict(inputs + i * in, 1, probabilities + i * out);
  };
}

Result<SheetReading> Recognizer::read_image(std::span<const std::uint8_t> pixels, int width, int height,
                                            int channels) {
  return read_numbers_in_image(pixels, width, height, channels, num_classes(), classifier());
}

Result<NumberReading> Recognizer::read_strokes(std::span<const float> points, std::span<const int> lengths) {
  auto strokes = strokes_from_arrays(points, lengths);
  if (!strokes) return strokes.status();
  return read_number_in_strokes(strokes.value(), num_classes(), classifier());
}

std::string Recognizer::spec() const { return format_spec(model_->spec()); }

}  // namespace mnist

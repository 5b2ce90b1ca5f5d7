// The engine's face to the outside for recognition: a loaded model plus the
// C++ preprocessing, in one object the WebAssembly bindings wrap one-to-one
// (wasm_bindings/ adds no logic; native tests cover this class).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "model/model.h"
#include "preprocess/number_reader.h"
#include "preprocess/preprocess.h"
#include "preprocess/sheet_reader.h"
#include "status.h"

namespace mnist {

struct Recognition {
  bool empty = true;                 // no ink: no digit, probabilities all 0
  int digit = -1;                    // -1 when empty
  std::vector<float> probabilities;  // (K)
  std::array<float, kInputSide * kInputSide> input{};  // (28,28): what the network saw
};

class Recognizer {
 public:
  // Validates the model file (see io/model_file.h) and checks it takes 28x28.
  static Result<std::unique_ptr<Recognizer>> load(std::span<const std::uint8_t> model_file);

  // rgba (height, width, 4) -> preprocessing -> probabilities.
  Result<Recognition> recognize(std::span<const std::uint8_t> rgba, int width, int height,
                                PreprocessRecipe recipe = PreprocessRecipe::mnist);
  // Every number in an image (h,w,channels), a sheet seen at an angle
  // straightened first; boxes in image pixels.
  Result<SheetReading> read_image(std::span<const std::uint8_t> pixels, int width, int height, int channels);
  // A number of 1 to kMaxDigits digits in strokes drawn on the pad (points
  // (P,2) in pad units, lengths (S) points per stroke); boxes in pad units.
  Result<NumberReading> read_strokes(std::span<const float> points, std::span<const int> lengths);
  // The model as the number reader's classifier: one image at a time, the
  // path a single drawing takes, so a number's digits read as they would alone.
  DigitClassifier classifier();

  // input (N,28,28) floats in [0,1], light ink on black, for N >= 1 images ->
  // probabilities (N,K).
  Result<std::vector<float>> predict(std::span<const float> input);

  std::string spec() const;
  int num_classes() const { return model_->num_classes(); }
  Model& model() { return *model_; }

 private:
  explicit Recognizer(std::unique_ptr<Model> model) : model_(std::move(model)) {}
  std::unique_ptr<Model> model_;
};

}  // namespace mnist

// Embind glue only: every function here converts JS values to spans, calls the
// facade in core/api/, and converts the result back. No logic lives here.
//
// Buffers cross the boundary whole: a typed array is copied into wasm memory
// with one TypedArray.set, and results come back as fresh JS arrays (slices),
// never as views into wasm memory, which memory growth would detach.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <string>
#include <vector>

#include "api/recognizer.h"

using emscripten::val;

namespace {

template <typename T>
std::vector<T> copy_from_js(const val& typed_array) {
  std::vector<T> out(typed_array["length"].as<std::size_t>());
  val view(emscripten::typed_memory_view(out.size(), out.data()));
  view.call<void>("set", typed_array);
  return out;
}

template <typename T>
val copy_to_js(const T* data, std::size_t n) {
  return val(emscripten::typed_memory_view(n, data)).call<val>("slice");
}

val error_object(const std::string& message) {
  val out = val::object();
  out.set("error", message);
  return out;
}

// One model for recognition. JS owns it and must call delete() (web/engine.js does).
class WasmRecognizer {
 public:
  // Returns "" when the model loaded, else the reason it was rejected.
  std::string load(const val& model_bytes) {
    auto bytes = copy_from_js<std::uint8_t>(model_bytes);
    auto loaded = mnist::Recognizer::load(bytes);
    if (!loaded) return loaded.message();
    recognizer_ = std::move(loaded.value());
    return "";
  }

  bool loaded() const { return recognizer_ != nullptr; }
  std::string spec() const { return recognizer_ ? recognizer_->spec() : ""; }

  // {empty, digit, probabilities: Float32Array(K), input: Float32Array(784)} or {error}.
  val recognize(const val& rgba, int width, int height, const std::string& recipe_name) {
    if (!recognizer_) return error_object("no model loaded");
    auto recipe = mnist::parse_recipe(recipe_name);
    if (!recipe) return error_object(recipe.message());
    auto pixels = copy_from_js<std::uint8_t>(rgba);
    auto r = recognizer_->recognize(pixels, width, height, recipe.value());
    if (!r) return error_object(r.message());
    val out = val::object();
    out.set("empty", r.value().empty);
    out.set("digit", r.value().digit);
    out.set("probabilities", copy_to_js(r.value().probabilities.data(), r.value().probabilities.size()));
    out.set("input", copy_to_js(r.value().input.data(), r.value().input.size()));
    return out;
  }

  // Float32Array(784) -> {probabilities: Float32Array(K)} or {error}.
  val predict(const val& input) {
    if (!recognizer_) return error_object("no model loaded");
    auto x = copy_from_js<float>(input);
    auto probs = recognizer_->predict(x);
    if (!probs) return error_object(probs.message());
    val out = val::object();
    out.set("probabilities", copy_to_js(probs.value().data(), probs.value().size()));
    return out;
  }

 private:
  std::unique_ptr<mnist::Recognizer> recognizer_;
};

// Preprocessing alone (no model): {empty, input: Float32Array(784)} or {error}.
val preprocess_rgba(const val& rgba, int width, int height, const std::string& recipe_name) {
  auto recipe = mnist::parse_recipe(recipe_name);
  if (!recipe) return error_object(recipe.message());
  auto pixels = copy_from_js<std::uint8_t>(rgba);
  auto r = mnist::preprocess_image(pixels, width, height, 4, recipe.value());
  if (!r) return error_object(r.message());
  val out = val::object();
  out.set("empty", r.value().empty);
  out.set("input", copy_to_js(r.value().pixels.data(), r.value().pixels.size()));
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(mnist_engine) {
  emscripten::class_<WasmRecognizer>("Recognizer")
      .constructor<>()
      .function("load", &WasmRecognizer::load)
      .function("loaded", &WasmRecognizer::loaded)
      .function("spec", &WasmRecognizer::spec)
      .function("recognize", &WasmRecognizer::recognize)
      .function("predict", &WasmRecognizer::predict);
  emscripten::function("preprocessRgba", &preprocess_rgba);
  emscripten::constant("INPUT_SIDE", mnist::kInputSide);  // must match web/constants.js
}

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
#include "api/training_session.h"
#include "io/onnx_file.h"
#include "parallel/thread_pool.h"

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

val box_to_js(const mnist::Box& b) {
  val box = val::array();
  for (float v : {b.x0, b.y0, b.width(), b.height()}) box.call<void>("push", v);
  return box;
}

// {number, message, box: [x, y, w, h], digits: [{digit, box, probabilities:
// Float32Array(K), input: Float32Array(784)}]}, in reading order.
val reading_to_js(const mnist::NumberReading& r) {
  val out = val::object();
  out.set("number", r.text());
  out.set("message", r.message);
  out.set("box", box_to_js(r.box));
  val digits = val::array();
  for (const mnist::ReadDigit& d : r.digits) {
    val digit = val::object();
    digit.set("digit", d.digit);
    digit.set("box", box_to_js(d.box));
    digit.set("probabilities", copy_to_js(d.probabilities.data(), d.probabilities.size()));
    digit.set("input", copy_to_js(d.input.pixels.data(), d.input.pixels.size()));
    digits.call<void>("push", digit);
  }
  out.set("digits", digits);
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

  // Every number in an RGBA image (boxes in its pixels): the first number's
  // reading (as for strokes) with numbers: [reading...] in reading order,
  // sheet: [[x, y] x4] when a sheet was straightened; or {error}.
  val read_image(const val& rgba, int width, int height) {
    if (!recognizer_) return error_object("no model loaded");
    auto pixels = copy_from_js<std::uint8_t>(rgba);
    auto r = recognizer_->read_image(pixels, width, height, 4);
    if (!r) return error_object(r.message());
    const mnist::SheetReading& sheet = r.value();
    val numbers = val::array();
    for (const mnist::NumberReading& n : sheet.numbers) numbers.call<void>("push", reading_to_js(n));
    // The first number's fields at the top, converted once: a shallow copy.
    val out = val::global("Object").call<val>("assign", val::object(),
                                              sheet.numbers.empty() ? reading_to_js({}) : numbers[0]);
    out.set("message", sheet.message);
    out.set("numbers", numbers);
    if (sheet.sheet == mnist::SheetKind::straightened) {
      val corners = val::array();
      for (const mnist::Point& p : sheet.corners) {
        val xy = val::array();
        xy.call<void>("push", p.x);
        xy.call<void>("push", p.y);
        corners.call<void>("push", xy);
      }
      out.set("sheet", corners);
    }
    return out;
  }

  // The number in strokes: points Float32Array(2P) of x, y in pad units,
  // lengths Int32Array(S) of points per stroke (box in pad units), or {error}.
  val read_strokes(const val& points, const val& lengths) {
    if (!recognizer_) return error_object("no model loaded");
    auto r = recognizer_->read_strokes(copy_from_js<float>(points), copy_from_js<int>(lengths));
    if (!r) return error_object(r.message());
    const val reading = reading_to_js(r.value());
    val numbers = val::array();
    if (!r.value().digits.empty()) numbers.call<void>("push", reading);
    val out = val::global("Object").call<val>("assign", val::object(), reading);  // no cycle through numbers
    out.set("numbers", numbers);
    return out;
  }

  // Float32Array(N*784) -> {probabilities: Float32Array(N*K)} or {error}.
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

// A model file (the engine's or ONNX) -> Uint8Array of the ONNX file, or {error}.
val export_onnx(const val& model_file) {
  auto model = mnist::load_any_model(copy_from_js<std::uint8_t>(model_file));
  if (!model) return error_object(model.message());
  const auto bytes = mnist::save_onnx(*model.value());
  return copy_to_js(bytes.data(), bytes.size());
}

// The person's digits from IDX files (already decompressed): {count,
// pixels: Uint8Array(count*784), labels: Uint8Array(count)} or {error}. Only
// 28x28 digits with labels 0-9, at most mnist::kMaxOwnDigits of them.
val read_idx_digits(const val& images, const val& labels) {
  auto im = mnist::parse_idx_images(copy_from_js<std::uint8_t>(images), "the images file");
  if (!im) return error_object(im.message());
  auto lb = mnist::parse_idx_labels(copy_from_js<std::uint8_t>(labels), "the labels file");
  if (!lb) return error_object(lb.message());
  if (mnist::Status pair = mnist::check_idx_pair(im.value(), lb.value(), "these files"); !pair) {
    return error_object(pair.message());
  }
  if (im.value().rows != mnist::kInputSide || im.value().cols != mnist::kInputSide) {
    return error_object("the images are " + std::to_string(im.value().rows) + "x" + std::to_string(im.value().cols) +
                        " pixels; digits here are " + std::to_string(mnist::kInputSide) + "x" +
                        std::to_string(mnist::kInputSide));
  }
  if (im.value().count > mnist::kMaxOwnDigits) {
    return error_object("these files hold " + std::to_string(im.value().count) + " digits; at most " +
                        std::to_string(mnist::kMaxOwnDigits) + " can be kept");
  }
  val out = val::object();
  out.set("count", im.value().count);
  out.set("pixels", copy_to_js(im.value().pixels.data(), im.value().pixels.size()));
  out.set("labels", copy_to_js(lb.value().labels.data(), lb.value().labels.size()));
  return out;
}

// Training, driven by the Web Worker in time slices. The worker keeps one
// for its whole life (its memory goes when the page terminates the worker).
class WasmTrainingSession {
 public:
  std::string set_training_data(const val& images, const val& labels) {
    return session_.set_training_data(copy_from_js<std::uint8_t>(images), copy_from_js<std::uint8_t>(labels))
        .message();
  }
  std::string set_test_data(const val& images, const val& labels) {
    return session_.set_test_data(copy_from_js<std::uint8_t>(images), copy_from_js<std::uint8_t>(labels))
        .message();
  }

  // config: {steps, epochs, batch, learningRate, optimizer, seed, augment,
  // validateEvery, validationLimit} and, optional, {schedule, warmupSteps,
  // finalLrFraction, labelSmoothing, weightAverage, elastic, nonDigitFraction,
  // regionalStyles, initializer ("tutorial" or "he"), dropout (a rate)}.
  std::string start(const std::string& model, const val& config) {
    auto optional = [&](const char* name, double fallback) {
      const val v = config[name];
      return v.isUndefined() || v.isNull() ? fallback : v.as<double>();
    };
    mnist::TrainConfig c;
    c.steps = config["steps"].as<int>();
    c.epochs = config["epochs"].as<int>();
    c.batch = config["batch"].as<int>();
    c.learning_rate = config["learningRate"].as<float>();
    auto optimizer = mnist::parse_optimizer(config["optimizer"].as<std::string>());
    if (!optimizer) return optimizer.message();
    c.optimizer = optimizer.value();
    const val schedule = config["schedule"];
    if (!schedule.isUndefined()) {
      auto parsed = mnist::parse_schedule(schedule.as<std::string>());
      if (!parsed) return parsed.message();
      c.schedule = parsed.value();
    }
    c.warmup_steps = static_cast<int>(optional("warmupSteps", 0));
    c.final_lr_fraction = static_cast<float>(optional("finalLrFraction", 0));
    c.label_smoothing = static_cast<float>(optional("labelSmoothing", 0));
    c.weight_average = static_cast<float>(optional("weightAverage", 0));
    c.seed = static_cast<std::uint64_t>(config["seed"].as<double>());
    c.augment.enabled = config["augment"].as<bool>();
    c.augment.elastic = static_cast<float>(optional("elastic", 0));
    c.augment.non_digit_fraction = static_cast<float>(optional("nonDigitFraction", 0));
    c.augment.regional_styles = static_cast<float>(optional("regionalStyles", 0));
    c.validate_every = config["validateEvery"].as<int>();
    c.validation_limit = config["validationLimit"].as<int>();
    mnist::SpecChoices choices;
    const val initializer = config["initializer"];
    if (!initializer.isUndefined()) choices.initializer = initializer.as<std::string>();
    choices.dropout = static_cast<float>(optional("dropout", -1));
    return session_.start(model, choices, c).message();
  }

  int train_count() const { return session_.train_count(); }
  int test_count() const { return session_.test_count(); }
  std::string run_for(int max_steps, double budget_ms) { return session_.run_for(max_steps, budget_ms).message(); }

  val progress() const {
    const mnist::TrainProgress& p = session_.progress();
    val out = val::object();
    out.set("step", p.step);
    out.set("totalSteps", p.total_steps);
    out.set("loss", p.loss);
    out.set("batchAccuracy", p.batch_accuracy);
    out.set("validationAccuracy", p.validation_accuracy);
    out.set("validatedThisStep", p.validated_this_step);
    out.set("imagesPerSecond", p.images_per_second);
    out.set("elapsedSeconds", p.elapsed_seconds);
    out.set("validationSeconds", p.validation_seconds);
    out.set("finished", session_.finished());
    return out;
  }

  // {accuracy, loss, count, confusion: Int32Array(K*K), guesses: Uint8Array(count)}
  val evaluate_test() {
    const mnist::Evaluation ev = session_.evaluate_test();
    val out = val::object();
    out.set("accuracy", ev.accuracy);
    out.set("loss", ev.loss);
    out.set("count", ev.count);
    out.set("confusion", copy_to_js(ev.confusion.data(), ev.confusion.size()));
    out.set("guesses", copy_to_js(ev.guesses.data(), ev.guesses.size()));
    return out;
  }

  val save() {
    auto bytes = session_.save();
    return copy_to_js(bytes.data(), bytes.size());
  }
  val softmax_weights() {
    auto w = session_.softmax_weights();
    return copy_to_js(w.data(), w.size());
  }
  // Test image i (rows*cols bytes) and its label, for the gallery of mistakes.
  val test_example(int i) {
    const mnist::Dataset& t = session_.test_set();
    if (i < 0 || i >= t.count) return val::null();
    val out = val::object();
    out.set("pixels", copy_to_js(t.image(i), static_cast<std::size_t>(t.image_size())));
    out.set("label", static_cast<int>(t.labels[i]));
    out.set("rows", t.rows);
    out.set("cols", t.cols);
    return out;
  }

  // Adapting a model (file bytes) to the person's digits (Uint8Array(N*784)
  // and Uint8Array(N) labels); config: {steps, batch, learningRate, ownShare,
  // replayCount, folds, seed}, any left out as the engine's defaults.
  std::string start_adaptation(const val& model_file, const val& pixels, const val& labels, const val& config) {
    mnist::AdaptConfig c;
    auto optional = [&](const char* name, double fallback) {
      const val v = config[name];
      return v.isUndefined() || v.isNull() ? fallback : v.as<double>();
    };
    c.steps = static_cast<int>(optional("steps", c.steps));
    c.batch = static_cast<int>(optional("batch", c.batch));
    c.learning_rate = static_cast<float>(optional("learningRate", c.learning_rate));
    c.own_share = static_cast<float>(optional("ownShare", c.own_share));
    c.replay_count = static_cast<int>(optional("replayCount", c.replay_count));
    c.folds = static_cast<int>(optional("folds", c.folds));
    c.seed = static_cast<std::uint64_t>(optional("seed", 1));
    return session_
        .start_adaptation(copy_from_js<std::uint8_t>(model_file), copy_from_js<std::uint8_t>(pixels),
                          copy_from_js<std::uint8_t>(labels), c)
        .message();
  }
  std::string adapt_for(double budget_ms) { return session_.adapt_for(budget_ms).message(); }
  // {run, runs, step, totalSteps, elapsedSeconds, finished, samples, before, after}
  val adaptation_progress() const {
    const mnist::AdaptProgress p = session_.adaptation_progress();
    const mnist::AdaptReport r = session_.adaptation_report();
    val out = val::object();
    out.set("run", p.run);
    out.set("runs", p.runs);
    out.set("step", p.step);
    out.set("totalSteps", p.total_steps);
    out.set("elapsedSeconds", p.elapsed_seconds);
    out.set("finished", session_.adaptation_finished());
    out.set("samples", r.samples);
    out.set("before", r.before());
    out.set("after", r.after());
    return out;
  }
  double test_accuracy_of(const val& model_file) {
    return session_.evaluate_test_of(copy_from_js<std::uint8_t>(model_file)).accuracy;
  }
  val save_adapted() {
    auto bytes = session_.save_adapted();
    return copy_to_js(bytes.data(), bytes.size());
  }
  void end_adaptation() { session_.end_adaptation(); }

 private:
  mnist::TrainingSession session_;
};

}  // namespace

EMSCRIPTEN_BINDINGS(mnist_engine) {
  emscripten::class_<WasmRecognizer>("Recognizer")
      .constructor<>()
      .function("load", &WasmRecognizer::load)
      .function("loaded", &WasmRecognizer::loaded)
      .function("spec", &WasmRecognizer::spec)
      .function("recognize", &WasmRecognizer::recognize)
      .function("readImage", &WasmRecognizer::read_image)
      .function("readStrokes", &WasmRecognizer::read_strokes)
      .function("predict", &WasmRecognizer::predict);
  emscripten::class_<WasmTrainingSession>("TrainingSession")
      .constructor<>()
      .function("setTrainingData", &WasmTrainingSession::set_training_data)
      .function("setTestData", &WasmTrainingSession::set_test_data)
      .function("trainCount", &WasmTrainingSession::train_count)
      .function("testCount", &WasmTrainingSession::test_count)
      .function("start", &WasmTrainingSession::start)
      .function("runFor", &WasmTrainingSession::run_for)
      .function("progress", &WasmTrainingSession::progress)
      .function("evaluateTest", &WasmTrainingSession::evaluate_test)
      .function("save", &WasmTrainingSession::save)
      .function("softmaxWeights", &WasmTrainingSession::softmax_weights)
      .function("testExample", &WasmTrainingSession::test_example)
      .function("startAdaptation", &WasmTrainingSession::start_adaptation)
      .function("adaptFor", &WasmTrainingSession::adapt_for)
      .function("adaptationProgress", &WasmTrainingSession::adaptation_progress)
      .function("testAccuracyOf", &WasmTrainingSession::test_accuracy_of)
      .function("saveAdapted", &WasmTrainingSession::save_adapted)
      .function("endAdaptation", &WasmTrainingSession::end_adaptation);
  emscripten::function("preprocessRgba", &preprocess_rgba);
  emscripten::function("readIdxDigits", &read_idx_digits);
  emscripten::function("exportOnnx", &export_onnx);
  // 1 in the single-threaded build; the threaded build's pthread pool size.
  emscripten::function("maxThreads", &mnist::parallel::max_threads);
  emscripten::function("setThreadCount", &mnist::parallel::set_thread_count);
  emscripten::function("threadCount", &mnist::parallel::thread_count);
  // The engine's limits, which the page's forms and views read from here
  // (web/engine.js: Engine.limits) rather than repeat.
  emscripten::constant("INPUT_SIDE", mnist::kInputSide);
  emscripten::constant("MAX_DIGITS", mnist::kMaxDigits);
  emscripten::constant("MAX_BATCH", mnist::kMaxBatch);
  emscripten::constant("MAX_STEPS", mnist::kMaxSteps);
  emscripten::constant("MAX_EPOCHS", mnist::kMaxEpochs);
  emscripten::constant("MAX_THREADS", mnist::parallel::kMaxThreads);
  emscripten::constant("MAX_OWN_DIGITS", mnist::kMaxOwnDigits);
  emscripten::constant("MIN_ADAPT_DIGITS", mnist::kMinAdaptSamples);
}

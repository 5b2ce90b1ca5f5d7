#include <algorithm>
#include <cstdio>

#include "api/recognizer.h"
#include "args.h"
#include "commands.h"
#include "data/mnist_files.h"
#include "image_file.h"
#include "preprocess/preprocess.h"

namespace mnist::cli {

namespace {

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\', out += c;
    else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else out += c;
  }
  return out + "\"";
}

std::string json_probabilities(const std::vector<float>& p) {
  std::string out = "[";
  char buf[32];
  for (std::size_t k = 0; k < p.size(); ++k) {
    std::snprintf(buf, sizeof buf, "%s%.6g", k ? "," : "", static_cast<double>(p[k]));
    out += buf;
  }
  return out + "]";
}

// The 28x28 inputs side by side, in a ramp of ten characters.
void print_ascii(const std::vector<const Preprocessed*>& inputs) {
  const char* ramp = " .:-=+*#%@";
  for (int y = 0; y < kInputSide; ++y) {
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      if (i) std::fputs("  ", stdout);
      for (int x = 0; x < kInputSide; ++x) {
        std::putchar(ramp[std::min(9, static_cast<int>(inputs[i]->pixels[y * kInputSide + x] * 9.99f))]);
      }
    }
    std::putchar('\n');
  }
}

// One line of JSON: the number, each digit with its box (x, y, w, h in the
// image's pixels) and probabilities; for one digit, digit and probabilities
// at the top level too, as for a single-digit reading.
void print_json(const std::string& path, const NumberReading& r, int classes) {
  std::printf("{\"file\":%s,\"number\":%s,\"digits\":[", json_string(path).c_str(), json_string(r.text()).c_str());
  for (std::size_t i = 0; i < r.digits.size(); ++i) {
    const ReadDigit& d = r.digits[i];
    std::printf("%s{\"digit\":%d,\"box\":[%.1f,%.1f,%.1f,%.1f],\"probabilities\":%s}", i ? "," : "", d.digit,
                d.box.x0, d.box.y0, d.box.width(), d.box.height(), json_probabilities(d.probabilities).c_str());
  }
  std::printf("]");
  if (r.digits.size() <= 1) {
    const std::vector<float> none(classes, 0.0f);
    if (r.digits.empty()) std::printf(",\"digit\":null");
    else std::printf(",\"digit\":%d", r.digits[0].digit);
    std::printf(",\"probabilities\":%s", json_probabilities(r.digits.empty() ? none : r.digits[0].probabilities).c_str());
  }
  if (!r.message.empty()) std::printf(",\"message\":%s", json_string(r.message).c_str());
  std::printf("}\n");
}

void print_text(const std::string& path, const NumberReading& r) {
  if (r.digits.empty()) {
    std::printf("%s: empty (%s)\n", path.c_str(), r.message.empty() ? "no ink found" : r.message.c_str());
    return;
  }
  if (r.digits.size() == 1) {
    const ReadDigit& d = r.digits[0];
    std::printf("%s: %d (%.1f%%)  ", path.c_str(), d.digit, 100.0 * d.probabilities[d.digit]);
    for (std::size_t k = 0; k < d.probabilities.size(); ++k) std::printf(" %zu:%.3f", k, static_cast<double>(d.probabilities[k]));
  } else {
    std::printf("%s: %s  (", path.c_str(), r.text().c_str());
    for (std::size_t i = 0; i < r.digits.size(); ++i) {
      const ReadDigit& d = r.digits[i];
      std::printf("%s%d %.1f%%", i ? ", " : "", d.digit, 100.0 * d.probabilities[d.digit]);
    }
    std::printf(")");
  }
  if (!r.message.empty()) std::printf("  %s", r.message.c_str());
  std::printf("\n");
}

// The tutorial's recipe reads the whole image as one digit, as it always did.
NumberReading read_naive(Recognizer& recognizer, const DecodedImage& im, Status& status) {
  NumberReading r;
  auto input = preprocess_image(im.pixels, im.width, im.height, im.channels, PreprocessRecipe::naive);
  if (!input) {
    status = input.status();
    return r;
  }
  if (input.value().empty) return r;
  ReadDigit d;
  d.input = input.value();
  d.probabilities.assign(recognizer.num_classes(), 0.0f);
  recognizer.model().predict(d.input.pixels.data(), 1, d.probabilities.data());
  d.digit = static_cast<int>(std::max_element(d.probabilities.begin(), d.probabilities.end()) - d.probabilities.begin());
  d.box = {0, 0, float(im.width), float(im.height)};
  r.digits.push_back(d);
  return r;
}

}  // namespace

int predict_command(const std::vector<std::string>& argv) {
  auto parsed = Args::parse(argv, {"model", "preprocess"}, {"json", "ascii"});
  if (!parsed) return report(parsed.message(), kExitUsage);
  const Args& a = parsed.value();
  if (!a.has("model")) return report("predict needs --model FILE", kExitUsage);
  if (a.positional().empty()) return report("predict needs at least one IMAGE", kExitUsage);
  auto recipe = parse_recipe(a.get("preprocess", "mnist"));
  if (!recipe) return report(recipe.message(), kExitUsage);
  auto bytes = read_file_bytes(a.get("model"));
  if (!bytes) return report(bytes.message());
  auto recognizer = Recognizer::load(bytes.value());
  if (!recognizer) return report(a.get("model") + ": " + recognizer.message());
  Recognizer& model = *recognizer.value();
  int status = kExitOk;
  for (const std::string& path : a.positional()) {
    auto image = decode_image_file(path);
    if (!image) {
      status = report(image.message());
      continue;
    }
    const DecodedImage& im = image.value();
    Status failed = Status::ok();
    NumberReading reading;
    if (recipe.value() == PreprocessRecipe::naive) {
      reading = read_naive(model, im, failed);
    } else {
      auto r = model.read_image(im.pixels, im.width, im.height, im.channels);
      if (r) reading = std::move(r.value());
      else failed = r.status();
    }
    if (!failed) {
      status = report(path + ": " + failed.message());
      continue;
    }
    if (a.has("json")) print_json(path, reading, model.num_classes());
    else print_text(path, reading);
    if (a.has("ascii") && !a.has("json") && !reading.digits.empty()) {
      std::vector<const Preprocessed*> inputs;
      for (const ReadDigit& d : reading.digits) inputs.push_back(&d.input);
      print_ascii(inputs);
    }
  }
  return status;
}

}  // namespace mnist::cli

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

std::string json_box(const Box& b) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "[%.1f,%.1f,%.1f,%.1f]", b.x0, b.y0, b.width(), b.height());
  return buf;
}

std::string json_digits(const NumberReading& r) {
  std::string out = "[";
  for (std::size_t i = 0; i < r.digits.size(); ++i) {
    const ReadDigit& d = r.digits[i];
    out += (i ? ",{\"digit\":" : "{\"digit\":") + std::to_string(d.digit) + ",\"box\":" + json_box(d.box) +
           ",\"probabilities\":" + json_probabilities(d.probabilities) + "}";
  }
  return out + "]";
}

// One line of JSON: every number in reading order ("numbers", each with its
// box and digits), and the first number as before ("number", "digits"); for
// one digit, digit and probabilities at the top level too, as for a
// single-digit reading. Boxes are x, y, w, h in the image's pixels.
void print_json(const std::string& path, const SheetReading& sheet, int classes) {
  const NumberReading none;
  const NumberReading& r = sheet.numbers.empty() ? none : sheet.numbers[0];
  std::printf("{\"file\":%s,\"number\":%s,\"digits\":%s,\"numbers\":[", json_string(path).c_str(),
              json_string(r.text()).c_str(), json_digits(r).c_str());
  for (std::size_t i = 0; i < sheet.numbers.size(); ++i) {
    const NumberReading& n = sheet.numbers[i];
    std::printf("%s{\"number\":%s,\"box\":%s,\"digits\":%s}", i ? "," : "", json_string(n.text()).c_str(),
                json_box(n.box).c_str(), json_digits(n).c_str());
  }
  std::printf("]");
  if (r.digits.size() <= 1) {
    const std::vector<float> zeros(classes, 0.0f);
    if (r.digits.empty()) std::printf(",\"digit\":null");
    else std::printf(",\"digit\":%d", r.digits[0].digit);
    std::printf(",\"probabilities\":%s", json_probabilities(r.digits.empty() ? zeros : r.digits[0].probabilities).c_str());
  }
  if (sheet.sheet == SheetKind::straightened) {
    std::printf(",\"sheet\":[");
    for (int k = 0; k < 4; ++k) std::printf("%s[%.1f,%.1f]", k ? "," : "", sheet.corners[k].x, sheet.corners[k].y);
    std::printf("]");
  }
  if (!sheet.message.empty()) std::printf(",\"message\":%s", json_string(sheet.message).c_str());
  std::printf("}\n");
}

void print_text(const std::string& path, const SheetReading& sheet) {
  if (sheet.numbers.empty()) {
    std::printf("%s: empty (%s)\n", path.c_str(), sheet.message.empty() ? "no ink found" : sheet.message.c_str());
    return;
  }
  const NumberReading& r = sheet.numbers[0];
  if (sheet.numbers.size() == 1 && r.digits.size() == 1 && !r.negative) {
    const ReadDigit& d = r.digits[0];
    std::printf("%s: %d (%.1f%%)  ", path.c_str(), d.digit, 100.0 * d.probabilities[d.digit]);
    for (std::size_t k = 0; k < d.probabilities.size(); ++k) std::printf(" %zu:%.3f", k, static_cast<double>(d.probabilities[k]));
  } else {
    std::printf("%s:", path.c_str());
    for (std::size_t n = 0; n < sheet.numbers.size(); ++n) {
      const NumberReading& number = sheet.numbers[n];
      std::printf("%s %s  (", n ? "," : "", number.text().c_str());
      for (std::size_t i = 0; i < number.digits.size(); ++i) {
        const ReadDigit& d = number.digits[i];
        std::printf("%s%d %.1f%%", i ? ", " : "", d.digit, 100.0 * d.probabilities[d.digit]);
      }
      std::printf(")");
    }
  }
  if (!sheet.message.empty()) std::printf("  %s", sheet.message.c_str());
  std::printf("\n");
}

// The tutorial's recipe reads the whole image as one digit, as it always did.
SheetReading read_naive(Recognizer& recognizer, const DecodedImage& im, Status& status) {
  SheetReading sheet;
  NumberReading r;
  auto input = preprocess_image(im.pixels, im.width, im.height, im.channels, PreprocessRecipe::naive);
  if (!input) {
    status = input.status();
    return sheet;
  }
  if (input.value().empty) return sheet;
  ReadDigit d;
  d.input = input.value();
  d.probabilities.assign(recognizer.num_classes(), 0.0f);
  recognizer.model().predict(d.input.pixels.data(), 1, d.probabilities.data());
  d.digit = static_cast<int>(std::max_element(d.probabilities.begin(), d.probabilities.end()) - d.probabilities.begin());
  d.box = {0, 0, float(im.width), float(im.height)};
  r.box = d.box;
  r.digits.push_back(d);
  sheet.numbers.push_back(std::move(r));
  return sheet;
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
    SheetReading reading;
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
    if (a.has("ascii") && !a.has("json") && !reading.numbers.empty()) {
      std::vector<const Preprocessed*> inputs;
      for (const ReadDigit& d : reading.numbers[0].digits) inputs.push_back(&d.input);
      print_ascii(inputs);
    }
  }
  return status;
}

}  // namespace mnist::cli

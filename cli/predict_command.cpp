#include <algorithm>
#include <cstdio>

#include "args.h"
#include "commands.h"
#include "data/mnist_files.h"
#include "image_file.h"
#include "io/model_file.h"
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

void print_ascii(const Preprocessed& p) {
  const char* ramp = " .:-=+*#%@";
  for (int y = 0; y < kInputSide; ++y) {
    for (int x = 0; x < kInputSide; ++x) {
      std::putchar(ramp[std::min(9, static_cast<int>(p.pixels[y * kInputSide + x] * 9.99f))]);
    }
    std::putchar('\n');
  }
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
  auto model = load_model(bytes.value());
  if (!model) return report(a.get("model") + ": " + model.message());
  if (model.value()->input_size() != kInputSide * kInputSide) {
    return report("the model does not take 28x28 images");
  }
  const bool json = a.has("json");
  int status = kExitOk;
  for (const std::string& path : a.positional()) {
    auto image = decode_image_file(path);
    if (!image) {
      status = report(image.message());
      continue;
    }
    const DecodedImage& im = image.value();
    auto input = preprocess_image(im.pixels, im.width, im.height, im.channels, recipe.value());
    if (!input) {
      status = report(path + ": " + input.message());
      continue;
    }
    const int K = model.value()->num_classes();
    std::vector<float> probs(K, 0.0f);
    const bool empty = input.value().empty;
    if (!empty) model.value()->predict(input.value().pixels.data(), 1, probs.data());
    const int digit = static_cast<int>(std::max_element(probs.begin(), probs.end()) - probs.begin());
    if (json) {
      std::printf("{\"file\":%s,\"digit\":", json_string(path).c_str());
      if (empty) std::printf("null"); else std::printf("%d", digit);
      std::printf(",\"probabilities\":[");
      for (int k = 0; k < K; ++k) std::printf("%s%.6g", k ? "," : "", static_cast<double>(probs[k]));
      std::printf("]}\n");
    } else if (empty) {
      std::printf("%s: empty (no ink found)\n", path.c_str());
    } else {
      std::printf("%s: %d (%.1f%%)  ", path.c_str(), digit, 100.0 * probs[digit]);
      for (int k = 0; k < K; ++k) std::printf(" %d:%.3f", k, static_cast<double>(probs[k]));
      std::printf("\n");
    }
    if (a.has("ascii") && !json) print_ascii(input.value());
  }
  return status;
}

}  // namespace mnist::cli

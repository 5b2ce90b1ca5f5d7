// Fuzz target: the number reader and the sheet reader (sheet finder, line
// grouping), on any image (width, height and channels
// taken from the first bytes, pixels from the rest) and on any strokes
// (points and lengths taken from the bytes): it must answer with digits, an
// empty reading or a message, never crash, and never read more than
// kMaxDigits digits. The classifier is a cheap stand-in that answers from the
// input's ink, so the fuzzer spends its time in segmentation.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "preprocess/number_reader.h"
#include "preprocess/sheet_reader.h"
#include "preprocess/text_lines.h"

namespace {

void fake_classifier(const float* inputs, int count, float* probabilities) {
  for (int i = 0; i < count; ++i) {
    float ink[10] = {};
    for (int p = 0; p < 784; ++p) ink[p % 10] += inputs[i * 784 + p];
    float sum = 0;
    for (float v : ink) sum += v + 1e-3f;
    for (int k = 0; k < 10; ++k) probabilities[i * 10 + k] = (ink[k] + 1e-3f) / sum;
  }
}

void check(const mnist::NumberReading& r) {
  const std::size_t marks = r.digits.size() + (r.negative ? 1 : 0) + (r.point_after > 0 ? 1 : 0);
  if (r.digits.size() > std::size_t(mnist::kMaxDigits) || r.text().size() != marks) std::abort();
  if (r.point_after > 0 && r.point_after >= static_cast<int>(r.digits.size())) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 6) return 0;
  if (data[0] & 1) {
    const int width = 1 + data[1], height = 1 + data[2], channels = 1 + data[3] % 4;
    std::vector<std::uint8_t> pixels(std::size_t(width) * height * channels);
    for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = data[5 + i % (size - 5)] ^ static_cast<std::uint8_t>(i * data[4]);
    // One number, and every number on it as a sheet (the sheet finder and the line grouping).
    auto r = mnist::read_number_in_image(pixels, width, height, channels, 10, fake_classifier);
    if (r) check(r.value());
    auto sheet = mnist::read_numbers_in_image(pixels, width, height, channels, 10, fake_classifier);
    if (sheet) {
      if (sheet.value().numbers.size() > std::size_t(mnist::kMaxNumbers)) std::abort();
      for (const mnist::NumberReading& n : sheet.value().numbers) check(n);
    }
    return 0;
  }
  // Strokes: lengths from the bytes after the first, points as floats after them.
  const int strokes = 1 + data[1] % 8;
  std::vector<int> lengths(strokes);
  for (int s = 0; s < strokes; ++s) lengths[s] = data[2 + s % 3] % 40 + (s == 0 ? 0 : 1);
  std::vector<float> points((size - 5) / sizeof(float));
  std::memcpy(points.data(), data + 5, points.size() * sizeof(float));
  auto parsed = mnist::strokes_from_arrays(points, lengths);
  if (!parsed) return 0;
  check(mnist::read_number_in_strokes(parsed.value(), 10, fake_classifier));
  return 0;
}

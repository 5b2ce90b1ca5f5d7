#include "preprocess/preprocess.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "preprocess/image_ops.h"
#include "preprocess/ink.h"

namespace mnist {

namespace {

constexpr int kMaxSide = 16384;
constexpr std::size_t kMaxPixels = std::size_t{64} << 20;
constexpr int kWorkingSide = 384;  // larger images are shrunk to this first, for speed

Preprocessed naive_recipe(const GrayImage& gray) {
  // The tutorial: cv2.resize to 28x28, threshold 140 (binary), invert.
  GrayImage small = resize_area(gray, kInputSide, kInputSide);
  Preprocessed out;
  bool any = false;
  for (int i = 0; i < kInputSide * kInputSide; ++i) {
    const bool bright = small.pixels[i] * 255.0f > 140.0f;
    out.pixels[i] = bright ? 0.0f : 1.0f;
    any = any || !bright;
  }
  out.empty = !any;
  return out;
}

// Steps 2-4 find the ink; step 5 takes all of it as one digit.
Preprocessed mnist_recipe(GrayImage g, bool ink_known) {
  const InkMap ink = find_ink(std::move(g), ink_known);
  if (ink.empty) return {};
  int area = 0, perimeter = 0;
  for (const InkBlob& b : ink.blobs) area += b.area, perimeter += b.perimeter;
  // One pixel of margin keeps the soft edge.
  const int x0 = std::max(0, ink.box.x0 - 1), y0 = std::max(0, ink.box.y0 - 1);
  const int x1 = std::min(ink.ink.width - 1, ink.box.x1 + 1), y1 = std::min(ink.ink.height - 1, ink.box.y1 + 1);
  GrayImage crop(x1 - x0 + 1, y1 - y0 + 1);
  for (int y = 0; y < crop.height; ++y) {
    for (int x = 0; x < crop.width; ++x) crop.at(x, y) = ink.ink.at(x0 + x, y0 + y);
  }
  return digit_to_input(crop, area, perimeter);
}

Status check_image(std::span<const std::uint8_t> pixels, int width, int height, int channels) {
  if (width < 1 || height < 1) return Status::error("image has no pixels");
  if (width > kMaxSide || height > kMaxSide ||
      std::size_t(width) * std::size_t(height) > kMaxPixels) {
    return Status::error("image is too large (" + std::to_string(width) + "x" +
                         std::to_string(height) + "); the limit is 64 megapixels");
  }
  if (channels < 1 || channels > 4) return Status::error("image must have 1 to 4 channels");
  if (pixels.size() != std::size_t(width) * height * channels) {
    return Status::error("image buffer holds " + std::to_string(pixels.size()) + " bytes, expected " +
                         std::to_string(std::size_t(width) * height * channels));
  }
  return Status::ok();
}

}  // namespace

Result<PreprocessRecipe> parse_recipe(std::string_view name) {
  if (name == "mnist") return PreprocessRecipe::mnist;
  if (name == "naive") return PreprocessRecipe::naive;
  return Status::error("unknown preprocessing '" + std::string(name) + "': choose mnist or naive");
}

Result<std::pair<GrayImage, bool>> gray_working_image(std::span<const std::uint8_t> pixels, int width,
                                                      int height, int channels, int max_side) {
  if (Status s = check_image(pixels, width, height, channels); !s) return s;
  auto [gray, ink_known] = to_gray(pixels, width, height, channels);
  const int longer = std::max(width, height);
  if (longer > max_side) {
    const double s = static_cast<double>(max_side) / longer;
    gray = resize_area(gray, std::max(1, static_cast<int>(std::lround(width * s))),
                       std::max(1, static_cast<int>(std::lround(height * s))));
  }
  return std::pair<GrayImage, bool>(std::move(gray), ink_known);
}

Result<Preprocessed> preprocess_image(std::span<const std::uint8_t> pixels, int width, int height,
                                      int channels, PreprocessRecipe recipe) {
  if (recipe == PreprocessRecipe::naive) {
    if (Status s = check_image(pixels, width, height, channels); !s) return s;
    return naive_recipe(to_gray(pixels, width, height, channels).first);
  }
  auto working = gray_working_image(pixels, width, height, channels, kWorkingSide);
  if (!working) return working.status();
  return mnist_recipe(std::move(working.value().first), working.value().second);
}

}  // namespace mnist

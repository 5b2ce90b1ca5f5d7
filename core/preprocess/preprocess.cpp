#include "preprocess/preprocess.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "preprocess/image_ops.h"

namespace mnist {

namespace {

constexpr int kMaxSide = 16384;
constexpr std::size_t kMaxPixels = std::size_t{64} << 20;
constexpr int kWorkingSide = 384;  // larger images are shrunk to this first, for speed
constexpr float kMinContrast = 0.10f;

float luminance(const std::uint8_t* p, int channels) {
  if (channels <= 2) return p[0] / 255.0f;
  return (0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2]) / 255.0f;
}

// Grayscale, or the alpha channel when some pixel is not opaque (a drawing on
// a transparent canvas: whatever was painted is ink). Second: ink is known.
std::pair<GrayImage, bool> to_gray(std::span<const std::uint8_t> px, int w, int h, int channels) {
  GrayImage g(w, h);
  const std::size_t n = std::size_t(w) * h;
  bool has_alpha = false;
  if (channels == 2 || channels == 4) {
    for (std::size_t i = 0; i < n && !has_alpha; ++i) has_alpha = px[i * channels + channels - 1] != 255;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t* p = px.data() + i * channels;
    g.pixels[i] = has_alpha ? p[channels - 1] / 255.0f : luminance(p, channels);
  }
  return {std::move(g), has_alpha};
}

std::vector<float> border_values(const GrayImage& g) {
  const int band = std::max(1, std::min(g.width, g.height) / 50);
  std::vector<float> v;
  for (int y = 0; y < g.height; ++y) {
    for (int x = 0; x < g.width; ++x) {
      if (x < band || y < band || x >= g.width - band || y >= g.height - band) v.push_back(g.at(x, y));
    }
  }
  return v;
}

// Places a digit (longer side kDigitBox) in 28x28 with its centre of mass at
// the centre. The shift is fractional (bilinear), so a digit drawn a little
// to the left or right gives the same input rather than one a pixel apart.
void place_centered(const GrayImage& digit, Preprocessed& out) {
  double mass = 0, mx = 0, my = 0;
  for (int y = 0; y < digit.height; ++y) {
    for (int x = 0; x < digit.width; ++x) {
      const double v = digit.at(x, y);
      mass += v, mx += v * x, my += v * y;
    }
  }
  const double cx = mass > 0 ? mx / mass : (digit.width - 1) / 2.0;
  const double cy = mass > 0 ? my / mass : (digit.height - 1) / 2.0;
  // MNIST's own digits have their mass at (14, 14) in pixel-index terms
  // (measured over its test set: 14.00, 13.99), not at the 13.5 midpoint.
  const double ox = kInputSide / 2.0 - cx, oy = kInputSide / 2.0 - cy;
  const int ix = static_cast<int>(std::floor(ox)), iy = static_cast<int>(std::floor(oy));
  const float fx = static_cast<float>(ox - ix), fy = static_cast<float>(oy - iy);
  auto src = [&](int x, int y) {
    return (x < 0 || y < 0 || x >= digit.width || y >= digit.height) ? 0.0f : digit.at(x, y);
  };
  for (int ty = 0; ty < kInputSide; ++ty) {
    for (int tx = 0; tx < kInputSide; ++tx) {
      // Output (tx, ty) samples the digit at (tx - ox, ty - oy).
      const int sx = tx - ix, sy = ty - iy;
      const float v = (1 - fx) * (1 - fy) * src(sx, sy) + fx * (1 - fy) * src(sx - 1, sy) +
                      (1 - fx) * fy * src(sx, sy - 1) + fx * fy * src(sx - 1, sy - 1);
      out.pixels[ty * kInputSide + tx] = std::clamp(v, 0.0f, 1.0f);
    }
  }
}

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

Preprocessed mnist_recipe(GrayImage g, bool ink_known) {
  Preprocessed out;
  // 2. Polarity.
  if (!ink_known) {
    auto border = border_values(g);
    const float background = quantile(border, 0.5f);
    const float dark = background - quantile(g.pixels, 0.01f);
    const float light = quantile(g.pixels, 0.99f) - background;
    if (dark > light) {
      for (float& v : g.pixels) v = 1.0f - v;
    }
  }
  // 3. Background: a min filter wider than any stroke leaves only the paper,
  // a blur smooths it; subtracting it flattens shadows and gradients.
  // The field is smooth, so it is computed on tiles of r/4 px and stretched back.
  const int r = std::max(2, std::max(g.width, g.height) / 10);
  const int tile = std::max(1, r / 4);
  const int low_r = std::max(1, r / tile);
  GrayImage low = block_min(g, tile);
  GrayImage background = resize_bilinear(box_blur(min_filter(low, low_r), low_r), g.width, g.height);
  for (std::size_t i = 0; i < g.pixels.size(); ++i) {
    g.pixels[i] = std::max(0.0f, g.pixels[i] - background.pixels[i]);
  }
  // 4. Ink by Otsu, with a soft ramp from the background level to the ink level.
  // The ink's level: the brightest spot after a 3x3 blur, so lone noisy
  // pixels do not count.
  const float peak = max_of_3x3_mean(g);
  if (peak < kMinContrast) return out;  // empty
  // Otsu alone fails when the ink is a tiny fraction of a noisy photo (it
  // splits the noise instead): never go below 40% of the ink's level.
  const float t = std::max({otsu_threshold(g), 0.4f * peak, kMinContrast * 0.5f});
  double bg_sum = 0, ink_sum = 0;
  std::size_t bg_n = 0, ink_n = 0;
  std::vector<std::uint8_t> mask(g.pixels.size());
  std::vector<float> ink_values;
  for (std::size_t i = 0; i < g.pixels.size(); ++i) {
    const float v = g.pixels[i];
    if (v >= t) {
      mask[i] = 1, ink_sum += v, ++ink_n;
      ink_values.push_back(v);
    } else {
      bg_sum += v, ++bg_n;
    }
  }
  if (ink_n < 4) return out;
  const float bg_level = bg_n ? static_cast<float>(bg_sum / bg_n) : 0.0f;
  const float ink_level = quantile(ink_values, 0.5f);
  if (ink_level - bg_level < kMinContrast) return out;
  const float lo = (bg_level + t) * 0.5f;
  const float hi = std::max(ink_level, lo + 1e-3f);

  // Drop specks: components far smaller than the largest stroke.
  std::vector<int> labels;
  auto sizes = connected_components(mask, g.width, g.height, labels);
  const int largest = *std::max_element(sizes.begin(), sizes.end());
  std::vector<std::uint8_t> keep(sizes.size(), 0);
  for (std::size_t c = 1; c < sizes.size(); ++c) keep[c] = sizes[c] >= std::max(2, largest / 20);
  int x0 = g.width, y0 = g.height, x1 = -1, y1 = -1;
  std::size_t area = 0, perimeter = 0;
  for (int y = 0; y < g.height; ++y) {
    for (int x = 0; x < g.width; ++x) {
      const std::size_t i = std::size_t(y) * g.width + x;
      if (labels[i] && !keep[labels[i]]) g.pixels[i] = 0.0f;
      if (!(labels[i] && keep[labels[i]])) continue;
      x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
      ++area;
      const bool edge = x == 0 || y == 0 || x == g.width - 1 || y == g.height - 1 || !mask[i - 1] ||
                        !mask[i + 1] || !mask[i - g.width] || !mask[i + g.width];
      perimeter += edge;
    }
  }
  if (x1 < 0) return out;
  for (float& v : g.pixels) v = std::clamp((v - lo) / (hi - lo), 0.0f, 1.0f);

  // 5. Crop (one pixel of margin keeps the soft edge), thicken thin strokes.
  x0 = std::max(0, x0 - 1), y0 = std::max(0, y0 - 1);
  x1 = std::min(g.width - 1, x1 + 1), y1 = std::min(g.height - 1, y1 + 1);
  const int cw = x1 - x0 + 1, ch = y1 - y0 + 1;
  const int pad = std::max(cw, ch) / 8;  // room for thickening
  GrayImage crop(cw + 2 * pad, ch + 2 * pad);
  for (int y = 0; y < ch; ++y) {
    for (int x = 0; x < cw; ++x) crop.at(x + pad, y + pad) = g.at(x0 + x, y0 + y);
  }
  // Stroke width ~ 2 * area / perimeter. MNIST's runs from about 1/12 to 1/8
  // of the digit's size; a pen line on paper is often far thinner, and the
  // network has not seen that. Only clearly thin strokes (under 1/16) are
  // thickened, to 1/10, so MNIST-like ink is never touched.
  const float stroke = perimeter ? 2.0f * area / perimeter : 1.0f;
  const float target = std::max(cw, ch) / 10.0f;
  if (stroke < 0.625f * target) {
    const int grow = static_cast<int>(std::lround((target - stroke) / 2.0f));
    if (grow >= 1) crop = box_blur(max_filter(crop, grow), std::max(1, grow / 2));
  }
  // Re-crop to the (now thicker) ink.
  int bx0 = crop.width, by0 = crop.height, bx1 = -1, by1 = -1;
  for (int y = 0; y < crop.height; ++y) {
    for (int x = 0; x < crop.width; ++x) {
      if (crop.at(x, y) > 0.05f) {
        bx0 = std::min(bx0, x), bx1 = std::max(bx1, x), by0 = std::min(by0, y), by1 = std::max(by1, y);
      }
    }
  }
  if (bx1 < 0) return out;
  GrayImage ink(bx1 - bx0 + 1, by1 - by0 + 1);
  for (int y = 0; y < ink.height; ++y) {
    for (int x = 0; x < ink.width; ++x) ink.at(x, y) = crop.at(bx0 + x, by0 + y);
  }
  const int longer = std::max(ink.width, ink.height);
  const int w = std::max(1, static_cast<int>(std::lround(double(ink.width) * kDigitBox / longer)));
  const int h = std::max(1, static_cast<int>(std::lround(double(ink.height) * kDigitBox / longer)));
  GrayImage digit = resize_area(ink, w, h);
  const float max = *std::max_element(digit.pixels.begin(), digit.pixels.end());
  if (max <= 0.0f) return out;
  for (float& v : digit.pixels) v /= max;
  place_centered(digit, out);
  out.empty = false;
  return out;
}

}  // namespace

Result<PreprocessRecipe> parse_recipe(std::string_view name) {
  if (name == "mnist") return PreprocessRecipe::mnist;
  if (name == "naive") return PreprocessRecipe::naive;
  return Status::error("unknown preprocessing '" + std::string(name) + "': choose mnist or naive");
}

Result<Preprocessed> preprocess_image(std::span<const std::uint8_t> pixels, int width, int height,
                                      int channels, PreprocessRecipe recipe) {
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
  auto [gray, ink_known] = to_gray(pixels, width, height, channels);
  if (recipe == PreprocessRecipe::naive) return naive_recipe(gray);
  const int longer = std::max(width, height);
  if (longer > kWorkingSide) {
    const double s = static_cast<double>(kWorkingSide) / longer;
    gray = resize_area(gray, std::max(1, static_cast<int>(std::lround(width * s))),
                       std::max(1, static_cast<int>(std::lround(height * s))));
  }
  return mnist_recipe(std::move(gray), ink_known);
}

}  // namespace mnist

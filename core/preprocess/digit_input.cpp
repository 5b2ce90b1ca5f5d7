#include "preprocess/digit_input.h"

#include <algorithm>
#include <cmath>

namespace mnist {

namespace {

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
  // MNIST's own digits have their mass at (14, 14) in pixel-index terms, not
  // at the 13.5 midpoint.
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

}  // namespace

Preprocessed digit_to_input(const GrayImage& ink_crop, int area, int perimeter) {
  Preprocessed out;
  const int cw = ink_crop.width, ch = ink_crop.height;
  if (cw < 1 || ch < 1) return out;
  const int pad = std::max(cw, ch) / 8;  // room for thickening
  GrayImage crop(cw + 2 * pad, ch + 2 * pad);
  for (int y = 0; y < ch; ++y) {
    for (int x = 0; x < cw; ++x) crop.at(x + pad, y + pad) = ink_crop.at(x, y);
  }
  // MNIST's stroke width runs from about 1/12 to 1/8 of the digit's size; a
  // pen line on paper is often far thinner, and the network has not seen
  // that. Only clearly thin strokes (under 1/16) are thickened, to 1/10, so
  // MNIST-like ink is never touched.
  const float stroke = stroke_width(area, perimeter);
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

}  // namespace mnist

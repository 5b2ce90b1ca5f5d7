#include "number_synth.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "photo_synth.h"

namespace mnist::cli {

namespace {

constexpr float kUpscale = 2.0f;   // ink pixels per MNIST pixel
constexpr float kInkLevel = 0.2f;  // what counts as ink when measuring gaps
constexpr int kRowOffset = 10000;  // composition rows can be negative: offset them to index a table

// One MNIST digit, cropped to its ink and resampled at `scale` ink pixels per
// MNIST pixel (bilinear).
GrayImage digit_image(const std::uint8_t* digit, float scale) {
  int x0 = 28, y0 = 28, x1 = -1, y1 = -1;
  for (int y = 0; y < 28; ++y) {
    for (int x = 0; x < 28; ++x) {
      if (digit[y * 28 + x] > 0) x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
  }
  if (x1 < 0) return GrayImage(1, 1);
  const int w = static_cast<int>(std::ceil((x1 - x0 + 1) * scale)), h = static_cast<int>(std::ceil((y1 - y0 + 1) * scale));
  GrayImage out(w, h);
  auto px = [&](int x, int y) {
    return (x < x0 || y < y0 || x > x1 || y > y1) ? 0.0f : digit[y * 28 + x] / 255.0f;
  };
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const float sx = x0 + (x + 0.5f) / scale - 0.5f, sy = y0 + (y + 0.5f) / scale - 0.5f;
      const int ix = static_cast<int>(std::floor(sx)), iy = static_cast<int>(std::floor(sy));
      const float fx = sx - ix, fy = sy - iy;
      out.at(x, y) = (1 - fy) * ((1 - fx) * px(ix, iy) + fx * px(ix + 1, iy)) +
                     fy * ((1 - fx) * px(ix, iy + 1) + fx * px(ix + 1, iy + 1));
    }
  }
  return out;
}

}  // namespace

Result<Spacing> parse_spacing(std::string_view name) {
  for (Spacing s : {Spacing::spaced, Spacing::close, Spacing::touching, Spacing::overlapping}) {
    if (name == spacing_name(s)) return s;
  }
  return Status::error("unknown spacing '" + std::string(name) + "': choose spaced, close, touching or overlapping");
}

std::string_view spacing_name(Spacing spacing) {
  switch (spacing) {
    case Spacing::spaced: return "spaced";
    case Spacing::close: return "close";
    case Spacing::touching: return "touching";
    case Spacing::overlapping: return "overlapping";
  }
  return "";
}

ComposedNumber compose_number(const Dataset& source, std::span<const int> digits, Spacing spacing, Rng& rng) {
  ComposedNumber out;
  const float slope = std::tan(rng.uniform(-8.0f, 8.0f) * 3.14159265f / 180.0f);
  std::vector<GrayImage> images;
  std::vector<float> xs, ys;
  // Each digit's left edge in the composition, from the ink gap wanted to
  // the previous digit, measured row by row (a neighbour within a row up or
  // down counts), so that "touching" means the ink really meets.
  std::vector<float> right_edge;  // per composition row: rightmost ink so far
  for (std::size_t k = 0; k < digits.size(); ++k) {
    const std::uint8_t* pixels = source.image(digits[k]);
    out.text += char('0' + source.labels[digits[k]]);
    GrayImage img = digit_image(pixels, kUpscale * rng.uniform(0.85f, 1.12f));
    float gap = 0;
    switch (spacing) {
      case Spacing::spaced: gap = rng.uniform(3.0f, 9.0f); break;
      case Spacing::close: gap = rng.uniform(0.6f, 2.0f); break;
      case Spacing::touching: gap = 0.0f; break;
      case Spacing::overlapping: gap = -rng.uniform(1.0f, 3.0f); break;
    }
    gap *= kUpscale;
    float x = 0;
    if (k > 0) {
      x = xs.back() + images.back().width * 0.5f;  // a guess if no rows are shared
      float left_most = std::numeric_limits<float>::infinity();
      const float y = slope * x + rng.uniform(-1.5f, 1.5f) * kUpscale;
      ys.push_back(y);
      // The smallest horizontal distance between this digit at x = 0 and the ink so far.
      for (int r = 0; r < img.height; ++r) {
        int first = -1;
        for (int c = 0; c < img.width && first < 0; ++c) first = img.at(c, r) > kInkLevel ? c : -1;
        if (first < 0) continue;
        const int row = static_cast<int>(std::lround(y)) + r + kRowOffset;
        float right = -std::numeric_limits<float>::infinity();
        for (int d = -1; d <= 1; ++d) {
          const int rr = row + d;
          if (rr >= 0 && rr < static_cast<int>(right_edge.size())) right = std::max(right, right_edge[rr]);
        }
        if (std::isfinite(right)) left_most = std::min(left_most, first - right);
      }
      if (std::isfinite(left_most)) x = gap - left_most;
    } else {
      ys.push_back(0);
    }
    xs.push_back(x);
    for (int r = 0; r < img.height; ++r) {
      int last = -1;
      for (int c = img.width - 1; c >= 0 && last < 0; --c) last = img.at(c, r) > kInkLevel ? c : -1;
      if (last < 0) continue;
      const int rr = static_cast<int>(std::lround(ys.back())) + r + kRowOffset;
      if (rr < 0) continue;
      if (rr >= static_cast<int>(right_edge.size())) right_edge.resize(rr + 1, -std::numeric_limits<float>::infinity());
      right_edge[rr] = std::max(right_edge[rr], x + last);
    }
    images.push_back(std::move(img));
  }
  // Lay them out in one image with a margin.
  float min_x = 0, min_y = std::numeric_limits<float>::infinity(), max_x = 0, max_y = -min_y;
  for (std::size_t k = 0; k < images.size(); ++k) {
    const float y = std::round(ys[k]);
    min_x = std::min(min_x, xs[k]), min_y = std::min(min_y, y);
    max_x = std::max(max_x, xs[k] + images[k].width), max_y = std::max(max_y, y + images[k].height);
  }
  const int margin = 4;
  out.ink = GrayImage(static_cast<int>(std::ceil(max_x - min_x)) + 2 * margin,
                      static_cast<int>(std::ceil(max_y - min_y)) + 2 * margin);
  for (std::size_t k = 0; k < images.size(); ++k) {
    const int ox = static_cast<int>(std::lround(xs[k] - min_x)) + margin;
    const int oy = static_cast<int>(std::lround(std::round(ys[k]) - min_y)) + margin;
    const GrayImage& img = images[k];
    Box box{float(out.ink.width), float(out.ink.height), 0, 0};
    for (int y = 0; y < img.height; ++y) {
      for (int x = 0; x < img.width; ++x) {
        const float v = img.at(x, y);
        if (v <= 0) continue;
        float& dst = out.ink.at(ox + x, oy + y);
        dst = std::max(dst, v);
        if (v > kInkLevel) {
          box = {std::min(box.x0, float(ox + x)), std::min(box.y0, float(oy + y)),
                 std::max(box.x1, float(ox + x + 1)), std::max(box.y1, float(oy + y + 1))};
        }
      }
    }
    out.boxes.push_back(box);
  }
  return out;
}

NumberPhoto synthesize_number_photo(const ComposedNumber& number, Rng& rng, int width, int height) {
  if (width <= 0 || height <= 0) {
    width = static_cast<int>(rng.uniform(300.0f, 1500.0f));
    height = std::max(64, static_cast<int>(width / rng.uniform(1.0f, 3.0f)));
  }
  float scale = width * rng.uniform(0.4f, 0.95f) / number.ink.width;
  scale = std::min(scale, 0.9f * height / number.ink.height);
  const float w = number.ink.width * scale, h = number.ink.height * scale;
  const float ox = rng.uniform(0.0f, width - w), oy = rng.uniform(0.0f, height - h);
  NumberPhoto out;
  out.photo = render_on_paper(number.ink, width, height, scale, ox, oy, rng);
  out.text = number.text;
  for (const Box& b : number.boxes) {
    out.boxes.push_back({ox + b.x0 * scale, oy + b.y0 * scale, ox + b.x1 * scale, oy + b.y1 * scale});
  }
  return out;
}

}  // namespace mnist::cli

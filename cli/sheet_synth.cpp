#include "sheet_synth.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "number_synth.h"
#include "preprocess/image_ops.h"
#include "preprocess/sheet.h"

namespace mnist::cli {

namespace {

constexpr float kPi = 3.14159265f;
constexpr float kComposedDigitHeight = 40.0f;  // compose_number's digits: 2 px per MNIST pixel, about 20 tall

struct WrittenNumber {
  GrayImage ink;  // light ink on black, digits kComposedDigitHeight tall
  std::string text;
};

float sample(const GrayImage& g, float x, float y) {
  const int x0 = static_cast<int>(std::floor(x)), y0 = static_cast<int>(std::floor(y));
  const float fx = x - x0, fy = y - y0;
  auto px = [&](int xx, int yy) { return (xx < 0 || yy < 0 || xx >= g.width || yy >= g.height) ? 0.0f : g.at(xx, yy); };
  return (1 - fy) * ((1 - fx) * px(x0, y0) + fx * px(x0 + 1, y0)) + fy * ((1 - fx) * px(x0, y0 + 1) + fx * px(x0 + 1, y0 + 1));
}

// src drawn into dst at `scale` dst pixels per src pixel, src (0,0) at (ox, oy).
void paste(GrayImage& dst, const GrayImage& src, float scale, float ox, float oy) {
  const int x0 = std::max(0, static_cast<int>(ox)), y0 = std::max(0, static_cast<int>(oy));
  const int x1 = std::min(dst.width, static_cast<int>(std::ceil(ox + src.width * scale)) + 1);
  const int y1 = std::min(dst.height, static_cast<int>(std::ceil(oy + src.height * scale)) + 1);
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      const float v = sample(src, (x + 0.5f - ox) / scale - 0.5f, (y + 0.5f - oy) / scale - 0.5f);
      dst.at(x, y) = std::max(dst.at(x, y), v);
    }
  }
}

// A pen line from a to b, `width` wide with round ends, soft by a pixel.
void pen_line(GrayImage& g, float ax, float ay, float bx, float by, float width) {
  const float r = width / 2;
  const int x0 = std::max(0, static_cast<int>(std::min(ax, bx) - r - 2)), x1 = std::min(g.width - 1, static_cast<int>(std::max(ax, bx) + r + 2));
  const int y0 = std::max(0, static_cast<int>(std::min(ay, by) - r - 2)), y1 = std::min(g.height - 1, static_cast<int>(std::max(ay, by) + r + 2));
  const float dx = bx - ax, dy = by - ay, len2 = std::max(1e-6f, dx * dx + dy * dy);
  for (int y = y0; y <= y1; ++y) {
    for (int x = x0; x <= x1; ++x) {
      const float px = x + 0.5f, py = y + 0.5f;
      const float t = std::clamp(((px - ax) * dx + (py - ay) * dy) / len2, 0.0f, 1.0f);
      const float d = std::hypot(px - ax - t * dx, py - ay - t * dy);
      g.at(x, y) = std::max(g.at(x, y), std::clamp(r + 0.5f - d, 0.0f, 1.0f));
    }
  }
}

float median_bottom(const ComposedNumber& n) {
  std::vector<float> bottoms;
  for (const Box& b : n.boxes) bottoms.push_back(b.y1);
  std::nth_element(bottoms.begin(), bottoms.begin() + bottoms.size() / 2, bottoms.end());
  return bottoms[bottoms.size() / 2];
}

// A number of 1 to 6 digits, a quarter of them negative, a third with a point.
WrittenNumber write_number(const Dataset& source, int first, Rng& rng) {
  const int length = 1 + static_cast<int>(rng.below(6));
  const bool negative = rng.uniform() < 0.25f;
  const int point_at = length >= 2 && rng.uniform() < 0.35f ? 1 + static_cast<int>(rng.below(length - 1)) : 0;
  std::vector<int> whole, fraction;
  for (int k = 0; k < length; ++k) (point_at && k >= point_at ? fraction : whole).push_back(first + static_cast<int>(rng.below(5000)));
  // Spaced as a person writes a number to be read (close and touching
  // digits are measured on their own, tests/native/number_reading_test.cpp).
  const Spacing spacing = Spacing::spaced;
  std::vector<ComposedNumber> parts{compose_number(source, whole, spacing, rng)};
  if (!fraction.empty()) parts.push_back(compose_number(source, fraction, spacing, rng));
  const float h = kComposedDigitHeight;
  const float minus_width = negative ? h * rng.uniform(0.35f, 0.6f) : 0, minus_gap = negative ? h * rng.uniform(0.15f, 0.35f) : 0;
  const float point_gap = h * rng.uniform(0.3f, 0.5f);
  float width = minus_width + minus_gap + parts[0].ink.width + (parts.size() > 1 ? point_gap + parts[1].ink.width : 0);
  float above = 0, below = 0;  // around the baseline
  for (const ComposedNumber& p : parts) above = std::max(above, median_bottom(p)), below = std::max(below, p.ink.height - median_bottom(p));
  WrittenNumber out;
  out.ink = GrayImage(static_cast<int>(std::ceil(width)) + 8, static_cast<int>(std::ceil(above + below)) + 8);
  const float baseline = above + 4;
  float x = 4;
  if (negative) {
    const float y = baseline - h * rng.uniform(0.42f, 0.6f), tilt = std::tan(rng.uniform(-6.0f, 6.0f) * kPi / 180) * minus_width;
    pen_line(out.ink, x, y + tilt / 2, x + minus_width, y - tilt / 2, h * rng.uniform(0.1f, 0.15f));
    x += minus_width + minus_gap;
    out.text += '-';
  }
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (k == 1) {
      const float r = h * rng.uniform(0.08f, 0.11f), cx = x + point_gap / 2 + rng.uniform(-0.05f, 0.05f) * h;
      pen_line(out.ink, cx, baseline - r - 1, cx + 0.5f, baseline - r - 1, 2 * r);
      x += point_gap;
      out.text += '.';
    }
    paste(out.ink, parts[k].ink, 1.0f, x, baseline - median_bottom(parts[k]));
    x += parts[k].ink.width;
    out.text += parts[k].text;
  }
  return out;
}

struct Placed {
  float x, y, scale;  // where a number's ink goes on the sheet
  const WrittenNumber* number;
};

// Numbers on lines of the sheet, in reading order: each on a line of its
// own, or now and then two far apart on one line.
std::vector<Placed> lay_out(const std::vector<WrittenNumber>& numbers, int sheet_w, int sheet_h, Rng& rng) {
  std::vector<Placed> out;
  const float digit = rng.uniform(0.09f, 0.14f) * std::min(sheet_w, sheet_h);
  const float margin = 0.08f * sheet_w;
  float y = 0.08f * sheet_h + rng.uniform(0.0f, 0.1f) * sheet_h, line_end = 0;
  for (const WrittenNumber& n : numbers) {
    float scale = digit / kComposedDigitHeight;
    scale = std::min(scale, (sheet_w - 2 * margin) / n.ink.width);
    const float w = n.ink.width * scale, h = n.ink.height * scale;
    const float gap = digit * rng.uniform(2.0f, 3.5f);
    if (!out.empty() && line_end + gap + w <= sheet_w - margin && rng.uniform() < 0.35f) {
      out.push_back({line_end + gap, out.back().y, scale, &n});
    } else {
      if (!out.empty()) y += out.back().number->ink.height * out.back().scale + digit * rng.uniform(0.6f, 1.5f);
      out.push_back({margin + rng.uniform(0.0f, std::max(0.0f, sheet_w - 2 * margin - w)), y, scale, &n});
    }
    line_end = out.back().x + w;
    (void)h;
  }
  return out;
}

using Mat3 = std::array<std::array<float, 3>, 3>;

Mat3 multiply(const Mat3& a, const Mat3& b) {
  Mat3 c{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 3; ++k) c[i][j] += a[i][k] * b[k][j];
  return c;
}

// The table: a dark, grained surface, sometimes with objects on it.
void paint_table(std::vector<float>& rgb, int width, int height, Rng& rng) {
  float base[3];
  const float level = rng.uniform(0.12f, 0.5f);
  for (float& c : base) c = std::clamp(level + rng.uniform(-0.08f, 0.08f), 0.0f, 1.0f);
  const float angle = rng.uniform(0.0f, kPi), freq = rng.uniform(0.02f, 0.15f), grain = rng.uniform(0.0f, 0.08f);
  const float phase = rng.uniform(0.0f, 6.0f);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const float t = x * std::cos(angle) + y * std::sin(angle);
      const float v = grain * std::sin(freq * t + phase + 2 * std::sin(0.013f * t));
      for (int c = 0; c < 3; ++c) rgb[(std::size_t(y) * width + x) * 3 + c] = std::clamp(base[c] + v, 0.0f, 1.0f);
    }
  }
  const int objects = rng.uniform() < 0.3f ? 1 + static_cast<int>(rng.below(3)) : 0;
  for (int k = 0; k < objects; ++k) {
    const int w = static_cast<int>(rng.uniform(0.05f, 0.3f) * width), h = static_cast<int>(rng.uniform(0.05f, 0.3f) * height);
    const int x0 = static_cast<int>(rng.below(width)), y0 = static_cast<int>(rng.below(height));
    float colour[3];
    for (float& c : colour) c = rng.uniform(0.05f, 0.6f);
    for (int y = y0; y < std::min(height, y0 + h); ++y)
      for (int x = x0; x < std::min(width, x0 + w); ++x)
        for (int c = 0; c < 3; ++c) rgb[(std::size_t(y) * width + x) * 3 + c] = colour[c];
  }
}

}  // namespace

SheetScene synthesize_sheet_scene(const Dataset& source, int first, int count, Rng& rng, int width, int height) {
  SheetScene scene;
  const bool portrait = rng.uniform() < 0.6f;
  const int sheet_w = portrait ? 600 : 800, sheet_h = portrait ? 800 : 600;
  std::vector<WrittenNumber> numbers;
  for (int k = 0; k < count; ++k) numbers.push_back(write_number(source, first, rng));
  const std::vector<Placed> placed = lay_out(numbers, sheet_w, sheet_h, rng);
  GrayImage ink(sheet_w, sheet_h);
  for (const Placed& p : placed) {
    paste(ink, p.number->ink, p.scale, p.x, p.y);
    scene.numbers.push_back(p.number->text);
  }

  // The camera: the sheet turned in its plane, tilted away, seen in perspective.
  const float turn = rng.uniform(-15.0f, 15.0f) * kPi / 180, tilt = rng.uniform(0.0f, 30.0f) * kPi / 180;
  const float towards = rng.uniform(0.0f, 2 * kPi);
  const float ax = tilt * std::cos(towards), ay = tilt * std::sin(towards);
  const Mat3 rz{{{std::cos(turn), -std::sin(turn), 0}, {std::sin(turn), std::cos(turn), 0}, {0, 0, 1}}};
  const Mat3 rx{{{1, 0, 0}, {0, std::cos(ax), -std::sin(ax)}, {0, std::sin(ax), std::cos(ax)}}};
  const Mat3 ry{{{std::cos(ay), 0, std::sin(ay)}, {0, 1, 0}, {-std::sin(ay), 0, std::cos(ay)}}};
  const Mat3 r = multiply(rx, multiply(ry, rz));
  const float distance = 2.0f * std::max(sheet_w, sheet_h);
  auto project = [&](float u, float v) {
    const float X = u - sheet_w / 2.0f, Y = v - sheet_h / 2.0f;
    const float x = r[0][0] * X + r[0][1] * Y, y = r[1][0] * X + r[1][1] * Y, z = r[2][0] * X + r[2][1] * Y + distance;
    return Point{distance * x / z, distance * y / z};
  };
  std::array<Point, 4> corners{project(0, 0), project(sheet_w, 0), project(sheet_w, sheet_h), project(0, sheet_h)};
  float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
  for (Point p : corners) x0 = std::min(x0, p.x), y0 = std::min(y0, p.y), x1 = std::max(x1, p.x), y1 = std::max(y1, p.y);
  const float fill = rng.uniform(0.6f, 0.92f);
  const float k = fill * std::min(width / (x1 - x0), height / (y1 - y0));
  float cx = width / 2.0f + rng.uniform(-0.5f, 0.5f) * (width - k * (x1 - x0)), cy = height / 2.0f + rng.uniform(-0.5f, 0.5f) * (height - k * (y1 - y0));
  // Sometimes the frame cuts the sheet, never the numbers.
  std::vector<Point> ink_corners;
  for (const Placed& p : placed) {
    const float w = p.number->ink.width * p.scale, h = p.number->ink.height * p.scale;
    for (Point q : {Point{p.x, p.y}, Point{p.x + w, p.y}, Point{p.x + w, p.y + h}, Point{p.x, p.y + h}}) ink_corners.push_back(q);
  }
  auto to_photo = [&](Point p, float at_x, float at_y) {
    const Point q = project(p.x, p.y);
    return Point{at_x + k * (q.x - (x0 + x1) / 2), at_y + k * (q.y - (y0 + y1) / 2)};
  };
  if (rng.uniform() < 0.2f) {
    const float side = rng.uniform(0.0f, 2 * kPi), by = rng.uniform(0.1f, 0.3f);
    float sx = std::cos(side) * by * k * (x1 - x0), sy = std::sin(side) * by * k * (y1 - y0);
    for (int attempt = 0; attempt < 4; ++attempt, sx /= 2, sy /= 2) {
      bool inside = true;
      for (Point q : ink_corners) {
        const Point p = to_photo(q, cx + sx, cy + sy);
        inside = inside && p.x > 0.03f * width && p.y > 0.03f * height && p.x < 0.97f * width && p.y < 0.97f * height;
      }
      if (inside) {
        cx += sx, cy += sy;
        break;
      }
    }
  }
  std::array<Point, 4> in_photo{};
  for (int c = 0; c < 4; ++c) {
    in_photo[c] = to_photo({c == 1 || c == 2 ? float(sheet_w) : 0.0f, c >= 2 ? float(sheet_h) : 0.0f}, cx, cy);
    scene.cut = scene.cut || in_photo[c].x < 0 || in_photo[c].y < 0 || in_photo[c].x > width || in_photo[c].y > height;
  }
  const std::array<Point, 4> on_sheet{Point{0, 0}, Point{float(sheet_w), 0}, Point{float(sheet_w), float(sheet_h)}, Point{0, float(sheet_h)}};
  Homography back;
  Homography::between(in_photo, on_sheet, back);

  // Paper, ink, table; then light, shadow, blur, noise.
  std::vector<float> rgb(std::size_t(width) * height * 3);
  paint_table(rgb, width, height, rng);
  float paper[3], pen[3];
  const float paper_level = rng.uniform(0.7f, 0.98f), pen_level = rng.uniform(0.0f, 0.3f);
  for (int c = 0; c < 3; ++c) paper[c] = std::clamp(paper_level + rng.uniform(-0.04f, 0.04f), 0.0f, 1.0f);
  const bool blue = rng.uniform() < 0.3f;
  for (int c = 0; c < 3; ++c) pen[c] = std::clamp(pen_level + (blue && c == 2 ? 0.35f : 0.0f), 0.0f, 1.0f);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const Point s = back.apply({x + 0.5f, y + 0.5f});
      if (s.x < 0 || s.y < 0 || s.x >= sheet_w || s.y >= sheet_h) continue;
      const float a = sample(ink, s.x - 0.5f, s.y - 0.5f);
      for (int c = 0; c < 3; ++c) rgb[(std::size_t(y) * width + x) * 3 + c] = paper[c] * (1 - a) + pen[c] * a;
    }
  }
  const float angle = rng.uniform(0.0f, 2 * kPi), gradient = rng.uniform(0.0f, 0.3f);
  const bool shadow = rng.uniform() < 0.4f;
  const float shadow_angle = rng.uniform(0.0f, 2 * kPi), shadow_at = rng.uniform(-0.3f, 0.3f);
  const float shadow_depth = rng.uniform(0.1f, 0.3f), shadow_soft = rng.uniform(0.03f, 0.15f);
  const float noise = rng.uniform(0.005f, 0.04f);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const float u = float(x) / width - 0.5f, v = float(y) / height - 0.5f;
      float light = 1.0f - gradient * (0.5f + u * std::cos(angle) + v * std::sin(angle));
      if (shadow) {
        const float d = (u * std::cos(shadow_angle) + v * std::sin(shadow_angle) - shadow_at) / shadow_soft;
        light *= 1.0f - shadow_depth * std::clamp(0.5f + d, 0.0f, 1.0f);
      }
      for (int c = 0; c < 3; ++c) {
        float& value = rgb[(std::size_t(y) * width + x) * 3 + c];
        value = value * light + noise * rng.normal();
      }
    }
  }
  const int blur = static_cast<int>(rng.below(3));  // 0, 1 or 2 px
  scene.photo.width = width, scene.photo.height = height, scene.photo.channels = 3;
  scene.photo.pixels.resize(rgb.size());
  for (int c = 0; c < 3; ++c) {
    GrayImage plane(width, height);
    for (std::size_t i = 0; i < plane.pixels.size(); ++i) plane.pixels[i] = rgb[i * 3 + c];
    if (blur) plane = box_blur(plane, 1);
    if (blur == 2) plane = box_blur(plane, 1);
    for (std::size_t i = 0; i < plane.pixels.size(); ++i) {
      scene.photo.pixels[i * 3 + c] = static_cast<std::uint8_t>(std::clamp(plane.pixels[i] * 255.0f + 0.5f, 0.0f, 255.0f));
    }
  }
  if (rng.uniform() < 0.5f) scene.photo = jpeg_round_trip(scene.photo, static_cast<int>(rng.uniform(45.0f, 90.0f)));
  return scene;
}

}  // namespace mnist::cli

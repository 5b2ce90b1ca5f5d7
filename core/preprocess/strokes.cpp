#include "preprocess/strokes.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace mnist {

namespace {

// The pad's smoothing (web/drawing_pad.js draws the same curve on screen):
// a quadratic curve through each point, from midpoint to midpoint, as a
// polyline of steps about `step` pad units long.
std::vector<StrokePoint> smoothed(const Stroke& s, float step) {
  std::vector<StrokePoint> out{s.front()};
  auto quad = [&](StrokePoint from, StrokePoint control, StrokePoint to) {
    const float length = std::hypot(control.x - from.x, control.y - from.y) +
                         std::hypot(to.x - control.x, to.y - control.y);
    const int steps = std::clamp(static_cast<int>(std::ceil(length / step)), 1, 32);
    for (int k = 1; k <= steps; ++k) {
      const float t = float(k) / steps, u = 1 - t;
      out.push_back({u * u * from.x + 2 * u * t * control.x + t * t * to.x,
                     u * u * from.y + 2 * u * t * control.y + t * t * to.y});
    }
  };
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    const StrokePoint mid{(s[i].x + s[i + 1].x) / 2, (s[i].y + s[i + 1].y) / 2};
    quad(out.back(), s[i], mid);
  }
  if (s.size() > 1) out.push_back(s.back());
  return out;
}

}  // namespace

Result<std::vector<Stroke>> strokes_from_arrays(std::span<const float> points, std::span<const int> lengths) {
  if (points.size() % 2) return Status::error("stroke points come as x, y pairs");
  if (lengths.size() > std::size_t(kMaxStrokes)) {
    return Status::error("the drawing has " + std::to_string(lengths.size()) + " strokes; the limit is " +
                         std::to_string(kMaxStrokes));
  }
  if (points.size() / 2 > std::size_t(kMaxStrokePoints)) {
    return Status::error("the drawing has " + std::to_string(points.size() / 2) + " points; the limit is " +
                         std::to_string(kMaxStrokePoints));
  }
  std::vector<Stroke> strokes;
  std::size_t at = 0;
  for (int n : lengths) {
    if (n < 1 || std::size_t(n) > points.size() / 2 - at) {
      return Status::error("stroke lengths do not match the points given");
    }
    Stroke s(n);
    for (int k = 0; k < n; ++k, ++at) {
      s[k] = {points[2 * at], points[2 * at + 1]};
      if (!std::isfinite(s[k].x) || !std::isfinite(s[k].y) || std::fabs(s[k].x) > 1e6f ||
          std::fabs(s[k].y) > 1e6f) {
        return Status::error("a stroke point is not a finite coordinate");
      }
    }
    strokes.push_back(std::move(s));
  }
  if (at != points.size() / 2) return Status::error("stroke lengths do not match the points given");
  return strokes;
}

Box stroke_bounds(const Stroke& stroke) {
  Box b{stroke.front().x, stroke.front().y, stroke.front().x, stroke.front().y};
  for (const StrokePoint& p : stroke) {
    b.x0 = std::min(b.x0, p.x), b.x1 = std::max(b.x1, p.x);
    b.y0 = std::min(b.y0, p.y), b.y1 = std::max(b.y1, p.y);
  }
  return b;
}

namespace {

bool segments_meet(StrokePoint a, StrokePoint b, StrokePoint c, StrokePoint d) {
  auto cross = [](StrokePoint o, StrokePoint p, StrokePoint q) {
    return (p.x - o.x) * (q.y - o.y) - (p.y - o.y) * (q.x - o.x);
  };
  const float d1 = cross(c, d, a), d2 = cross(c, d, b), d3 = cross(a, b, c), d4 = cross(a, b, d);
  return ((d1 > 0) != (d2 > 0) || d1 == 0 || d2 == 0) && ((d3 > 0) != (d4 > 0) || d3 == 0 || d4 == 0);
}

}  // namespace

std::vector<std::pair<int, int>> crossing_strokes(std::span<const Stroke> strokes) {
  std::vector<std::pair<int, int>> pairs;
  std::vector<Box> bounds;
  for (const Stroke& s : strokes) bounds.push_back(stroke_bounds(s));
  for (std::size_t i = 0; i < strokes.size(); ++i) {
    for (std::size_t j = i + 1; j < strokes.size(); ++j) {
      const Box &a = bounds[i], &b = bounds[j];
      if (a.x1 < b.x0 || b.x1 < a.x0 || a.y1 < b.y0 || b.y1 < a.y0) continue;
      bool meet = false;
      for (std::size_t p = 0; p + 1 < strokes[i].size() && !meet; ++p) {
        for (std::size_t q = 0; q + 1 < strokes[j].size() && !meet; ++q) {
          meet = segments_meet(strokes[i][p], strokes[i][p + 1], strokes[j][q], strokes[j][q + 1]);
        }
      }
      if (meet) pairs.emplace_back(static_cast<int>(i), static_cast<int>(j));
    }
  }
  return pairs;
}

InkMap rasterize_strokes(std::span<const Stroke> strokes, float scale, float origin_x, float origin_y,
                         int width, int height, std::span<const float> line_widths) {
  InkMap out;
  out.ink = GrayImage(width, height);
  out.labels.assign(std::size_t(width) * height, 0);
  out.owners.assign(std::size_t(width) * height, 0);
  std::vector<float> nearest(out.labels.size(), std::numeric_limits<float>::infinity());
  for (std::size_t s = 0; s < strokes.size(); ++s) {
    if (strokes[s].empty()) continue;
    const float r = line_widths[s] / 2;
    // Steps of half the line's width follow the curve within a fraction of
    // a pixel, and each pixel is visited by a few segments only.
    std::vector<StrokePoint> line = smoothed(strokes[s], std::max(1.0f, r) / scale);
    for (StrokePoint& p : line) p = {(p.x - origin_x) * scale, (p.y - origin_y) * scale};
    if (line.size() == 1) line.push_back(line.front());  // a tap is a dot
    for (std::size_t k = 0; k + 1 < line.size(); ++k) {
      const StrokePoint a = line[k], b = line[k + 1];
      const int px0 = std::max(0, static_cast<int>(std::floor(std::min(a.x, b.x) - r - 1)));
      const int px1 = std::min(width - 1, static_cast<int>(std::ceil(std::max(a.x, b.x) + r + 1)));
      const int py0 = std::max(0, static_cast<int>(std::floor(std::min(a.y, b.y) - r - 1)));
      const int py1 = std::min(height - 1, static_cast<int>(std::ceil(std::max(a.y, b.y) + r + 1)));
      const float dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
      const float inv_len2 = len2 > 0 ? 1.0f / len2 : 0.0f;
      const float reach2 = (r + 0.5f) * (r + 0.5f);
      for (int y = py0; y <= py1; ++y) {
        const float cy = y + 0.5f - a.y;
        float* row_nearest = nearest.data() + std::size_t(y) * width;
        for (int x = px0; x <= px1; ++x) {
          // Distance from the pixel's centre to the segment; coverage ramps
          // over one pixel around the line's edge, as anti-aliasing does.
          const float cx = x + 0.5f - a.x;
          const float t = std::clamp((cx * dx + cy * dy) * inv_len2, 0.0f, 1.0f);
          const float ex = cx - t * dx, ey = cy - t * dy, d2 = ex * ex + ey * ey;
          if (d2 >= reach2 || d2 >= row_nearest[x]) continue;
          const std::size_t i = std::size_t(y) * width + x;
          row_nearest[x] = d2;
          out.owners[i] = static_cast<int>(s) + 1;
          const float coverage = std::min(1.0f, r + 0.5f - std::sqrt(d2));
          out.ink.pixels[i] = std::max(out.ink.pixels[i], coverage);
        }
      }
    }
  }
  out.blobs.resize(strokes.size());
  for (std::size_t s = 0; s < strokes.size(); ++s) out.blobs[s].label = static_cast<int>(s) + 1;
  for (std::size_t i = 0; i < out.labels.size(); ++i) {
    if (out.ink.pixels[i] >= 0.5f) out.labels[i] = out.owners[i];
  }
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const std::size_t i = std::size_t(y) * width + x;
      if (!out.labels[i]) continue;
      InkBlob& blob = out.blobs[out.labels[i] - 1];
      blob.box.add(x, y);
      ++blob.area;
      const bool edge = x == 0 || y == 0 || x == width - 1 || y == height - 1 || !out.labels[i - 1] ||
                        !out.labels[i + 1] || !out.labels[i - width] || !out.labels[i + width];
      blob.perimeter += edge;
      out.box.add(x, y);
    }
  }
  out.empty = out.box.empty();
  return out;
}

}  // namespace mnist

#include "preprocess/sheet.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

namespace mnist {

namespace {

// The sheet is looked for in the photo shrunk to this longer side.
constexpr int kFindSide = 200;
// A sheet covers at least this part of the photo and at most this part (a
// photo that is all paper has no sheet to find).
constexpr float kLeastSheet = 0.08f;
constexpr float kMostSheet = 0.9f;
// Paper is light in at least this part of it, and fills at least this part
// of its convex hull.
constexpr float kLightInside = 0.8f;
constexpr float kConvex = 0.9f;
// The background takes at least this part of the frame's edge.
constexpr float kFrameBackground = 0.3f;
// Its edge is sharp: inside is this much lighter than outside, measured a
// few pixels either side of it.
constexpr float kEdgeContrast = 0.12f;
constexpr int kEdgeBand = 3;
// A quadrilateral: the sheet fills at least this part of its corners' quad.
constexpr float kQuadFill = 0.88f;
// The background is painted with the paper's brightness within this many
// pixels of the shrunk photo.
constexpr int kPaintReach = 8;
// Levels tried for paper, from the background's (0) to Otsu's (1).
constexpr float kLevels[] = {1.0f, 0.7f, 0.45f};
// Edges this close in sharpness are as sharp.
constexpr float kAsSharp = 0.05f;
// The frame may touch this part of the sheet's outline and still have it straightened.
constexpr float kMostTouching = 0.03f;
// The straightened sheet leaves out this part of each side (its edge and shadow).
constexpr float kInset = 0.02f;

std::vector<std::uint8_t> fill_holes(const std::vector<std::uint8_t>& sheet, int w, int h) {
  std::vector<std::uint8_t> outside(sheet.size());
  for (std::size_t i = 0; i < sheet.size(); ++i) outside[i] = !sheet[i];
  std::vector<int> labels;
  const std::vector<int> sizes = connected_components(outside, w, h, labels);
  std::vector<std::uint8_t> open(sizes.size(), 0);  // touches the frame
  for (int x = 0; x < w; ++x) open[labels[x]] = open[labels[std::size_t(h - 1) * w + x]] = 1;
  for (int y = 0; y < h; ++y) open[labels[std::size_t(y) * w]] = open[labels[std::size_t(y) * w + w - 1]] = 1;
  std::vector<std::uint8_t> filled(sheet.size());
  for (std::size_t i = 0; i < sheet.size(); ++i) filled[i] = sheet[i] || (labels[i] && !open[labels[i]]);
  return filled;
}

GrayImage as_image(const std::vector<std::uint8_t>& mask, int w, int h) {
  GrayImage m(w, h);
  for (std::size_t i = 0; i < mask.size(); ++i) m.pixels[i] = mask[i];
  return m;
}

double cross(Point o, Point a, Point b) { return double(a.x - o.x) * (b.y - o.y) - double(a.y - o.y) * (b.x - o.x); }

// The area of the convex hull of a mask's pixels (monotone chain over each
// row's first and last pixel).
double hull_area(const std::vector<std::uint8_t>& mask, int w, int h) {
  std::vector<Point> pts;
  for (int y = 0; y < h; ++y) {
    int first = -1, last = -1;
    for (int x = 0; x < w; ++x) {
      if (mask[std::size_t(y) * w + x]) last = x, first = first < 0 ? x : first;
    }
    if (first < 0) continue;
    for (Point p : {Point{float(first), float(y)}, Point{float(last + 1), float(y)}, Point{float(first), float(y + 1)},
                    Point{float(last + 1), float(y + 1)}}) {
      pts.push_back(p);
    }
  }
  std::sort(pts.begin(), pts.end(), [](Point a, Point b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
  if (pts.size() < 3) return 0;
  std::vector<Point> hull(2 * pts.size());
  std::size_t k = 0;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    while (k >= 2 && cross(hull[k - 2], hull[k - 1], pts[i]) <= 0) --k;
    hull[k++] = pts[i];
  }
  for (std::size_t i = pts.size() - 1, t = k + 1; i > 0; --i) {
    while (k >= t && cross(hull[k - 2], hull[k - 1], pts[i - 1]) <= 0) --k;
    hull[k++] = pts[i - 1];
  }
  double a = 0;
  for (std::size_t i = 0; i + 1 < k; ++i) a += double(hull[i].x) * hull[i + 1].y - double(hull[i + 1].x) * hull[i].y;
  return std::fabs(a) / 2;
}

GrayImage weigh(const GrayImage& image, const GrayImage& weight) {
  GrayImage out(image.width, image.height);
  for (std::size_t i = 0; i < out.pixels.size(); ++i) out.pixels[i] = image.pixels[i] * weight.pixels[i];
  return out;
}

float shoelace(const std::array<Point, 4>& q) {
  float a = 0;
  for (int k = 0; k < 4; ++k) a += q[k].x * q[(k + 1) % 4].y - q[(k + 1) % 4].x * q[k].y;
  return std::fabs(a) / 2;
}

float distance(Point a, Point b) { return std::sqrt((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)); }

float bilinear(const GrayImage& g, float x, float y) {
  x = std::clamp(x - 0.5f, 0.0f, float(g.width - 1)), y = std::clamp(y - 0.5f, 0.0f, float(g.height - 1));
  const int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
  const int x1 = std::min(x0 + 1, g.width - 1), y1 = std::min(y0 + 1, g.height - 1);
  const float fx = x - x0, fy = y - y0;
  return (1 - fy) * ((1 - fx) * g.at(x0, y0) + fx * g.at(x1, y0)) + fy * ((1 - fx) * g.at(x0, y1) + fx * g.at(x1, y1));
}

// A light region that is paper at brightness level t: the largest region
// over t, holes filled, checked for being paper.
struct PaperRegion {
  std::vector<std::uint8_t> mask;
  std::size_t area = 0;
  std::vector<float> paper;  // brightness well inside it
  float sharp = 0;           // the part of its edge (off the frame) that is sharp
};

std::optional<PaperRegion> paper_region(const GrayImage& small, float t) {
  const int w = small.width, h = small.height;
  std::vector<std::uint8_t> bright(small.pixels.size());
  for (std::size_t i = 0; i < bright.size(); ++i) bright[i] = small.pixels[i] > t;
  std::vector<int> labels;
  const std::vector<int> sizes = connected_components(bright, w, h, labels);
  if (sizes.size() < 2) return std::nullopt;
  const int largest = static_cast<int>(std::max_element(sizes.begin() + 1, sizes.end()) - sizes.begin());
  PaperRegion r;
  r.mask.resize(bright.size());
  for (std::size_t i = 0; i < r.mask.size(); ++i) r.mask[i] = labels[i] == largest;
  r.mask = fill_holes(r.mask, w, h);
  const std::vector<std::uint8_t>& sheet = r.mask;
  for (std::uint8_t v : sheet) r.area += v;
  if (r.area < kLeastSheet * w * h || r.area > kMostSheet * w * h) return std::nullopt;
  // The background shows along the frame (ink that runs off the edge of a
  // page of paper does not, much).
  int frame = 0, background = 0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      if (x != 0 && y != 0 && x != w - 1 && y != h - 1) continue;
      ++frame, background += !sheet[std::size_t(y) * w + x];
    }
  }
  if (background < kFrameBackground * frame) return std::nullopt;
  // Paper: mostly light inside (a ring of chalk filled in is not), convex
  // (so is a sheet the frame cuts), with a sharp edge: the band just inside
  // against the band just outside, by their medians (ink on the edge, or a
  // shadow's soft slope, is not an edge).
  std::size_t light = 0;
  for (std::size_t i = 0; i < sheet.size(); ++i) light += sheet[i] && bright[i];
  if (light < kLightInside * r.area || r.area < kConvex * hull_area(sheet, w, h)) return std::nullopt;
  const GrayImage mask = as_image(sheet, w, h);
  const GrayImage grown = max_filter(mask, kEdgeBand), shrunk = min_filter(mask, kEdgeBand);
  std::vector<float> inside, outside;
  for (std::size_t i = 0; i < sheet.size(); ++i) {
    if (sheet[i] && shrunk.pixels[i] < 0.5f) inside.push_back(small.pixels[i]);
    if (!sheet[i] && grown.pixels[i] > 0.5f) outside.push_back(small.pixels[i]);
    if (shrunk.pixels[i] > 0.5f) r.paper.push_back(small.pixels[i]);
  }
  if (inside.empty() || outside.empty() || r.paper.empty() || median(inside) - median(outside) < kEdgeContrast) {
    return std::nullopt;
  }
  // Edge pixels one by one: the mean a band inside against a band outside.
  const GrayImage inner = box_blur(weigh(small, shrunk), kEdgeBand), inner_w = box_blur(shrunk, kEdgeBand);
  GrayImage out_mask(w, h);
  for (std::size_t i = 0; i < sheet.size(); ++i) out_mask.pixels[i] = 1.0f - mask.pixels[i];
  const GrayImage outer = box_blur(weigh(small, out_mask), 2 * kEdgeBand), outer_w = box_blur(out_mask, 2 * kEdgeBand);
  int edge = 0, sharp = 0;
  for (int y = 1; y + 1 < h; ++y) {
    for (int x = 1; x + 1 < w; ++x) {
      const std::size_t i = std::size_t(y) * w + x;
      if (!sheet[i] || (sheet[i - 1] && sheet[i + 1] && sheet[i - w] && sheet[i + w])) continue;
      if (inner_w.pixels[i] < 1e-3f || outer_w.pixels[i] < 1e-3f) continue;
      ++edge;
      sharp += inner.pixels[i] / inner_w.pixels[i] - outer.pixels[i] / outer_w.pixels[i] >= kEdgeContrast;
    }
  }
  r.sharp = edge ? float(sharp) / edge : 0.0f;
  return r;
}

}  // namespace

Point Homography::apply(Point p) const {
  const double d = m[6] * p.x + m[7] * p.y + 1;
  return {float((m[0] * p.x + m[1] * p.y + m[2]) / d), float((m[3] * p.x + m[4] * p.y + m[5]) / d)};
}

Box Homography::apply_box(const Box& b) const {
  Box out{1e30f, 1e30f, -1e30f, -1e30f};
  for (Point p : {Point{b.x0, b.y0}, Point{b.x1, b.y0}, Point{b.x1, b.y1}, Point{b.x0, b.y1}}) {
    const Point q = apply(p);
    out = {std::min(out.x0, q.x), std::min(out.y0, q.y), std::max(out.x1, q.x), std::max(out.y1, q.y)};
  }
  return out;
}

bool Homography::between(const std::array<Point, 4>& from, const std::array<Point, 4>& to, Homography& out) {
  // Eight equations in the eight unknowns, by Gaussian elimination with partial pivoting.
  double a[8][9];
  for (int k = 0; k < 4; ++k) {
    const double x = from[k].x, y = from[k].y, u = to[k].x, v = to[k].y;
    const double r0[9] = {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
    const double r1[9] = {0, 0, 0, x, y, 1, -v * x, -v * y, v};
    std::copy(r0, r0 + 9, a[2 * k]);
    std::copy(r1, r1 + 9, a[2 * k + 1]);
  }
  for (int c = 0; c < 8; ++c) {
    int pivot = c;
    for (int r = c + 1; r < 8; ++r) {
      if (std::fabs(a[r][c]) > std::fabs(a[pivot][c])) pivot = r;
    }
    if (std::fabs(a[pivot][c]) < 1e-9) return false;
    std::swap(a[c], a[pivot]);
    for (int r = 0; r < 8; ++r) {
      if (r == c) continue;
      const double f = a[r][c] / a[c][c];
      for (int k = c; k < 9; ++k) a[r][k] -= f * a[c][k];
    }
  }
  for (int c = 0; c < 8; ++c) out.m[c] = a[c][8] / a[c][c];
  return true;
}

SheetView find_sheet(GrayImage gray) {
  SheetView view;
  const int longer = std::max(gray.width, gray.height);
  if (longer < 32) {
    view.image = std::move(gray);
    return view;
  }
  const float shrink = std::min(1.0f, float(kFindSide) / longer);
  const int w = std::max(8, static_cast<int>(std::lround(gray.width * shrink)));
  const int h = std::max(8, static_cast<int>(std::lround(gray.height * shrink)));
  const GrayImage small = box_blur(resize_area(gray, w, h), 1);
  auto give_back = [&] {
    view.kind = SheetKind::none;
    view.image = std::move(gray);
    return view;
  };
  // A shadow across the sheet may put its shaded part below Otsu's level:
  // lower levels towards the background's are tried too, and the region
  // with the sharpest edge wins (a shadow's edge is soft; the paper's is
  // sharp all round), the larger when as sharp.
  const float otsu = otsu_threshold(small);
  std::vector<float> dark;
  for (float v : small.pixels) {
    if (v <= otsu) dark.push_back(v);
  }
  if (dark.empty()) return give_back();
  const float background = median(dark);
  std::optional<PaperRegion> best;
  for (float part : kLevels) {
    std::optional<PaperRegion> found = paper_region(small, background + part * (otsu - background));
    if (found && (!best || found->sharp > best->sharp + kAsSharp ||
                  (found->sharp > best->sharp - kAsSharp && found->area > best->area))) {
      best = std::move(found);
    }
  }
  if (!best) return give_back();
  const std::vector<std::uint8_t>& sheet = best->mask;
  const std::size_t area = best->area;
  const std::vector<float>& paper = best->paper;

  // Corners: the sheet's furthest points along the four diagonals (a sheet
  // turned less than 45 degrees).
  std::array<Point, 4> q{};
  std::array<float, 4> reach{-1e30f, -1e30f, -1e30f, -1e30f};
  int touching = 0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      if (!sheet[std::size_t(y) * w + x]) continue;
      touching += x == 0 || y == 0 || x == w - 1 || y == h - 1;
      const float px = x + 0.5f, py = y + 0.5f;
      const float score[4] = {-px - py, px - py, px + py, py - px};
      for (int k = 0; k < 4; ++k) {
        if (score[k] > reach[k]) reach[k] = score[k], q[k] = {px, py};
      }
    }
  }
  const float scale_x = float(gray.width) / w, scale_y = float(gray.height) / h;
  const bool quad = touching <= kMostTouching * 2 * (w + h) && area >= kQuadFill * shoelace(q);
  if (quad) {
    for (Point& p : q) p = {p.x * scale_x, p.y * scale_y};
    const float out_w = std::max(distance(q[0], q[1]), distance(q[3], q[2]));
    const float out_h = std::max(distance(q[0], q[3]), distance(q[1], q[2]));
    const float fit = std::min(1.0f, float(longer) / std::max(out_w, out_h));
    const int ow = std::max(8, static_cast<int>(out_w * fit)), oh = std::max(8, static_cast<int>(out_h * fit));
    Point centre{};
    for (Point p : q) centre.x += p.x / 4, centre.y += p.y / 4;
    std::array<Point, 4> inset{};
    for (int k = 0; k < 4; ++k) inset[k] = {q[k].x + kInset * (centre.x - q[k].x) * 2, q[k].y + kInset * (centre.y - q[k].y) * 2};
    const std::array<Point, 4> rect{Point{0, 0}, Point{float(ow), 0}, Point{float(ow), float(oh)}, Point{0, float(oh)}};
    if (Homography::between(rect, inset, view.to_photo)) {
      GrayImage flat(ow, oh);
      for (int y = 0; y < oh; ++y) {
        for (int x = 0; x < ow; ++x) {
          const Point p = view.to_photo.apply({x + 0.5f, y + 0.5f});
          flat.at(x, y) = bilinear(gray, p.x, p.y);
        }
      }
      view.kind = SheetKind::straightened;
      view.corners = q;
      view.image = std::move(flat);
      return view;
    }
  }
  // Cut by the frame or not a quadrilateral: the background becomes paper,
  // a band inside the edge too (its shadow), as light as the paper nearest
  // to it (a step in brightness would be taken for ink).
  const GrayImage keep = min_filter(as_image(sheet, w, h), 2);
  GrayImage weighted(w, h);
  for (std::size_t i = 0; i < keep.pixels.size(); ++i) weighted.pixels[i] = keep.pixels[i] * small.pixels[i];
  const GrayImage near_sum = box_blur(weighted, kPaintReach), near_weight = box_blur(keep, kPaintReach);
  const float paper_level = median(paper);
  GrayImage paint(w, h);
  for (std::size_t i = 0; i < paint.pixels.size(); ++i) {
    paint.pixels[i] = near_weight.pixels[i] > 0.02f ? near_sum.pixels[i] / near_weight.pixels[i] : paper_level;
  }
  const GrayImage fill = resize_bilinear(paint, gray.width, gray.height);
  for (int y = 0; y < gray.height; ++y) {
    const int sy = std::min(h - 1, static_cast<int>(y / scale_y));
    for (int x = 0; x < gray.width; ++x) {
      const int sx = std::min(w - 1, static_cast<int>(x / scale_x));
      if (keep.at(sx, sy) < 0.5f) gray.at(x, y) = fill.at(x, y);
    }
  }
  view.kind = SheetKind::masked;
  view.corners = {Point{0, 0}, Point{float(gray.width), 0}, Point{float(gray.width), float(gray.height)},
                  Point{0, float(gray.height)}};
  view.image = std::move(gray);
  return view;
}

}  // namespace mnist

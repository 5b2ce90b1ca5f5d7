#include "preprocess/number_reader.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "preprocess/preprocess.h"

namespace mnist {

namespace {

// A typical digit drawn on the pad is rendered this many pixels tall, with a
// line this part of its size (MNIST's ink is about an eighth of its box).
constexpr float kPadDigitHeight = 48.0f;
constexpr float kInkFraction = 1.0f / 8.0f;
constexpr int kMaxRasterSide = 4096;
constexpr float kMaxRasterPixels = 1 << 21;

// Width over height of MNIST's digits (ink over 50/255, training set): the
// median and the 5th and 95th percentiles of each class.
struct AspectSpread {
  float median, p5, p95;
};
constexpr AspectSpread kMnistAspect[10] = {{0.90f, 0.65f, 1.25f}, {0.40f, 0.20f, 0.80f}, {0.95f, 0.65f, 1.33f},
                                           {0.80f, 0.55f, 1.11f}, {0.80f, 0.55f, 1.11f}, {0.95f, 0.60f, 1.43f},
                                           {0.75f, 0.50f, 1.00f}, {0.80f, 0.55f, 1.05f}, {0.80f, 0.50f, 1.05f},
                                           {0.70f, 0.50f, 0.95f}};

// Log-likelihood of a piece's aspect for a digit, against the most likely
// aspect: log-normal, spread from the percentiles.
float aspect_log_likelihood(float aspect, int digit) {
  if (digit < 0 || digit > 9 || aspect <= 0) return 0;
  const AspectSpread& a = kMnistAspect[digit];
  const float sigma = (std::log(a.p95) - std::log(a.p5)) / 3.29f;
  const float z = (std::log(aspect) - std::log(a.median)) / sigma;
  return -0.5f * z * z;
}

// Pixels a piece of a group takes: those of the group's own ink between two
// cut paths (none: the group's edge).
struct PieceBounds {
  const CutPath* left = nullptr;
  const CutPath* right = nullptr;
  bool contains(int x, int y) const {
    return (!left || x > left->last_left[y]) && (!right || x <= right->last_left[y]);
  }
};

// A group's ink, cut out with a pixel of margin: its own pixels only (a
// neighbour's soft edge or overlapping stroke left out).
struct GroupInk {
  int x0 = 0, y0 = 0;                 // where the crop sits in the ink map
  GrayImage ink;                      // (h,w)
  std::vector<std::uint8_t> solid;    // (h,w) over the threshold
};

struct Candidate {
  int first = 0, last = 0;  // boundaries: 0 is the group's left edge, cuts + 1 its right
  PixelBox box;             // in the ink map
  Preprocessed input;
  float width = 0, height = 0;  // in digit heights
  float aspect = 0;             // its own width over its own height
};

GroupInk group_ink(const InkMap& map, const DigitGroup& group) {
  int top_label = 0;
  for (const InkBlob& b : map.blobs) top_label = std::max(top_label, b.label);
  std::vector<std::uint8_t> mine(top_label + 1, 0);
  PixelBox box;
  for (int a : group.atoms) {
    box.add(map.blobs[a].box);
    mine[map.blobs[a].label] = 1;
  }
  GroupInk g;
  g.x0 = std::max(0, box.x0 - 1), g.y0 = std::max(0, box.y0 - 1);
  const int x1 = std::min(map.ink.width - 1, box.x1 + 1), y1 = std::min(map.ink.height - 1, box.y1 + 1);
  g.ink = GrayImage(x1 - g.x0 + 1, y1 - g.y0 + 1);
  g.solid.assign(g.ink.pixels.size(), 0);
  for (int y = 0; y < g.ink.height; ++y) {
    for (int x = 0; x < g.ink.width; ++x) {
      const std::size_t i = std::size_t(g.y0 + y) * map.ink.width + g.x0 + x;
      if (!mine[map.owners[i]]) continue;
      g.ink.at(x, y) = map.ink.pixels[i];
      g.solid[std::size_t(y) * g.ink.width + x] = mine[map.labels[i]];
    }
  }
  return g;
}

// The piece of a group between two cuts, as the network's input.
Candidate make_candidate(const GroupInk& g, PieceBounds bounds, float digit_height) {
  Candidate c;
  const int w = g.ink.width, h = g.ink.height;
  PixelBox box;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      if (g.solid[std::size_t(y) * w + x] && bounds.contains(x, y)) box.add(x, y);
    }
  }
  if (box.empty()) return c;
  const int x0 = std::max(0, box.x0 - 1), y0 = std::max(0, box.y0 - 1);
  const int x1 = std::min(w - 1, box.x1 + 1), y1 = std::min(h - 1, box.y1 + 1);
  GrayImage piece(x1 - x0 + 1, y1 - y0 + 1);
  for (int y = y0; y <= y1; ++y) {
    for (int x = x0; x <= x1; ++x) {
      if (bounds.contains(x, y)) piece.at(x - x0, y - y0) = g.ink.at(x, y);
    }
  }
  const InkCount ink = count_ink(x0, y0, x1, y1, [&](int x, int y) {
    return x >= 0 && y >= 0 && x < w && y < h && g.solid[std::size_t(y) * w + x] && bounds.contains(x, y);
  });
  c.input = digit_to_input(piece, ink.area, ink.perimeter);
  c.box = {g.x0 + box.x0, g.y0 + box.y0, g.x0 + box.x1, g.y0 + box.y1};
  c.width = box.width() / digit_height;
  c.height = box.height() / digit_height;
  c.aspect = float(box.width()) / box.height();
  return c;
}

int top_class(const float* p, int classes) { return static_cast<int>(std::max_element(p, p + classes) - p); }

// How plausible a candidate is as one digit, besides the network's confidence.
float shape_prior(const Candidate& c, int digit, const CutChoice& choice) {
  float prior = 0;
  if (c.height < choice.fragment_height) prior -= choice.fragment_cost;
  if (c.width < choice.sliver_width && digit != 1) prior -= choice.sliver_cost;
  if (c.width > choice.wide_from) prior -= choice.wide_slope * (c.width - choice.wide_from);
  prior += choice.aspect_weight * aspect_log_likelihood(c.aspect, digit);
  return prior;
}

ReadDigit to_digit(const Candidate& c, const float* p, int classes) {
  ReadDigit d;
  d.probabilities.assign(p, p + classes);
  d.digit = top_class(p, classes);
  d.box = {float(c.box.x0), float(c.box.y0), float(c.box.x1 + 1), float(c.box.y1 + 1)};
  d.input = c.input;
  return d;
}

// One group's digits: the whole group, or the pieces between the cuts that
// the network finds most convincing together.
std::vector<ReadDigit> read_group(const GroupInk& g, float digit_height, int classes,
                                  const DigitClassifier& classify, const CutChoice& choice) {
  std::vector<CutPath> cuts;
  if (g.ink.width > choice.split_from * digit_height && g.ink.width > choice.split_aspect * g.ink.height) {
    cuts = candidate_cuts(g.ink, digit_height);
  }
  // Strokes a cut crosses: the ink it cuts through over the stroke's width.
  float stroke = 1;
  if (!cuts.empty()) {
    const int w = g.ink.width, h = g.ink.height;
    const InkCount ink = count_ink(0, 0, w - 1, h - 1, [&](int x, int y) {
      return x >= 0 && y >= 0 && x < w && y < h && g.solid[std::size_t(y) * w + x];
    });
    stroke = std::max(1.0f, stroke_width(ink.area, ink.perimeter));
  }
  auto cut_cost = [&](int boundary) {
    return boundary == 0 || boundary == static_cast<int>(cuts.size()) + 1 ? 0.0f
                                                                          : choice.cross_cost * cuts[boundary - 1].crossed / stroke;
  };
  const int ends = static_cast<int>(cuts.size()) + 2;
  std::vector<Candidate> candidates;
  for (int first = 0; first + 1 < ends; ++first) {
    for (int last = first + 1; last < ends; ++last) {
      PieceBounds bounds{first ? &cuts[first - 1] : nullptr, last < ends - 1 ? &cuts[last - 1] : nullptr};
      Candidate c = make_candidate(g, bounds, digit_height);
      // The whole group stays a candidate however wide, so that it is read
      // even when no cut gives pieces of a digit's width.
      const bool whole = first == 0 && last == ends - 1;
      if (c.input.empty || (!whole && c.width > choice.max_piece_width)) continue;
      c.first = first, c.last = last;
      candidates.push_back(std::move(c));
    }
  }
  if (candidates.empty()) return {};
  std::vector<float> inputs(candidates.size() * kInputSide * kInputSide);
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    std::copy(candidates[i].input.pixels.begin(), candidates[i].input.pixels.end(),
              inputs.begin() + i * kInputSide * kInputSide);
  }
  std::vector<float> probs(candidates.size() * classes);
  classify(inputs.data(), static_cast<int>(candidates.size()), probs.data());

  // Best reading of the group up to each boundary.
  const float none = -std::numeric_limits<float>::infinity();
  std::vector<float> best(ends, none);
  std::vector<int> via(ends, -1);
  best[0] = 0;
  for (int end = 1; end < ends; ++end) {
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      const Candidate& c = candidates[i];
      if (c.last != end || best[c.first] == none) continue;
      const float* p = probs.data() + i * classes;
      const int digit = top_class(p, classes);
      const float score = best[c.first] + std::log(std::max(p[digit], 1e-6f)) + shape_prior(c, digit, choice) -
                          choice.piece_cost - cut_cost(c.first);
      if (score > best[end]) best[end] = score, via[end] = static_cast<int>(i);
    }
  }
  std::vector<ReadDigit> digits;
  if (via[ends - 1] < 0) return digits;  // no cut made pieces of a digit's width
  for (int end = ends - 1; end > 0;) {
    const int i = via[end];
    digits.push_back(to_digit(candidates[i], probs.data() + std::size_t(i) * classes, classes));
    end = candidates[i].first;
  }
  std::reverse(digits.begin(), digits.end());
  return digits;
}

}  // namespace

std::string NumberReading::text() const {
  std::string s = negative && !digits.empty() ? "-" : "";
  for (std::size_t k = 0; k < digits.size(); ++k) {
    if (point_after > 0 && k == std::size_t(point_after)) s += '.';
    s += digits[k].digit >= 0 && digits[k].digit <= 9 ? char('0' + digits[k].digit) : '?';
  }
  return s;
}

namespace {

// The number in some of the map's blobs (subset: indices into map.blobs),
// crossing as for group_into_digits, in subset indices.
NumberReading read_blobs(const InkMap& map, std::span<const int> subset, int classes, const DigitClassifier& classify,
                         std::span<const std::pair<int, int>> crossing, float least_digit_height,
                         const CutChoice& choice) {
  NumberReading out;
  if (map.empty || subset.empty()) return out;
  if (subset.size() > std::size_t(kMaxMarks)) {
    out.message = "Too many separate marks (" + std::to_string(subset.size()) + ") to be a number.";
    return out;
  }
  std::vector<Box> atoms;
  for (int i : subset) {
    const PixelBox& b = map.blobs[i].box;
    atoms.push_back({float(b.x0), float(b.y0), float(b.x1 + 1), float(b.y1 + 1)});
  }
  Grouping grouping = group_into_digits(atoms, crossing);
  if (grouping.scattered) {
    out.message = "These marks are scattered, not a number on a line.";
    return out;
  }
  int groups_read = 0;
  for (DigitGroup& group : grouping.groups) {
    for (int& a : group.atoms) a = subset[a];
    std::vector<ReadDigit> digits = read_group(group_ink(map, group), std::max(grouping.digit_height, least_digit_height),
                                               classes, classify, choice);
    for (ReadDigit& d : digits) {
      if (out.digits.size() < std::size_t(kMaxDigits)) out.digits.push_back(std::move(d));
    }
    ++groups_read;
    if (out.digits.size() == std::size_t(kMaxDigits)) break;
  }
  if (groups_read < static_cast<int>(grouping.groups.size())) {
    out.message = "Only the first " + std::to_string(kMaxDigits) + " digits are read.";
  }
  if (out.digits.empty()) {
    out.message = "Only small marks here, too small to be digits.";
    return out;
  }
  out.box = out.digits.front().box;
  for (const ReadDigit& d : out.digits) out.box = united(out.box, d.box);
  if (grouping.minus) out.negative = true, out.box = united(out.box, *grouping.minus);
  if (grouping.point) {
    int before = 0;
    for (const ReadDigit& d : out.digits) before += d.box.center_x() < grouping.point->center_x();
    if (before > 0 && before < static_cast<int>(out.digits.size())) {
      out.point_after = before;
      out.box = united(out.box, *grouping.point);
    }
  }
  return out;
}

}  // namespace

NumberReading read_number(const InkMap& map, int classes, const DigitClassifier& classify,
                          std::span<const std::pair<int, int>> crossing, float least_digit_height,
                          const CutChoice& choice) {
  std::vector<int> all(map.blobs.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
  return read_blobs(map, all, classes, classify, crossing, least_digit_height, choice);
}

NumberReading read_number_of(const InkMap& map, std::span<const int> blobs, int classes,
                             const DigitClassifier& classify, const CutChoice& choice) {
  return read_blobs(map, blobs, classes, classify, {}, 0, choice);
}

Result<NumberReading> read_number_in_image(std::span<const std::uint8_t> pixels, int width, int height,
                                           int channels, int classes, const DigitClassifier& classify,
                                           const CutChoice& choice) {
  auto working = gray_working_image(pixels, width, height, channels, kPhotoWorkingSide);
  if (!working) return working.status();
  const InkMap map = find_ink(std::move(working.value().first), working.value().second);
  NumberReading r = read_number(map, classes, classify, {}, 0, choice);
  if (map.empty) return r;
  const float sx = float(width) / map.ink.width, sy = float(height) / map.ink.height;
  for (ReadDigit& d : r.digits) d.box = {d.box.x0 * sx, d.box.y0 * sy, d.box.x1 * sx, d.box.y1 * sy};
  r.box = {r.box.x0 * sx, r.box.y0 * sy, r.box.x1 * sx, r.box.y1 * sy};
  return r;
}

NumberReading read_number_in_strokes(std::span<const Stroke> strokes, int classes,
                                     const DigitClassifier& classify, const CutChoice& choice) {
  if (strokes.empty()) return {};
  std::vector<Box> bounds;
  Box all = stroke_bounds(strokes.front());
  for (const Stroke& s : strokes) {
    bounds.push_back(stroke_bounds(s));
    all = {std::min(all.x0, bounds.back().x0), std::min(all.y0, bounds.back().y0),
           std::max(all.x1, bounds.back().x1), std::max(all.y1, bounds.back().y1)};
  }
  // Strokes have no width yet: group them by their centre lines to learn a
  // digit's height, then draw each digit's strokes with its own line.
  const std::vector<std::pair<int, int>> crossing = crossing_strokes(strokes);
  const Grouping grouping = group_into_digits(bounds, crossing);
  const float extent = std::max({all.width(), all.height(), 1e-3f});
  // A stroke or two flatter than any digit (a bar, the first stroke of a 7)
  // still stands for a digit about as tall as it is wide.
  float widest_group = 0;
  for (const DigitGroup& g : grouping.groups) widest_group = std::max(widest_group, std::max(g.box.width(), g.box.height()));
  const float digit_height = std::max({grouping.digit_height, 0.6f * widest_group, 0.1f * extent});
  std::vector<float> size(strokes.size(), digit_height);  // pad units; strokes left out keep the typical size
  for (const DigitGroup& g : grouping.groups) {
    for (int a : g.atoms) size[a] = std::max({g.box.width(), g.box.height(), 0.1f * digit_height});
  }
  const float widest_line = kInkFraction * *std::max_element(size.begin(), size.end());
  float scale = kPadDigitHeight / digit_height;
  const float margin = widest_line + 2.0f / scale;
  const float span = std::max(all.width(), all.height()) + 2 * margin;
  scale = std::min(scale, kMaxRasterSide / span);
  scale = std::min(scale, std::sqrt(kMaxRasterPixels / ((all.width() + 2 * margin) * (all.height() + 2 * margin))));
  std::vector<float> line_widths(strokes.size());
  for (std::size_t s = 0; s < strokes.size(); ++s) line_widths[s] = std::max(1.5f, kInkFraction * size[s] * scale);
  const float ox = all.x0 - margin, oy = all.y0 - margin;
  const int w = std::max(1, static_cast<int>(std::ceil((all.width() + 2 * margin) * scale)));
  const int h = std::max(1, static_cast<int>(std::ceil((all.height() + 2 * margin) * scale)));
  const InkMap map = rasterize_strokes(strokes, scale, ox, oy, w, h, line_widths);
  NumberReading r = read_number(map, classes, classify, crossing, digit_height * scale, choice);
  auto to_pad = [&](const Box& b) { return Box{ox + b.x0 / scale, oy + b.y0 / scale, ox + b.x1 / scale, oy + b.y1 / scale}; };
  for (ReadDigit& d : r.digits) d.box = to_pad(d.box);
  r.box = to_pad(r.box);
  return r;
}

}  // namespace mnist

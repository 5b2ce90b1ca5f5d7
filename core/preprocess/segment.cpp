#include "preprocess/segment.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace mnist {

namespace {

// Two pieces are one digit when their shared columns are at least this part
// of the narrower one's, and together they are no taller than this many
// digit heights. Two pieces side by side that are each nearly a digit's
// height must share more: slanted neighbours share columns too (pieces
// stacked one above the other, as an 8's loops, need not).
constexpr float kSameDigitOverlap = 0.5f;
constexpr float kTallPiece = 0.6f;
constexpr float kTallPiecesOverlap = 0.8f;
constexpr float kSameDigitMaxHeight = 1.6f;
constexpr float kStackedGap = 0.25f;
// Strokes that cross are one digit unless together wider than this.
constexpr float kCrossingMaxWidth = 1.1f;
// A mark smaller than this (in digit heights, both ways) is not a digit by
// itself: it joins a digit whose columns it shares within kJoinDistance (a
// broken-off piece), otherwise it is left out (a dot, a dash, a speck).
constexpr float kMarkHeight = 0.4f;
constexpr float kMarkWidth = 0.6f;
constexpr float kJoinDistance = 0.25f;
// A piece shorter than this but larger than a mark is part of a digit, not
// one (the detached flag of a 5, half of a 7 broken by a light pen line): it
// joins the nearest digit within kFragmentGap, whatever their columns, when
// together they are no wider than kFragmentMaxWidth and no taller than
// kSameDigitMaxHeight.
constexpr float kFragmentHeight = 0.6f;
constexpr float kFragmentGap = 0.2f;
constexpr float kFragmentMaxWidth = 1.3f;
// A digit whose centre is further than this from the line through the others
// is not part of the number.
constexpr float kOffLine = 0.6f;

// A minus sign (in digit heights): no thicker than kSignThickness, at least
// kSignFlatness times as wide as thick, kSignMinWidth to kSignMaxWidth wide,
// at most kSignGap before the first digit, its centre between kSignLowest
// and kSignHighest of the way down the rows of the first two digits.
constexpr float kSignThickness = 0.35f;
constexpr float kSignFlatness = 1.8f;
constexpr float kSignMinWidth = 0.2f;
constexpr float kSignMaxWidth = 1.2f;
constexpr float kSignGap = 1.2f;
constexpr float kSignLowest = 0.2f;
constexpr float kSignHighest = 0.85f;
// A decimal point: no larger than kPointSize either way, no more than three
// times as long as wide, its centre in the gap between two digits (within
// kPointReach of either), between kPointAbove of the digits' height over
// their baseline and kPointBelow under it.
constexpr float kPointSize = 0.35f;
constexpr float kPointReach = 0.15f;
constexpr float kPointAbove = 0.35f;
constexpr float kPointBelow = 0.25f;

// line: the rows of the first two digits (one digit's alone).
bool is_minus(const Box& m, const Box& first, const Box& line, float h) {
  const float thick = std::max(1.0f, m.height());
  if (m.height() > kSignThickness * h || m.width() < kSignFlatness * thick) return false;
  if (m.width() < kSignMinWidth * h || m.width() > kSignMaxWidth * h) return false;
  const float gap = first.x0 - m.x1;
  if (gap < -kPointReach * h || gap > kSignGap * h) return false;
  const float rise = (m.center_y() - line.y0) / std::max(1.0f, line.height());
  return rise >= kSignLowest && rise <= kSignHighest;
}

// by_x: the digits' boxes, left to right by their centres.
bool is_point(const Box& m, std::span<const Box> by_x, float h) {
  const float w = std::max(1.0f, m.width()), t = std::max(1.0f, m.height());
  if (std::max(w, t) > kPointSize * h || w > 3 * t || t > 3 * w) return false;
  for (std::size_t k = 0; k + 1 < by_x.size(); ++k) {
    const Box &left = by_x[k], &right = by_x[k + 1];
    const float x = m.center_x();
    if (x <= left.center_x() || x >= right.center_x()) continue;
    if (x < left.x1 - kPointReach * h || x > right.x0 + kPointReach * h) continue;
    const float baseline = (left.y1 + right.y1) / 2, height = (left.height() + right.height()) / 2;
    if (m.center_y() >= baseline - kPointAbove * height && m.center_y() <= baseline + kPointBelow * h) return true;
  }
  return false;
}

}  // namespace

int find_root(std::vector<int>& parent, int i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

float typical_height(std::span<const Box> boxes) {
  float tallest = 0;
  for (const Box& b : boxes) tallest = std::max(tallest, b.height());
  std::vector<float> heights;
  for (const Box& b : boxes) {
    if (b.height() >= 0.4f * tallest) heights.push_back(b.height());
  }
  return std::max(1.0f, median(heights));
}

Box united(const Box& a, const Box& b) {
  return {std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

float gap_between(const Box& a, const Box& b) {
  const float dx = std::max({0.0f, a.x0 - b.x1, b.x0 - a.x1});
  const float dy = std::max({0.0f, a.y0 - b.y1, b.y0 - a.y1});
  return std::hypot(dx, dy);
}

Grouping group_into_digits(std::span<const Box> atoms, std::span<const std::pair<int, int>> crossing) {
  Grouping out;
  const int n = static_cast<int>(atoms.size());
  if (n == 0) return out;
  const float h0 = typical_height(atoms);
  std::vector<int> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      const Box &a = atoms[i], &b = atoms[j];
      const float shared = std::min(a.x1, b.x1) - std::max(a.x0, b.x0);
      const float narrower = std::max(1e-3f, std::min(a.width(), b.width()));
      const bool both_tall = std::min(a.height(), b.height()) >= kTallPiece * h0;
      const float shared_rows = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
      const bool side_by_side = shared_rows >= 0.5f * std::min(a.height(), b.height());
      const float needed = both_tall && side_by_side ? kTallPiecesOverlap : kSameDigitOverlap;
      if (shared <= 0 || shared < needed * narrower) continue;
      // Stacked pieces that nearly meet may be halves of one digit (an 8
      // drawn as two loops), each as tall as a typical piece.
      const float gap = -shared_rows;
      const bool halves = !side_by_side && gap <= kStackedGap * h0 && united(a, b).height() <= 2 * kSameDigitMaxHeight * h0;
      if (united(a, b).height() > kSameDigitMaxHeight * h0 && !halves) continue;
      parent[find_root(parent, i)] = find_root(parent, j);
    }
  }
  for (auto [i, j] : crossing) {
    if (i < 0 || j < 0 || i >= n || j >= n) continue;
    // Each piece may be half a digit's height (an 8 drawn as two loops).
    const Box both = united(atoms[i], atoms[j]);
    if (both.width() <= kCrossingMaxWidth * std::max(h0, both.height())) parent[find_root(parent, i)] = find_root(parent, j);
  }
  std::vector<DigitGroup> groups;
  std::vector<int> group_of(n, -1);
  for (int i = 0; i < n; ++i) {
    const int root = find_root(parent, i);
    if (group_of[root] < 0) {
      group_of[root] = static_cast<int>(groups.size());
      groups.push_back({atoms[i], {}});
    }
    DigitGroup& g = groups[group_of[root]];
    g.box = united(g.box, atoms[i]);
    g.atoms.push_back(i);
  }
  std::vector<Box> group_boxes;
  for (const DigitGroup& g : groups) group_boxes.push_back(g.box);
  const float h = typical_height(group_boxes);
  out.digit_height = h;

  // Small marks and fragments join the nearest digit; marks that join none
  // are left out, fragments that join none are digits.
  auto is_mark = [&](const DigitGroup& g) {
    return g.box.height() < kMarkHeight * h && g.box.width() < kMarkWidth * h;
  };
  auto is_fragment = [&](const DigitGroup& g) { return g.box.height() < kFragmentHeight * h; };
  std::vector<DigitGroup> digits;
  std::vector<const DigitGroup*> pieces;
  for (const DigitGroup& g : groups) {
    if (is_fragment(g)) pieces.push_back(&g);
    else digits.push_back(g);
  }
  // The sign and the point are told before marks join digits: a point in
  // the gap beside a slanted digit would join it.
  if (!digits.empty()) {
    std::vector<Box> by_x;
    for (const DigitGroup& d : digits) by_x.push_back(d.box);
    std::sort(by_x.begin(), by_x.end(), [](const Box& a, const Box& b) { return a.center_x() < b.center_x(); });
    const Box first = *std::min_element(by_x.begin(), by_x.end(), [](const Box& a, const Box& b) { return a.x0 < b.x0; });
    const Box line = by_x.size() > 1 ? united(by_x[0], by_x[1]) : first;
    auto sign = pieces.end();
    for (auto it = pieces.begin(); it != pieces.end(); ++it) {
      if (is_minus((*it)->box, first, line, h) && (sign == pieces.end() || (*it)->box.x1 > (*sign)->box.x1)) sign = it;
    }
    if (sign != pieces.end()) out.minus = (*sign)->box, pieces.erase(sign);
    for (auto it = pieces.begin(); it != pieces.end(); ++it) {
      if (!is_point((*it)->box, by_x, h)) continue;
      out.point = (*it)->box;
      pieces.erase(it);
      break;
    }
  }
  std::vector<DigitGroup> lone_fragments;
  for (const DigitGroup* m : pieces) {
    int best = -1;
    float best_gap = std::numeric_limits<float>::infinity();
    for (std::size_t d = 0; d < digits.size(); ++d) {
      const Box& b = digits[d].box;
      const bool shares_columns = std::min(m->box.x1, b.x1) > std::max(m->box.x0, b.x0);
      const float gap = gap_between(m->box, b);
      const Box both = united(m->box, b);
      const bool mark_joins = is_mark(*m) && shares_columns && gap <= kJoinDistance * h;
      const bool fragment_joins = !is_mark(*m) && gap <= kFragmentGap * h && both.width() <= kFragmentMaxWidth * h &&
                                  both.height() <= kSameDigitMaxHeight * h;
      if ((mark_joins || fragment_joins) && gap < best_gap) best = static_cast<int>(d), best_gap = gap;
    }
    if (best >= 0) {
      digits[best].box = united(digits[best].box, m->box);
      digits[best].atoms.insert(digits[best].atoms.end(), m->atoms.begin(), m->atoms.end());
    } else if (is_mark(*m)) {
      ++out.left_out;
    } else {
      lone_fragments.push_back(*m);
    }
  }
  digits.insert(digits.end(), lone_fragments.begin(), lone_fragments.end());

  // The number's line: Theil-Sen through the digits' centres (robust to a
  // few stray marks), then digits far off it are left out.
  if (digits.size() >= 3) {
    std::vector<float> slopes;
    for (std::size_t i = 0; i < digits.size(); ++i) {
      for (std::size_t j = i + 1; j < digits.size(); ++j) {
        const float dx = digits[j].box.center_x() - digits[i].box.center_x();
        if (std::fabs(dx) > 0.25f * h) slopes.push_back((digits[j].box.center_y() - digits[i].box.center_y()) / dx);
      }
    }
    const float slope = std::clamp(median(slopes), -0.5f, 0.5f);
    std::vector<float> offsets;
    for (const DigitGroup& d : digits) offsets.push_back(d.box.center_y() - slope * d.box.center_x());
    const float offset = median(offsets);
    std::vector<DigitGroup> on_line;
    for (const DigitGroup& d : digits) {
      if (std::fabs(d.box.center_y() - slope * d.box.center_x() - offset) <= kOffLine * h) on_line.push_back(d);
    }
    const int off = static_cast<int>(digits.size() - on_line.size());
    out.left_out += off;
    out.scattered = off > std::max<int>(1, static_cast<int>(digits.size()) / 3);
    digits = std::move(on_line);
  }
  std::sort(digits.begin(), digits.end(),
            [](const DigitGroup& a, const DigitGroup& b) { return a.box.center_x() < b.box.center_x(); });
  for (DigitGroup& d : digits) std::sort(d.atoms.begin(), d.atoms.end());
  out.groups = std::move(digits);
  return out;
}

std::vector<CutPath> candidate_cuts(const GrayImage& ink, float digit_height) {
  const int w = ink.width, h = ink.height;
  std::vector<CutPath> cuts;
  if (w < 3 || h < 1) return cuts;
  std::vector<float> column(w, 0.0f);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) column[x] += ink.at(x, y);
  }
  int first = 0, last = w - 1;  // the ink's own extent
  while (first < w && column[first] <= 0) ++first;
  while (last > first && column[last] <= 0) --last;
  const float margin = 0.18f * digit_height;
  const int lo = static_cast<int>(std::ceil(first + margin)), hi = static_cast<int>(std::floor(last - margin));
  if (lo > hi) return cuts;
  std::vector<float> smooth(w, 0.0f);
  for (int x = 0; x < w; ++x) {
    for (int k = -1; k <= 1; ++k) smooth[x] += column[std::clamp(x + k, 0, w - 1)];
  }
  // Valleys first (deepest first), then even spacing for the digits expected.
  const int expected = std::max(2, static_cast<int>(std::lround((last - first + 1) / (0.62f * digit_height))));
  // A valley is the lowest column within a margin each way, with more ink on
  // both sides: a flat stretch (a bar, the top of a 7 drawn so far) has none,
  // so it does not fill the group with cuts.
  std::vector<std::pair<float, int>> valleys;
  const int reach = std::max(1, static_cast<int>(margin));
  for (int x = lo; x <= hi; ++x) {
    float left_max = 0, right_max = 0;
    bool lowest = true;
    for (int k = 1; k <= reach && lowest; ++k) {
      if (x - k >= 0) lowest = smooth[x - k] >= smooth[x], left_max = std::max(left_max, smooth[x - k]);
      if (x + k < w && lowest) lowest = smooth[x + k] >= smooth[x], right_max = std::max(right_max, smooth[x + k]);
    }
    if (lowest && left_max > smooth[x] && right_max > smooth[x]) valleys.push_back({smooth[x], x});
  }
  std::sort(valleys.begin(), valleys.end());
  std::vector<int> starts;
  for (const auto& v : valleys) starts.push_back(v.second);
  for (int k = 1; k < expected; ++k) starts.push_back(first + (last - first + 1) * k / expected);
  std::vector<int> chosen;
  for (int x : starts) {
    if (x < lo || x > hi) continue;
    bool far = true;
    for (int c : chosen) far = far && std::abs(c - x) >= margin;
    if (far) chosen.push_back(x);
    if (static_cast<int>(chosen.size()) == std::min(kMaxCuts, 2 * expected + 2)) break;
  }

  // Each start becomes the cheapest path from top to bottom within a band
  // around it: crossing ink costs its value, each sideways step a little,
  // and straying from the start a little more.
  const int band = std::max(1, static_cast<int>(0.25f * digit_height));
  constexpr float kStepCost = 0.3f, kStrayCost = 0.02f;
  for (int start : chosen) {
    const int bx0 = std::max(0, start - band), bx1 = std::min(w - 2, start + band);
    const int bw = bx1 - bx0 + 1;
    if (bw < 1) continue;
    std::vector<float> cost(std::size_t(bw) * h);
    std::vector<signed char> step(std::size_t(bw) * h, 0);
    for (int y = 0; y < h; ++y) {
      for (int i = 0; i < bw; ++i) {
        const int x = bx0 + i;
        // The cut runs between column x and x + 1: it crosses both pixels' ink.
        const float own = std::min(ink.at(x, y), ink.at(x + 1, y)) + 0.25f * (ink.at(x, y) + ink.at(x + 1, y)) +
                          kStrayCost * std::abs(x - start);
        float best = 0;
        signed char best_step = 0;
        if (y > 0) {
          best = std::numeric_limits<float>::infinity();
          for (int d = -1; d <= 1; ++d) {
            const int j = i + d;
            if (j < 0 || j >= bw) continue;
            const float c = cost[std::size_t(y - 1) * bw + j] + (d ? kStepCost : 0.0f);
            if (c < best) best = c, best_step = static_cast<signed char>(d);
          }
        }
        cost[std::size_t(y) * bw + i] = best + own;
        step[std::size_t(y) * bw + i] = best_step;
      }
    }
    int i = static_cast<int>(std::min_element(cost.end() - bw, cost.end()) - (cost.end() - bw));
    CutPath path;
    path.last_left.resize(h);
    for (int y = h - 1; y >= 0; --y) {
      path.last_left[y] = bx0 + i;
      i += step[std::size_t(y) * bw + i];
    }
    double sum = 0;
    for (int y = 0; y < h; ++y) {
      const int x = path.last_left[y];
      sum += x;
      path.crossed += ink.at(x, y) > 0.5f && ink.at(x + 1, y) > 0.5f;
    }
    path.mean_x = static_cast<float>(sum / h);
    // Two starts that found the same valley give one cut.
    bool same = false;
    for (const CutPath& other : cuts) same = same || std::fabs(other.mean_x - path.mean_x) < 0.1f * digit_height;
    if (!same) cuts.push_back(std::move(path));
  }
  std::sort(cuts.begin(), cuts.end(), [](const CutPath& a, const CutPath& b) { return a.mean_x < b.mean_x; });
  return cuts;
}

}  // namespace mnist

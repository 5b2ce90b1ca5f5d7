#include "preprocess/text_lines.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace mnist {

namespace {

// In typical digit heights. Marks whose boxes come this close are parts of
// one digit (an 8's loops, a 5's flag) or a digit and its point or sign,
// when one of them is smaller than kPartHeight.
constexpr float kPartGap = 0.3f;
constexpr float kPartHeight = 0.6f;
// Marks on one line (the smaller's centre within the larger's rows) are one
// number when no further apart than this: a person leaves more space
// between numbers than between the digits of one.
constexpr float kNumberGap = 1.0f;
// A number needs a mark at least this tall; smaller ones alone are specks.
constexpr float kLeastNumberHeight = 0.5f;
// More lone single marks than this, and more than half the numbers: the
// marks are scattered (dots, text, noise), not numbers.
constexpr int kMostLoneMarks = 4;

bool on_one_line(const Box& a, const Box& b) {
  const Box& small = a.height() < b.height() ? a : b;
  const Box& large = a.height() < b.height() ? b : a;
  return small.center_y() >= large.y0 && small.center_y() <= large.y1;
}

// The sheet's slant: the median slope of the lines through each number's
// tall marks, so that reading order follows a sheet seen turned.
float sheet_slope(std::span<const Box> atoms, const std::vector<NumberPlace>& numbers, float h) {
  std::vector<float> slopes;
  for (const NumberPlace& n : numbers) {
    for (std::size_t i = 0; i + 1 < n.atoms.size(); ++i) {
      const Box &a = atoms[n.atoms[i]], &b = atoms[n.atoms[i + 1]];
      if (a.height() < kPartHeight * h || b.height() < kPartHeight * h) continue;
      const float dx = b.center_x() - a.center_x();
      if (std::fabs(dx) > 0.5f * h) slopes.push_back((b.center_y() - a.center_y()) / dx);
    }
  }
  return std::clamp(median(slopes), -0.5f, 0.5f);
}

}  // namespace

SheetLayout group_into_numbers(std::span<const Box> atoms) {
  SheetLayout out;
  const int n = static_cast<int>(atoms.size());
  if (n == 0) return out;
  const float h = typical_height(atoms);
  std::vector<int> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      const Box &a = atoms[i], &b = atoms[j];
      const bool part = std::min(a.height(), b.height()) < kPartHeight * h && gap_between(a, b) <= kPartGap * h;
      const float dx = std::max({0.0f, a.x0 - b.x1, b.x0 - a.x1});
      const bool neighbours = on_one_line(a, b) && dx <= kNumberGap * h;
      if (part || neighbours) parent[find_root(parent, i)] = find_root(parent, j);
    }
  }
  std::vector<int> place_of(n, -1);
  std::vector<NumberPlace> places;
  for (int i = 0; i < n; ++i) {
    const int root = find_root(parent, i);
    if (place_of[root] < 0) place_of[root] = static_cast<int>(places.size()), places.push_back({atoms[i], {}});
    NumberPlace& p = places[place_of[root]];
    p.box = united(p.box, atoms[i]);
    p.atoms.push_back(i);
  }
  std::vector<NumberPlace> numbers;
  int lone = 0;
  for (NumberPlace& p : places) {
    float tallest = 0;
    for (int a : p.atoms) tallest = std::max(tallest, atoms[a].height());
    if (tallest < kLeastNumberHeight * h) {
      out.left_out += static_cast<int>(p.atoms.size());
      continue;
    }
    lone += p.atoms.size() == 1;
    numbers.push_back(std::move(p));
  }
  if (lone > kMostLoneMarks && 2 * lone > static_cast<int>(numbers.size())) {
    out.scattered = true;
    return out;
  }
  // Reading order: lines by where they cross the sheet's left edge, then
  // left to right. A number joins a line whose rows it shares, once the
  // slant is taken out.
  const float slope = sheet_slope(atoms, numbers, h);
  auto level = [&](const NumberPlace& p, float y) { return y - slope * p.box.center_x(); };
  std::sort(numbers.begin(), numbers.end(), [&](const NumberPlace& a, const NumberPlace& b) {
    return level(a, a.box.center_y()) < level(b, b.box.center_y());
  });
  std::vector<int> line(numbers.size());
  float line_top = 0, line_bottom = 0;
  int lines = 0;
  for (std::size_t k = 0; k < numbers.size(); ++k) {
    const float top = level(numbers[k], numbers[k].box.y0), bottom = level(numbers[k], numbers[k].box.y1);
    const float centre = (top + bottom) / 2;
    if (k == 0 || centre > line_bottom) {
      ++lines, line_top = top, line_bottom = bottom;
    } else {
      line_top = std::min(line_top, top), line_bottom = std::max(line_bottom, bottom);
    }
    line[k] = lines;
  }
  std::vector<int> order(numbers.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return line[a] != line[b] ? line[a] < line[b] : numbers[a].box.x0 < numbers[b].box.x0;
  });
  for (int k : order) {
    if (out.numbers.size() == std::size_t(kMaxNumbers)) {
      out.more = true;
      break;
    }
    out.numbers.push_back(std::move(numbers[k]));
  }
  return out;
}

}  // namespace mnist

#include "preprocess/image_ops.h"

#include <algorithm>
#include <cmath>
#include <deque>

namespace mnist {

namespace {

// For output cell i of n over a source of length m, the source spans it covers.
struct Span1D {
  int first;
  std::vector<float> weights;  // overlap of source pixels first, first+1, ...
};

std::vector<Span1D> area_spans(int m, int n) {
  std::vector<Span1D> spans(n);
  const double scale = static_cast<double>(m) / n;
  for (int i = 0; i < n; ++i) {
    const double a = i * scale, b = (i + 1) * scale;
    Span1D& s = spans[i];
    s.first = static_cast<int>(std::floor(a));
    for (int j = s.first; j < m && j < b; ++j) {
      const double overlap = std::min<double>(b, j + 1) - std::max<double>(a, j);
      s.weights.push_back(static_cast<float>(overlap / scale));
    }
  }
  return spans;
}

// Applies a 1-D running filter along rows then columns.
template <typename Op>
GrayImage separable(const GrayImage& img, int r, Op op) {
  GrayImage tmp(img.width, img.height), out(img.width, img.height);
  std::vector<float> line, result;
  for (int y = 0; y < img.height; ++y) {
    line.assign(img.pixels.begin() + std::size_t(y) * img.width,
                img.pixels.begin() + std::size_t(y + 1) * img.width);
    op(line, r, result);
    std::copy(result.begin(), result.end(), tmp.pixels.begin() + std::size_t(y) * img.width);
  }
  for (int x = 0; x < img.width; ++x) {
    line.resize(img.height);
    for (int y = 0; y < img.height; ++y) line[y] = tmp.at(x, y);
    op(line, r, result);
    for (int y = 0; y < img.height; ++y) out.at(x, y) = result[y];
  }
  return out;
}

// Sliding window min or max with a monotonic deque: O(n) whatever r is.
template <typename Better>
void running_extreme(const std::vector<float>& in, int r, std::vector<float>& out, Better better) {
  const int n = static_cast<int>(in.size());
  out.resize(n);
  std::deque<int> window;
  int next = 0;
  for (int i = 0; i < n; ++i) {
    const int hi = std::min(n - 1, i + r);
    while (next <= hi) {
      while (!window.empty() && !better(in[window.back()], in[next])) window.pop_back();
      window.push_back(next++);
    }
    while (window.front() < i - r) window.pop_front();
    out[i] = in[window.front()];
  }
}

}  // namespace

GrayImage resize_area(const GrayImage& src, int width, int height) {
  const auto xs = area_spans(src.width, width);
  const auto ys = area_spans(src.height, height);
  GrayImage rows(width, src.height);  // horizontal pass
  for (int y = 0; y < src.height; ++y) {
    for (int x = 0; x < width; ++x) {
      float sum = 0;
      for (std::size_t k = 0; k < xs[x].weights.size(); ++k) {
        sum += xs[x].weights[k] * src.at(xs[x].first + static_cast<int>(k), y);
      }
      rows.at(x, y) = sum;
    }
  }
  GrayImage out(width, height);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      float sum = 0;
      for (std::size_t k = 0; k < ys[y].weights.size(); ++k) {
        sum += ys[y].weights[k] * rows.at(x, ys[y].first + static_cast<int>(k));
      }
      out.at(x, y) = sum;
    }
  }
  return out;
}

float median(std::vector<float> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

GrayImage block_min(const GrayImage& image, int block) {
  GrayImage out((image.width + block - 1) / block, (image.height + block - 1) / block, 1e30f);
  for (int y = 0; y < image.height; ++y) {
    float* row = out.pixels.data() + std::size_t(y / block) * out.width;
    for (int x = 0; x < image.width; ++x) row[x / block] = std::min(row[x / block], image.at(x, y));
  }
  return out;
}

GrayImage resize_bilinear(const GrayImage& image, int width, int height) {
  GrayImage out(width, height);
  const float sx = float(image.width) / width, sy = float(image.height) / height;
  for (int y = 0; y < height; ++y) {
    const float fy = std::clamp((y + 0.5f) * sy - 0.5f, 0.0f, float(image.height - 1));
    const int y0 = static_cast<int>(fy), y1 = std::min(y0 + 1, image.height - 1);
    const float wy = fy - y0;
    for (int x = 0; x < width; ++x) {
      const float fx = std::clamp((x + 0.5f) * sx - 0.5f, 0.0f, float(image.width - 1));
      const int x0 = static_cast<int>(fx), x1 = std::min(x0 + 1, image.width - 1);
      const float wx = fx - x0;
      out.at(x, y) = (1 - wy) * ((1 - wx) * image.at(x0, y0) + wx * image.at(x1, y0)) +
                     wy * ((1 - wx) * image.at(x0, y1) + wx * image.at(x1, y1));
    }
  }
  return out;
}

float max_of_3x3_mean(const GrayImage& image) {
  // Separable: sums of 3 along rows, then of 3 of those along columns.
  const int w = image.width, h = image.height;
  std::vector<float> rows(std::size_t(w) * h), counts_x(w);
  for (int x = 0; x < w; ++x) counts_x[x] = float(std::min(w - 1, x + 1) - std::max(0, x - 1) + 1);
  for (int y = 0; y < h; ++y) {
    const float* in = image.pixels.data() + std::size_t(y) * w;
    float* out = rows.data() + std::size_t(y) * w;
    for (int x = 0; x < w; ++x) {
      out[x] = in[x] + (x > 0 ? in[x - 1] : 0.0f) + (x + 1 < w ? in[x + 1] : 0.0f);
    }
  }
  float best = 0.0f;
  for (int y = 0; y < h; ++y) {
    const float* mid = rows.data() + std::size_t(y) * w;
    const float* up = y > 0 ? mid - w : nullptr;
    const float* down = y + 1 < h ? mid + w : nullptr;
    const float count_y = float((up ? 1 : 0) + 1 + (down ? 1 : 0));
    for (int x = 0; x < w; ++x) {
      const float sum = mid[x] + (up ? up[x] : 0.0f) + (down ? down[x] : 0.0f);
      best = std::max(best, sum / (count_y * counts_x[x]));
    }
  }
  return best;
}

float otsu_threshold(const GrayImage& image) {
  double hist[256] = {};
  for (float v : image.pixels) hist[std::clamp(static_cast<int>(v * 255.0f + 0.5f), 0, 255)] += 1;
  const double total = static_cast<double>(image.pixels.size());
  double sum_all = 0;
  for (int i = 0; i < 256; ++i) sum_all += i * hist[i];
  double w0 = 0, sum0 = 0, best = -1;
  int best_t = 0;
  for (int t = 0; t < 256; ++t) {
    w0 += hist[t];
    sum0 += t * hist[t];
    const double w1 = total - w0;
    if (w0 == 0 || w1 == 0) continue;
    const double m0 = sum0 / w0, m1 = (sum_all - sum0) / w1;
    const double between = w0 * w1 * (m0 - m1) * (m0 - m1);
    if (between > best) best = between, best_t = t;
  }
  // Class 0 is values <= best_t: the threshold sits just above it.
  return (best_t + 0.5f) / 255.0f;
}

float quantile(const std::vector<float>& values, float q) {
  if (values.empty()) return 0.0f;
  std::vector<std::size_t> hist(1024, 0);
  for (float v : values) hist[std::clamp(static_cast<int>(v * 1023.0f + 0.5f), 0, 1023)]++;
  const double target = q * (values.size() - 1);
  std::size_t seen = 0;
  for (int i = 0; i < 1024; ++i) {
    seen += hist[i];
    if (static_cast<double>(seen) > target) return i / 1023.0f;
  }
  return 1.0f;
}

GrayImage min_filter(const GrayImage& image, int r) {
  return separable(image, r, [](const std::vector<float>& in, int rr, std::vector<float>& out) {
    running_extreme(in, rr, out, [](float a, float b) { return a < b; });
  });
}

GrayImage max_filter(const GrayImage& image, int r) {
  return separable(image, r, [](const std::vector<float>& in, int rr, std::vector<float>& out) {
    running_extreme(in, rr, out, [](float a, float b) { return a > b; });
  });
}

GrayImage box_blur(const GrayImage& image, int r) {
  return separable(image, r, [](const std::vector<float>& in, int rr, std::vector<float>& out) {
    const int n = static_cast<int>(in.size());
    std::vector<double> prefix(n + 1, 0.0);
    for (int i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + in[i];
    out.resize(n);
    for (int i = 0; i < n; ++i) {
      const int a = std::max(0, i - rr), b = std::min(n, i + rr + 1);
      out[i] = static_cast<float>((prefix[b] - prefix[a]) / (b - a));
    }
  });
}

std::vector<int> connected_components(const std::vector<std::uint8_t>& mask, int width, int height,
                                      std::vector<int>& labels) {
  labels.assign(mask.size(), 0);
  std::vector<int> sizes(1, 0);
  std::vector<int> stack;
  for (int start = 0; start < width * height; ++start) {
    if (!mask[start] || labels[start]) continue;
    const int id = static_cast<int>(sizes.size());
    int count = 0;
    stack.push_back(start);
    labels[start] = id;
    while (!stack.empty()) {
      const int p = stack.back();
      stack.pop_back();
      ++count;
      const int px = p % width, py = p / width;
      for (int dy = -1; dy <= 1; ++dy) {
        for (int dx = -1; dx <= 1; ++dx) {
          const int x = px + dx, y = py + dy;
          if (x < 0 || y < 0 || x >= width || y >= height) continue;
          const int q = y * width + x;
          if (mask[q] && !labels[q]) {
            labels[q] = id;
            stack.push_back(q);
          }
        }
      }
    }
    sizes.push_back(count);
  }
  return sizes;
}

}  // namespace mnist

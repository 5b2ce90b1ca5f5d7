#include "preprocess/ink.h"

#include <algorithm>
#include <cmath>

namespace mnist {

namespace {

constexpr float kMinContrast = 0.10f;
// A dot is kept down to this part of the largest stroke's pixels, and this many pixels.
constexpr int kDotFraction = 60;
constexpr int kMinDotArea = 9;

float luminance(const std::uint8_t* p, int channels) {
  if (channels <= 2) return p[0] / 255.0f;
  return (0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2]) / 255.0f;
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

// Soft-edge pixels (some ink, under the threshold) belong to the nearest
// pixel over it, within two pixels, so that a digit's crop keeps its edges.
std::vector<int> soft_edge_owners(const GrayImage& ink, const std::vector<int>& labels) {
  const int w = ink.width, h = ink.height;
  std::vector<int> owner = labels;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const std::size_t i = std::size_t(y) * w + x;
      if (labels[i] || ink.pixels[i] <= 0) continue;
      int best = 0, best_d = 9;
      for (int dy = -2; dy <= 2; ++dy) {
        for (int dx = -2; dx <= 2; ++dx) {
          const int xx = x + dx, yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
          const int label = labels[std::size_t(yy) * w + xx];
          if (label && dx * dx + dy * dy < best_d) best = label, best_d = dx * dx + dy * dy;
        }
      }
      owner[i] = best;
    }
  }
  return owner;
}

}  // namespace

void PixelBox::add(const PixelBox& other) {
  if (other.empty()) return;
  if (empty()) {
    *this = other;
    return;
  }
  x0 = std::min(x0, other.x0), y0 = std::min(y0, other.y0);
  x1 = std::max(x1, other.x1), y1 = std::max(y1, other.y1);
}

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

InkMap find_ink(GrayImage g, bool ink_known) {
  InkMap out;
  // 2. Polarity: ink is whichever extreme lies further from the border's median.
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
  if (peak < kMinContrast) return out;
  // Otsu alone fails when the ink is a tiny fraction of a noisy photo (it
  // splits the noise instead): never go below 40% of the ink's level.
  // Nor within the sensor's noise of the paper: 4 robust standard
  // deviations (1.4826 median absolute deviations) over the median.
  const float paper = quantile(g.pixels, 0.5f);
  std::vector<float> deviation(g.pixels.size());
  for (std::size_t i = 0; i < g.pixels.size(); ++i) deviation[i] = std::fabs(g.pixels[i] - paper);
  const float noise = 1.4826f * quantile(deviation, 0.5f);
  const float t = std::max({otsu_threshold(g), 0.4f * peak, kMinContrast * 0.5f, paper + 4.0f * noise});
  double bg_sum = 0;
  std::size_t bg_n = 0, ink_n = 0;
  std::vector<std::uint8_t> mask(g.pixels.size());
  std::vector<float> ink_values;
  for (std::size_t i = 0; i < g.pixels.size(); ++i) {
    const float v = g.pixels[i];
    if (v >= t) {
      mask[i] = 1, ++ink_n;
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

  // Drop specks: components far smaller than the largest stroke. A dot (a
  // decimal point: solid, round, a little wider than the pen) may be smaller
  // than that and is kept.
  auto sizes = connected_components(mask, g.width, g.height, out.labels);
  const int largest = *std::max_element(sizes.begin(), sizes.end());
  std::vector<PixelBox> extent(sizes.size());
  for (int y = 0; y < g.height; ++y) {
    for (int x = 0; x < g.width; ++x) {
      if (const int label = out.labels[std::size_t(y) * g.width + x]) extent[label].add(x, y);
    }
  }
  auto is_dot = [&](std::size_t c) {
    const PixelBox& b = extent[c];
    const int longer = std::max(b.width(), b.height()), shorter = std::min(b.width(), b.height());
    return sizes[c] >= std::max(kMinDotArea, largest / kDotFraction) && 2 * longer <= 5 * shorter &&
           2 * sizes[c] >= b.width() * b.height();
  };
  std::vector<int> blob_of(sizes.size(), -1);
  for (std::size_t c = 1; c < sizes.size(); ++c) {
    if (sizes[c] < std::max(2, largest / 20) && !is_dot(c)) continue;
    blob_of[c] = static_cast<int>(out.blobs.size());
    out.blobs.push_back(InkBlob{static_cast<int>(c), extent[c], 0, 0});
  }
  for (int y = 0; y < g.height; ++y) {
    for (int x = 0; x < g.width; ++x) {
      const std::size_t i = std::size_t(y) * g.width + x;
      int& label = out.labels[i];
      if (!label) continue;
      if (blob_of[label] < 0) {
        g.pixels[i] = 0.0f, label = 0;
        continue;
      }
      InkBlob& blob = out.blobs[blob_of[label]];
      ++blob.area;
      const bool edge = x == 0 || y == 0 || x == g.width - 1 || y == g.height - 1 || !mask[i - 1] ||
                        !mask[i + 1] || !mask[i - g.width] || !mask[i + g.width];
      blob.perimeter += edge;
    }
  }
  if (out.blobs.empty()) return out;
  for (float& v : g.pixels) v = std::clamp((v - lo) / (hi - lo), 0.0f, 1.0f);
  out.owners = soft_edge_owners(g, out.labels);
  std::sort(out.blobs.begin(), out.blobs.end(),
            [](const InkBlob& a, const InkBlob& b) { return a.box.x0 < b.box.x0; });
  for (const InkBlob& b : out.blobs) out.box.add(b.box);
  out.ink = std::move(g);
  out.empty = false;
  return out;
}

}  // namespace mnist

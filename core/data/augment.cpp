#include "data/augment.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "preprocess/digit_input.h"
#include "preprocess/ink.h"

namespace mnist {

namespace {

float pixel(const std::uint8_t* image, int rows, int cols, int y, int x) {
  if (y < 0 || y >= rows || x < 0 || x >= cols) return 0.0f;
  return image[y * cols + x] * (1.0f / 255.0f);
}

float bilinear(const std::uint8_t* image, int rows, int cols, float y, float x) {
  const int y0 = static_cast<int>(std::floor(y));
  const int x0 = static_cast<int>(std::floor(x));
  const float fy = y - y0, fx = x - x0;
  return (1 - fy) * ((1 - fx) * pixel(image, rows, cols, y0, x0) +
                     fx * pixel(image, rows, cols, y0, x0 + 1)) +
         fy * ((1 - fx) * pixel(image, rows, cols, y0 + 1, x0) +
               fx * pixel(image, rows, cols, y0 + 1, x0 + 1));
}

// Blends each pixel toward the max (thicker) or min (thinner) of its
// 4-neighbourhood: a soft one-pixel dilation or erosion.
void change_thickness(float* img, int rows, int cols, bool thicker, float amount) {
  // A copy of the image on the stack (an MNIST-sized one): training makes
  // no allocation in a step. Larger images copy to the heap.
  constexpr int kOnStack = 64 * 64;
  float stack_copy[kOnStack];
  std::vector<float> heap_copy;
  float* src = stack_copy;
  if (rows * cols > kOnStack) {
    heap_copy.assign(img, img + rows * cols);
    src = heap_copy.data();
  } else {
    std::copy(img, img + rows * cols, stack_copy);
  }
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < cols; ++x) {
      float v = src[y * cols + x];
      float ext = v;
      const int dy[4] = {-1, 1, 0, 0}, dx[4] = {0, 0, -1, 1};
      for (int k = 0; k < 4; ++k) {
        const int yy = y + dy[k], xx = x + dx[k];
        const float n = (yy < 0 || yy >= rows || xx < 0 || xx >= cols) ? 0.0f : src[yy * cols + xx];
        ext = thicker ? std::max(ext, n) : std::min(ext, n);
      }
      img[y * cols + x] = v + amount * (ext - v);
    }
  }
}

// A smooth displacement field: random moves of up to `amount` pixels at the
// corners of a 4x4 grid over the image, interpolated between them.
struct Warp {
  static constexpr int kGrid = 4;
  float dx[kGrid][kGrid], dy[kGrid][kGrid];
  int rows, cols;
  Warp(int r, int c, float amount, Rng& rng) : rows(r), cols(c) {
    for (int i = 0; i < kGrid; ++i) {
      for (int j = 0; j < kGrid; ++j) dx[i][j] = rng.uniform(-amount, amount), dy[i][j] = rng.uniform(-amount, amount);
    }
  }
  void at(int y, int x, float& mx, float& my) const {
    const float gy = float(y) * (kGrid - 1) / std::max(1, rows - 1), gx = float(x) * (kGrid - 1) / std::max(1, cols - 1);
    const int i = std::min(kGrid - 2, static_cast<int>(gy)), j = std::min(kGrid - 2, static_cast<int>(gx));
    const float fy = gy - i, fx = gx - j;
    auto lerp = [&](const float (&f)[kGrid][kGrid]) {
      return (1 - fy) * ((1 - fx) * f[i][j] + fx * f[i][j + 1]) + fy * ((1 - fx) * f[i + 1][j] + fx * f[i + 1][j + 1]);
    };
    mx = lerp(dx), my = lerp(dy);
  }
};

// The columns an image's ink spans (values over 0.2), or an empty range.
void ink_columns(const std::uint8_t* image, int rows, int cols, int& first, int& last) {
  first = cols, last = -1;
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < cols; ++x) {
      if (image[y * cols + x] > 51) first = std::min(first, x), last = std::max(last, x);
    }
  }
}

// Where a stroke runs: the ink's mean column in rows [y0, y1], and how wide
// the ink is there on average (the pen's width), or false if there is none.
bool ink_in_rows(const std::uint8_t* image, int cols, int y0, int y1, float& x, float& width) {
  double sum_x = 0, sum = 0;
  int rows_with_ink = 0;
  for (int y = y0; y <= y1; ++y) {
    bool any = false;
    for (int c = 0; c < cols; ++c) {
      const float v = image[y * cols + c] / 255.0f;
      sum_x += v * c, sum += v;
      any = any || v > 0.5f;
    }
    rows_with_ink += any;
  }
  if (sum <= 0 || rows_with_ink == 0) return false;
  x = static_cast<float>(sum_x / sum), width = static_cast<float>(sum / rows_with_ink);
  return true;
}

// A stroke from (x0, y0) to (x1, y1) with a pen `width` pixels wide and a
// soft edge, laid over the image (the darker ink wins).
void draw_segment(std::uint8_t* image, int rows, int cols, float x0, float y0, float x1, float y1, float width) {
  const float dx = x1 - x0, dy = y1 - y0, length2 = std::max(1e-6f, dx * dx + dy * dy);
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < cols; ++x) {
      const float t = std::clamp(((x - x0) * dx + (y - y0) * dy) / length2, 0.0f, 1.0f);
      const float d = std::hypot(x - (x0 + t * dx), y - (y0 + t * dy));
      const float ink = std::clamp(width * 0.5f + 0.5f - d, 0.0f, 1.0f);
      std::uint8_t& p = image[y * cols + x];
      p = std::max(p, static_cast<std::uint8_t>(std::lround(ink * 255.0f)));
    }
  }
}

}  // namespace

void add_regional_style(std::uint8_t* image, int rows, int cols, int label, Rng& rng) {
  if (label != 1 && label != 7) return;
  int top = rows, bottom = -1;
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < cols; ++x) {
      if (image[y * cols + x] > 127) top = std::min(top, y), bottom = std::max(bottom, y);
    }
  }
  const int height = bottom - top;
  if (height < 10) return;
  float top_x, bottom_x, mid_x, top_width, bottom_width, pen;
  if (!ink_in_rows(image, cols, top, top + 1, top_x, top_width) ||
      !ink_in_rows(image, cols, bottom - 1, bottom, bottom_x, bottom_width) ||
      !ink_in_rows(image, cols, top + height / 4, bottom - height / 4, mid_x, pen)) {
    return;
  }
  pen = std::clamp(pen, 1.5f, 4.0f);
  if (label == 1) {
    // The stem's direction, and the flag turned from it toward the left.
    const float ux = bottom_x - top_x, uy = static_cast<float>(height), norm = std::hypot(ux, uy);
    const float angle = rng.uniform(35.0f, 75.0f) * 3.14159265f / 180.0f;
    const float vx = (std::cos(angle) * ux - std::sin(angle) * uy) / norm;
    const float vy = (std::cos(angle) * uy + std::sin(angle) * ux) / norm;
    const float length = rng.uniform(0.2f, 0.4f) * height;
    const float start_y = top + pen * 0.3f;
    draw_segment(image, rows, cols, top_x, start_y, top_x + vx * length, start_y + vy * length, pen);
    if (rng.uniform() < 0.3f) {  // a base across the foot
      const float half = rng.uniform(0.15f, 0.3f) * height, foot = bottom - pen * 0.3f;
      draw_segment(image, rows, cols, bottom_x - half, foot, bottom_x + half, foot, pen);
    }
  } else {
    // A crossbar through the stem, a little below the middle.
    const float at = top + rng.uniform(0.45f, 0.6f) * height;
    float stem_x, stem_width;
    if (!ink_in_rows(image, cols, static_cast<int>(at), static_cast<int>(at), stem_x, stem_width)) return;
    const float left = rng.uniform(0.12f, 0.25f) * height, right = rng.uniform(0.12f, 0.25f) * height;
    draw_segment(image, rows, cols, stem_x - left, at, stem_x + right, at + rng.uniform(-1.0f, 1.0f), pen);
  }
}

void make_non_digit(float* out, const std::uint8_t* a, const std::uint8_t* b, int rows, int cols, Rng& rng) {
  int a0, a1, b0, b1;
  ink_columns(a, rows, cols, a0, a1);
  ink_columns(b, rows, cols, b0, b1);
  if (a1 < a0) a0 = 0, a1 = cols - 1;
  if (b1 < b0) b0 = 0, b1 = cols - 1;
  const int kind = static_cast<int>(rng.below(3));
  const int cut_a = a0 + static_cast<int>(rng.uniform(0.3f, 0.7f) * (a1 - a0 + 1));
  const int cut_b = b0 + static_cast<int>(rng.uniform(0.3f, 0.7f) * (b1 - b0 + 1));
  const int gap = static_cast<int>(rng.uniform(-3.0f, 2.5f));
  const int drop = static_cast<int>(rng.uniform(-2.0f, 2.5f));
  GrayImage canvas(2 * cols + 8, rows + 6);
  auto paste = [&](const std::uint8_t* image, int from, int to, int at_x, int at_y) {
    for (int y = 0; y < rows; ++y) {
      for (int x = from; x <= to; ++x) {
        const int cx = at_x + x - from, cy = at_y + y;
        if (cx < 0 || cy < 0 || cx >= canvas.width || cy >= canvas.height) continue;
        canvas.at(cx, cy) = std::max(canvas.at(cx, cy), image[y * cols + x] / 255.0f);
      }
    }
  };
  if (kind == 0) {  // two digits side by side, close or touching
    paste(a, a0, a1, 2, 3);
    paste(b, b0, b1, 2 + (a1 - a0 + 1) + gap, 3 + drop);
  } else if (kind == 1) {  // a piece of one digit
    if (rng.uniform() < 0.5f) paste(a, a0, cut_a, 2, 3);
    else paste(a, cut_a, a1, 2, 3);
  } else {  // a's right part beside b's left part: a cut in the wrong places
    paste(a, cut_a, a1, 2, 3);
    paste(b, b0, cut_b, 2 + (a1 - cut_a + 1) + gap, 3 + drop);
  }
  // Cut out and placed as the number reader places a piece.
  PixelBox box;
  for (int y = 0; y < canvas.height; ++y) {
    for (int x = 0; x < canvas.width; ++x) {
      if (canvas.at(x, y) > 0.05f) box.add(x, y);
    }
  }
  const InkCount ink = count_ink(0, 0, canvas.width - 1, canvas.height - 1, [&](int x, int y) {
    return x >= 0 && y >= 0 && x < canvas.width && y < canvas.height && canvas.at(x, y) > 0.5f;
  });
  std::fill(out, out + rows * cols, 0.0f);
  if (box.empty() || rows != kInputSide || cols != kInputSide) return;
  GrayImage crop(box.width() + 2, box.height() + 2);
  for (int y = 0; y < box.height(); ++y) {
    for (int x = 0; x < box.width(); ++x) crop.at(x + 1, y + 1) = canvas.at(box.x0 + x, box.y0 + y);
  }
  const Preprocessed placed = digit_to_input(crop, ink.area, ink.perimeter);
  std::copy(placed.pixels.begin(), placed.pixels.end(), out);
}

void augment_image(float* out, const std::uint8_t* image, int rows, int cols,
                   const AugmentConfig& c, Rng& rng) {
  const float angle = rng.uniform(-c.max_rotation_deg, c.max_rotation_deg) * 3.14159265f / 180.0f;
  const float scale = 1.0f + rng.uniform(-c.max_scale, c.max_scale);
  const float shear = rng.uniform(-c.max_shear, c.max_shear);
  const float ty = rng.uniform(-c.max_shift, c.max_shift);
  const float tx = rng.uniform(-c.max_shift, c.max_shift);
  const float thick_draw = rng.uniform();
  const float thick_amount = rng.uniform(0.3f, 0.8f);
  std::optional<Warp> warp;
  if (c.elastic > 0) warp.emplace(rows, cols, c.elastic, rng);

  // Inverse map: for each output pixel, where it comes from in the source.
  const float cy = (rows - 1) * 0.5f, cx = (cols - 1) * 0.5f;
  const float cs = std::cos(angle) / scale, sn = std::sin(angle) / scale;
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < cols; ++x) {
      const float oy = y - cy - ty, ox = x - cx - tx;
      const float sx = cs * ox + sn * oy + shear * oy + cx;
      const float sy = -sn * ox + cs * oy + cy;
      float mx = 0, my = 0;
      if (warp) warp->at(y, x, mx, my);
      out[y * cols + x] = bilinear(image, rows, cols, sy + my, sx + mx);
    }
  }
  if (thick_draw < c.thickness_probability) {
    const bool thicker = thick_draw < c.thickness_probability * 0.6f;  // thinning hurts more
    change_thickness(out, rows, cols, thicker, thick_amount);
  }
}

}  // namespace mnist

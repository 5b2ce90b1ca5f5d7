#include "data/augment.h"

#include <algorithm>
#include <cmath>
#include <vector>

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
  std::vector<float> src(img, img + rows * cols);
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

}  // namespace

void augment_image(float* out, const std::uint8_t* image, int rows, int cols,
                   const AugmentConfig& c, Rng& rng) {
  const float angle = rng.uniform(-c.max_rotation_deg, c.max_rotation_deg) * 3.14159265f / 180.0f;
  const float scale = 1.0f + rng.uniform(-c.max_scale, c.max_scale);
  const float shear = rng.uniform(-c.max_shear, c.max_shear);
  const float ty = rng.uniform(-c.max_shift, c.max_shift);
  const float tx = rng.uniform(-c.max_shift, c.max_shift);
  const float thick_draw = rng.uniform();
  const float thick_amount = rng.uniform(0.3f, 0.8f);

  // Inverse map: for each output pixel, where it comes from in the source.
  const float cy = (rows - 1) * 0.5f, cx = (cols - 1) * 0.5f;
  const float cs = std::cos(angle) / scale, sn = std::sin(angle) / scale;
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < cols; ++x) {
      const float oy = y - cy - ty, ox = x - cx - tx;
      const float sx = cs * ox + sn * oy + shear * oy + cx;
      const float sy = -sn * ox + cs * oy + cy;
      out[y * cols + x] = bilinear(image, rows, cols, sy, sx);
    }
  }
  if (thick_draw < c.thickness_probability) {
    const bool thicker = thick_draw < c.thickness_probability * 0.6f;  // thinning hurts more
    change_thickness(out, rows, cols, thicker, thick_amount);
  }
}

}  // namespace mnist

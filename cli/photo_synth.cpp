#include "photo_synth.h"

#include <algorithm>
#include <cmath>

namespace mnist::cli {

namespace {

float sample(const GrayImage& ink, float y, float x) {
  const int y0 = static_cast<int>(std::floor(y)), x0 = static_cast<int>(std::floor(x));
  const float fy = y - y0, fx = x - x0;
  auto px = [&](int yy, int xx) {
    return (yy < 0 || xx < 0 || yy >= ink.height || xx >= ink.width) ? 0.0f : ink.at(xx, yy);
  };
  return (1 - fy) * ((1 - fx) * px(y0, x0) + fx * px(y0, x0 + 1)) +
         fy * ((1 - fx) * px(y0 + 1, x0) + fx * px(y0 + 1, x0 + 1));
}

}  // namespace

DecodedImage synthesize_photo(const std::uint8_t* digit, Rng& rng) {
  const int base = static_cast<int>(rng.uniform(160.0f, 900.0f));
  const float aspect = rng.uniform(0.65f, 1.5f);
  const int width = std::max(64, static_cast<int>(base * std::sqrt(aspect)));
  const int height = std::max(64, static_cast<int>(base / std::sqrt(aspect)));
  // The 28x28 MNIST frame is 1.4x the 20 px digit; choose the digit's height.
  const float side = std::min(width, height);
  const float frame = side * rng.uniform(0.35f, 1.0f) * 1.4f;
  // The 20 px digit sits 4 px inside its 28 px frame: keep it whole in the photo.
  const float ox = rng.uniform(-0.12f * frame, width - 0.88f * frame);
  const float oy = rng.uniform(-0.12f * frame, height - 0.88f * frame);
  GrayImage ink(28, 28);
  for (int i = 0; i < 28 * 28; ++i) ink.pixels[i] = digit[i] / 255.0f;
  return render_on_paper(ink, width, height, frame / 28.0f, ox, oy, rng);
}

DecodedImage render_on_paper(const GrayImage& ink, int width, int height, float scale, float ox, float oy,
                             Rng& rng) {
  DecodedImage im;
  im.width = width, im.height = height, im.channels = 3;
  im.pixels.resize(std::size_t(im.width) * im.height * 3);
  const bool chalk = rng.uniform() < 0.15f;  // light ink on a dark board
  const bool thin_pen = rng.uniform() < 0.35f;
  float paper[3], colour[3];
  const float paper_level = chalk ? rng.uniform(0.05f, 0.3f) : rng.uniform(0.65f, 0.98f);
  const float ink_level = chalk ? rng.uniform(0.75f, 0.98f) : rng.uniform(0.0f, 0.35f);
  for (int c = 0; c < 3; ++c) {
    paper[c] = std::clamp(paper_level + rng.uniform(-0.05f, 0.05f), 0.0f, 1.0f);
    colour[c] = std::clamp(ink_level + rng.uniform(-0.15f, 0.15f), 0.0f, 1.0f);
  }
  // Lighting: a linear gradient in a random direction and a soft vignette.
  const float angle = rng.uniform(0.0f, 6.2831853f);
  const float gradient = rng.uniform(0.0f, 0.35f);
  const float vignette = rng.uniform(0.0f, 0.25f);
  const float noise = rng.uniform(0.0f, 0.05f);
  for (int y = 0; y < im.height; ++y) {
    for (int x = 0; x < im.width; ++x) {
      float a = sample(ink, (y - oy) / scale - 0.5f, (x - ox) / scale - 0.5f);
      if (thin_pen) a = std::clamp((a - 0.5f) / 0.25f, 0.0f, 1.0f);  // the core of the stroke
      const float u = (x - im.width * 0.5f) / im.width, v = (y - im.height * 0.5f) / im.height;
      const float light = 1.0f - gradient * (0.5f + u * std::cos(angle) + v * std::sin(angle)) -
                          vignette * (u * u + v * v) * 2.0f;
      for (int c = 0; c < 3; ++c) {
        float value = (paper[c] * (1 - a) + colour[c] * a) * light;
        value += noise * (rng.uniform() + rng.uniform() + rng.uniform() - 1.5f);
        im.pixels[(std::size_t(y) * im.width + x) * 3 + c] =
            static_cast<std::uint8_t>(std::clamp(value, 0.0f, 1.0f) * 255.0f + 0.5f);
      }
    }
  }
  return im;
}

}  // namespace mnist::cli

// Small grayscale image operations used by preprocessing. Images are float,
// row-major (height, width), values nominally in [0,1].
#pragma once

#include <cstdint>
#include <vector>

namespace mnist {

struct GrayImage {
  int width = 0, height = 0;
  std::vector<float> pixels;  // (height, width)

  GrayImage() = default;
  GrayImage(int w, int h, float fill = 0.0f) : width(w), height(h), pixels(std::size_t(w) * h, fill) {}
  float& at(int x, int y) { return pixels[std::size_t(y) * width + x]; }
  float at(int x, int y) const { return pixels[std::size_t(y) * width + x]; }
};

// Resamples by exact area averaging: each output pixel is the mean of the
// input area it covers (fractional overlaps weighted). Good for shrinking,
// acceptable (piecewise constant) for growing.
GrayImage resize_area(const GrayImage& src, int width, int height);

// Otsu's threshold on a 256-bin histogram of values in [0,1]: the level that
// best separates two classes. Returns a value in [0,1].
float otsu_threshold(const GrayImage& image);

// The q-quantile (0..1) of the pixel values, from a 1024-bin histogram.
float quantile(const std::vector<float>& values, float q);

// The middle value (the upper of the two for an even count) of any values; 0 for none.
float median(std::vector<float> values);

// Each output pixel is the minimum of a block x block tile of the input.
GrayImage block_min(const GrayImage& image, int block);
// Bilinear resampling (pixel centres aligned), for smooth fields such as a
// background estimate.
GrayImage resize_bilinear(const GrayImage& image, int width, int height);
// Max over the 3x3 mean: the brightest spot, ignoring lone pixels.
float max_of_3x3_mean(const GrayImage& image);

// Running min / max / mean over a (2r+1) square window, edges clamped.
GrayImage min_filter(const GrayImage& image, int r);
GrayImage max_filter(const GrayImage& image, int r);
GrayImage box_blur(const GrayImage& image, int r);

// 8-connected components of mask (height*width, nonzero = set). labels gets a
// component number per pixel (0 = not set, 1..n); returns each component's
// pixel count, index 0 unused.
std::vector<int> connected_components(const std::vector<std::uint8_t>& mask, int width, int height,
                                      std::vector<int>& labels);

}  // namespace mnist

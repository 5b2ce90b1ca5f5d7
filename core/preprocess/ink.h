// Finding the ink in an image: steps 1 to 4 of the MNIST recipe (see
// preprocess.h), shared by the one-digit recipe and the number reader.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "preprocess/image_ops.h"

namespace mnist {

// A rectangle of pixels, x0..x1 and y0..y1 inclusive.
struct PixelBox {
  int x0 = 0, y0 = 0, x1 = -1, y1 = -1;
  int width() const { return x1 - x0 + 1; }
  int height() const { return y1 - y0 + 1; }
  bool empty() const { return x1 < x0 || y1 < y0; }
  void add(int x, int y) {
    if (empty()) {
      x0 = x1 = x, y0 = y1 = y;
      return;
    }
    x0 = x < x0 ? x : x0, x1 = x > x1 ? x : x1, y0 = y < y0 ? y : y0, y1 = y > y1 ? y : y1;
  }
  void add(const PixelBox& other);
};

// One connected piece of ink (8-connected), a speck already dropped.
struct InkBlob {
  int label = 0;          // its value in InkMap::labels
  PixelBox box;
  int area = 0;           // pixels over the threshold
  int perimeter = 0;      // of those, pixels with a 4-neighbour under it
};

struct InkMap {
  bool empty = true;             // no ink: the image holds no digit
  GrayImage ink;                 // (h,w) ink 1, background 0, soft edges between
  std::vector<int> labels;       // (h,w) the blob each pixel over the threshold is in; 0 none
  std::vector<int> owners;       // (h,w) the blob each pixel with any ink belongs to (soft edges too); 0 none
  std::vector<InkBlob> blobs;    // the kept blobs (find_ink: left to right by their left edge)
  PixelBox box;                  // all kept blobs
};

// gray (h,w) in [0,1]. ink_known: the image is the ink itself (a canvas's
// alpha), so polarity need not be guessed.
InkMap find_ink(GrayImage gray, bool ink_known);

// Grayscale, or the alpha channel when some pixel is not opaque (a drawing on
// a transparent canvas: whatever was painted is ink). Second: ink is known.
// pixels (h,w,channels), channels 1 to 4, already checked by the caller.
std::pair<GrayImage, bool> to_gray(std::span<const std::uint8_t> pixels, int width, int height,
                                   int channels);

}  // namespace mnist

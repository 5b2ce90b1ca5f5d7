// Synthetic "photos of digits written on paper", made from MNIST test
// digits, to measure how preprocessing + model cope with real-world pictures:
// any size and aspect, the ink anywhere and at any scale, paper and ink of
// any colour (sometimes light on dark, as chalk), uneven lighting, sensor
// noise, thin pen strokes, JPEG artefacts (when saved as JPEG).
#pragma once

#include <cstdint>

#include "image_file.h"
#include "preprocess/image_ops.h"
#include "rng.h"

namespace mnist::cli {

// digit (28*28) bytes, MNIST polarity (ink 255). Returns an RGB image.
DecodedImage synthesize_photo(const std::uint8_t* digit, Rng& rng);

// ink (h,w) in [0,1] drawn into an RGB photo of width x height at `scale`
// photo pixels per ink pixel, ink pixel (0,0)'s corner at photo (ox, oy),
// with random paper, ink, lighting and noise.
DecodedImage render_on_paper(const GrayImage& ink, int width, int height, float scale, float ox, float oy,
                             Rng& rng);

}  // namespace mnist::cli

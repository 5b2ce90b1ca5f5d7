// Synthetic "photos of a digit written on paper", made from MNIST test
// digits, to measure how preprocessing + model cope with real-world pictures:
// any size and aspect, the digit anywhere and at any scale, paper and ink of
// any colour (sometimes light on dark, as chalk), uneven lighting, sensor
// noise, thin pen strokes, JPEG artefacts (when saved as JPEG).
#pragma once

#include <cstdint>

#include "image_file.h"
#include "rng.h"

namespace mnist::cli {

// digit (28*28) bytes, MNIST polarity (ink 255). Returns an RGB image.
DecodedImage synthesize_photo(const std::uint8_t* digit, Rng& rng);

}  // namespace mnist::cli

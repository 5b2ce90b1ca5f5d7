// Image files for the command-line tool: decoding PNG, JPEG and PGM (and the
// other formats stb_image knows) and writing PNG/JPEG for the photo set.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "status.h"

namespace mnist::cli {

struct DecodedImage {
  int width = 0, height = 0, channels = 0;
  std::vector<std::uint8_t> pixels;  // (height, width, channels)
};

// Refuses files over 64 MiB and images over 16384 px a side with a message.
Result<DecodedImage> decode_image_file(const std::string& path);

Status write_png(const std::string& path, const DecodedImage& image);
Status write_jpeg(const std::string& path, const DecodedImage& image, int quality);
// The image as it comes back from a JPEG file of that quality (artefacts and all).
DecodedImage jpeg_round_trip(const DecodedImage& image, int quality);
// Binary PGM (1 channel) or PPM (3 channels): trivial for any test to read.
Status write_pnm(const std::string& path, const DecodedImage& image);

}  // namespace mnist::cli

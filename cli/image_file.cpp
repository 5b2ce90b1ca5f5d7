#define STB_IMAGE_IMPLEMENTATION
#define STBI_MAX_DIMENSIONS 16384
#define STBI_FAILURE_USERMSG
#include <stb_image.h>
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>

#include <fstream>

#include "image_file.h"
#include "data/mnist_files.h"

namespace mnist::cli {

Result<DecodedImage> decode_image_file(const std::string& path) {
  auto bytes = read_file_bytes(path);
  if (!bytes) return bytes.status();
  if (bytes.value().size() > (std::size_t{64} << 20)) {
    return Status::error(path + ": file is larger than 64 MiB");
  }
  int w = 0, h = 0, c = 0;
  const auto* data = bytes.value().data();
  const int size = static_cast<int>(bytes.value().size());
  if (!stbi_info_from_memory(data, size, &w, &h, &c)) {
    return Status::error(path + ": not an image this tool can read (PNG, JPEG, PGM, BMP, GIF)");
  }
  stbi_uc* pixels = stbi_load_from_memory(data, size, &w, &h, &c, 0);
  if (!pixels) {
    return Status::error(path + ": cannot decode image (" + std::string(stbi_failure_reason()) + ")");
  }
  DecodedImage image;
  image.width = w, image.height = h, image.channels = c;
  image.pixels.assign(pixels, pixels + std::size_t(w) * h * c);
  stbi_image_free(pixels);
  return image;
}

Status write_png(const std::string& path, const DecodedImage& im) {
  if (!stbi_write_png(path.c_str(), im.width, im.height, im.channels, im.pixels.data(),
                      im.width * im.channels)) {
    return Status::error(path + ": cannot write PNG");
  }
  return Status::ok();
}

Status write_jpeg(const std::string& path, const DecodedImage& im, int quality) {
  if (!stbi_write_jpg(path.c_str(), im.width, im.height, im.channels, im.pixels.data(), quality)) {
    return Status::error(path + ": cannot write JPEG");
  }
  return Status::ok();
}

DecodedImage jpeg_round_trip(const DecodedImage& im, int quality) {
  std::vector<unsigned char> bytes;
  auto append = [](void* context, void* data, int size) {
    auto* out = static_cast<std::vector<unsigned char>*>(context);
    out->insert(out->end(), static_cast<unsigned char*>(data), static_cast<unsigned char*>(data) + size);
  };
  if (!stbi_write_jpg_to_func(append, &bytes, im.width, im.height, im.channels, im.pixels.data(), quality)) return im;
  int w = 0, h = 0, c = 0;
  stbi_uc* pixels = stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &w, &h, &c, im.channels);
  if (!pixels) return im;
  DecodedImage out{w, h, im.channels, std::vector<std::uint8_t>(pixels, pixels + std::size_t(w) * h * im.channels)};
  stbi_image_free(pixels);
  return out;
}

Status write_pnm(const std::string& path, const DecodedImage& im) {
  if (im.channels != 1 && im.channels != 3) return Status::error(path + ": PNM needs 1 or 3 channels");
  std::ofstream out(path, std::ios::binary);
  out << (im.channels == 1 ? "P5" : "P6") << "\n" << im.width << " " << im.height << "\n255\n";
  out.write(reinterpret_cast<const char*>(im.pixels.data()), static_cast<std::streamsize>(im.pixels.size()));
  if (!out) return Status::error(path + ": cannot write");
  return Status::ok();
}

}  // namespace mnist::cli

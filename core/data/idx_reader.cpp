#include "data/idx_reader.h"

#include <cstdio>

namespace mnist {

namespace {

constexpr std::uint8_t kUnsignedByte = 0x08;
constexpr std::uint32_t kMaxSide = 4096;

std::uint32_t read_be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

// Checks the header common to all IDX files and returns its dimensions.
Result<std::vector<std::uint32_t>> parse_header(std::span<const std::uint8_t> bytes,
                                                const std::string& what, int want_dims,
                                                const char* kind) {
  using R = Result<std::vector<std::uint32_t>>;
  if (bytes.size() < 4) {
    return R(Status::error(what + ": file too short (" + std::to_string(bytes.size()) +
                           " bytes); an IDX header needs at least 4"));
  }
  if (bytes[0] == 0x1f && bytes[1] == 0x8b) {
    return R(Status::error(what + ": file is gzip-compressed; decompress it first"));
  }
  if (bytes[0] != 0 || bytes[1] != 0) {
    return R(Status::error(what + ": not an IDX file (the first two bytes must be zero)"));
  }
  if (bytes[2] != kUnsignedByte) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", bytes[2]);
    return R(Status::error(what + ": unsupported IDX data type " + hex +
                           "; only unsigned bytes (0x08) are supported"));
  }
  const int dims = bytes[3];
  if (dims != want_dims) {
    return R(Status::error(what + ": expected " + kind + " file with " +
                           std::to_string(want_dims) + " dimension(s), found " +
                           std::to_string(dims)));
  }
  const std::size_t header = 4 + 4 * static_cast<std::size_t>(dims);
  if (bytes.size() < header) {
    return R(Status::error(what + ": header is truncated (" + std::to_string(bytes.size()) +
                           " of " + std::to_string(header) + " bytes)"));
  }
  std::vector<std::uint32_t> sizes(dims);
  for (int i = 0; i < dims; ++i) sizes[i] = read_be32(bytes.data() + 4 + 4 * i);
  return sizes;
}

Status check_data_size(std::span<const std::uint8_t> bytes, std::size_t header,
                       std::uint64_t declared, const std::string& what,
                       const std::string& description) {
  const std::uint64_t actual = bytes.size() - header;
  if (actual < declared) {
    return Status::error(what + ": file is truncated: header declares " + description + " (" +
                         std::to_string(declared) + " bytes of data) but only " +
                         std::to_string(actual) + " bytes follow");
  }
  if (actual > declared) {
    return Status::error(what + ": " + std::to_string(actual - declared) +
                         " unexpected bytes after the " + description + " the header declares");
  }
  return Status::ok();
}

}  // namespace

Result<IdxImages> parse_idx_images(std::span<const std::uint8_t> bytes, const std::string& what) {
  auto header = parse_header(bytes, what, 3, "an image");
  if (!header) return header.status();
  const auto& d = header.value();
  if (d[1] == 0 || d[2] == 0 || d[1] > kMaxSide || d[2] > kMaxSide) {
    return Status::error(what + ": image size " + std::to_string(d[1]) + "x" +
                         std::to_string(d[2]) + " is not between 1x1 and 4096x4096");
  }
  if (d[0] == 0) return Status::error(what + ": holds no images");
  const std::uint64_t declared = std::uint64_t{d[0]} * d[1] * d[2];
  Status size = check_data_size(bytes, 16, declared, what,
                                std::to_string(d[0]) + " images of " + std::to_string(d[1]) +
                                    "x" + std::to_string(d[2]));
  if (!size) return size;
  IdxImages images;
  images.count = static_cast<int>(d[0]);
  images.rows = static_cast<int>(d[1]);
  images.cols = static_cast<int>(d[2]);
  images.pixels.assign(bytes.begin() + 16, bytes.end());
  return images;
}

Result<IdxLabels> parse_idx_labels(std::span<const std::uint8_t> bytes, const std::string& what,
                                   int num_classes) {
  auto header = parse_header(bytes, what, 1, "a label");
  if (!header) return header.status();
  const std::uint32_t count = header.value()[0];
  if (count == 0) return Status::error(what + ": holds no labels");
  Status size = check_data_size(bytes, 8, count, what, std::to_string(count) + " labels");
  if (!size) return size;
  IdxLabels labels;
  labels.count = static_cast<int>(count);
  labels.labels.assign(bytes.begin() + 8, bytes.end());
  for (std::size_t i = 0; i < labels.labels.size(); ++i) {
    if (labels.labels[i] >= num_classes) {
      return Status::error(what + ": label " + std::to_string(labels.labels[i]) + " at index " +
                           std::to_string(i) + " is outside 0-" +
                           std::to_string(num_classes - 1));
    }
  }
  return labels;
}

Status check_idx_pair(const IdxImages& images, const IdxLabels& labels, const std::string& what) {
  if (images.count != labels.count) {
    return Status::error(what + ": the image file holds " + std::to_string(images.count) +
                         " images but the label file holds " + std::to_string(labels.count) +
                         " labels");
  }
  return Status::ok();
}

}  // namespace mnist

// Fuzz target: IDX parsing (images and labels) and gzip decompression must
// reject any bytes with a message, never crash, hang or over-allocate.
#include <cstddef>
#include <cstdint>

#include "data/gzip.h"
#include "data/idx_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> bytes(data, size);
  auto images = mnist::parse_idx_images(bytes, "fuzz");
  auto labels = mnist::parse_idx_labels(bytes, "fuzz");
  if (images && labels) (void)mnist::check_idx_pair(images.value(), labels.value(), "fuzz");
  if (mnist::looks_gzipped(bytes)) {
    auto unpacked = mnist::gunzip(bytes, "fuzz", std::size_t{16} << 20);
    if (unpacked) (void)mnist::parse_idx_images(unpacked.value(), "fuzz");
  }
  return 0;
}

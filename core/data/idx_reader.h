// IDX files (the MNIST format): a big-endian header (two zero bytes, a type
// byte, a dimension count, then one u32 per dimension) and the raw data.
// Parsing works on bytes already in memory; gzip is handled by gzip.h
// natively, and by the browser's DecompressionStream on the web.
//
// Every check has its own message, and nothing is allocated beyond what the
// bytes in hand can hold: a header that claims 4 billion images costs nothing.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "status.h"

namespace mnist {

struct IdxImages {
  int count = 0, rows = 0, cols = 0;
  std::vector<std::uint8_t> pixels;  // (count, rows, cols), 0 = background
};

struct IdxLabels {
  int count = 0;
  std::vector<std::uint8_t> labels;  // (count)
};

// `what` names the file in messages ("train images").
Result<IdxImages> parse_idx_images(std::span<const std::uint8_t> bytes, const std::string& what);
// Labels must be below num_classes.
Result<IdxLabels> parse_idx_labels(std::span<const std::uint8_t> bytes, const std::string& what,
                                   int num_classes = 10);
// Image and label files must describe the same number of examples.
Status check_idx_pair(const IdxImages& images, const IdxLabels& labels, const std::string& what);

}  // namespace mnist

// gzip decompression for native builds (zlib). The browser decompresses with
// DecompressionStream before handing bytes over, so the WebAssembly build has
// no zlib and gunzip() there reports that.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "status.h"

namespace mnist {

inline bool looks_gzipped(std::span<const std::uint8_t> bytes) {
  return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

// Decompresses a gzip stream, refusing output past max_output bytes so a
// "zip bomb" cannot exhaust memory.
Result<std::vector<std::uint8_t>> gunzip(std::span<const std::uint8_t> bytes,
                                         const std::string& what,
                                         std::size_t max_output = std::size_t{1} << 30);

}  // namespace mnist

// CRC-32 (IEEE 802.3, the zlib/PNG polynomial), our own so the WebAssembly
// build needs no zlib.
#pragma once

#include <cstdint>
#include <span>

namespace mnist {

std::uint32_t crc32(std::span<const std::uint8_t> bytes, std::uint32_t crc = 0);

}  // namespace mnist

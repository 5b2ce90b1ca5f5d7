// Little-endian writing and bounds-checked reading of the engine's own file
// formats (model files, checkpoints).
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

namespace mnist {

class ByteWriter {
 public:
  void bytes(const void* p, std::size_t n) {
    auto* b = static_cast<const std::uint8_t*>(p);
    out.insert(out.end(), b, b + n);
  }
  void u8(std::uint8_t v) { out.push_back(v); }
  void u16(std::uint16_t v) { u8(v & 0xFF), u8(v >> 8); }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) u8(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void u64(std::uint64_t v) { u32(static_cast<std::uint32_t>(v)), u32(static_cast<std::uint32_t>(v >> 32)); }
  void f32(float v) {
    std::uint32_t u;
    std::memcpy(&u, &v, 4);
    u32(u);
  }
  std::vector<std::uint8_t> out;
};

// Any read past the end marks the input truncated (ok() false) and returns 0.
class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> b) : b_(b) {}
  bool ok() const { return ok_; }
  std::size_t remaining() const { return b_.size() - at_; }
  std::size_t position() const { return at_; }
  bool take(std::size_t n) {
    if (!ok_ || remaining() < n) return ok_ = false;
    at_ += n;
    return true;
  }
  std::uint8_t u8() { return take(1) ? b_[at_ - 1] : 0; }
  std::uint32_t u32() {
    if (!take(4)) return 0;
    const std::uint8_t* p = b_.data() + at_ - 4;
    return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
           (std::uint32_t{p[3]} << 24);
  }
  std::uint64_t u64() {
    const std::uint64_t lo = u32();
    return lo | (std::uint64_t{u32()} << 32);
  }
  float f32() {
    const std::uint32_t u = u32();
    float v;
    std::memcpy(&v, &u, 4);
    return v;
  }
  std::string str(std::size_t n) {
    if (!take(n)) return {};
    return std::string(reinterpret_cast<const char*>(b_.data() + at_ - n), n);
  }
  std::span<const std::uint8_t> span(std::size_t n) {
    if (!take(n)) return {};
    return b_.subspan(at_ - n, n);
  }

 private:
  std::span<const std::uint8_t> b_;
  std::size_t at_ = 0;
  bool ok_ = true;
};

}  // namespace mnist

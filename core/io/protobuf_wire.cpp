#include "io/protobuf_wire.h"

#include <cstring>

namespace mnist::protobuf {

void Writer::varint(std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}

void Writer::tag(int field, Wire wire) { varint((static_cast<std::uint64_t>(field) << 3) | static_cast<std::uint8_t>(wire)); }

void Writer::varint_field(int field, std::uint64_t v) {
  tag(field, Wire::varint);
  varint(v);
}

void Writer::float_field(int field, float v) {
  tag(field, Wire::fixed32);
  std::uint8_t b[4];
  std::memcpy(b, &v, 4);  // little-endian hosts only (static_assert in model_file.cpp)
  out.insert(out.end(), b, b + 4);
}

void Writer::bytes_field(int field, std::span<const std::uint8_t> bytes) {
  tag(field, Wire::bytes);
  varint(bytes.size());
  out.insert(out.end(), bytes.begin(), bytes.end());
}

void Writer::string_field(int field, std::string_view s) {
  bytes_field(field, {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
}

void Writer::packed_varints(int field, std::span<const std::int64_t> values) {
  Writer packed;
  for (std::int64_t v : values) packed.varint(static_cast<std::uint64_t>(v));
  bytes_field(field, packed.out);
}

namespace {

// Reads a varint at `at`, advancing it; false if it runs past the end or
// over 10 bytes.
bool read_varint(std::span<const std::uint8_t> b, std::size_t& at, std::uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (at >= b.size()) return false;
    const std::uint8_t byte = b[at++];
    v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;
}

}  // namespace

float Field::as_float() const {
  const auto bits = static_cast<std::uint32_t>(value);
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

Status for_each_field(std::span<const std::uint8_t> message, const std::string& what,
                      const std::function<Status(const Field&)>& on_field) {
  std::size_t at = 0;
  while (at < message.size()) {
    std::uint64_t key;
    if (!read_varint(message, at, key)) return Status::error(what + ": a field's key is cut short");
    Field f;
    f.number = static_cast<int>(key >> 3);
    const auto wire = static_cast<std::uint8_t>(key & 7);
    if (f.number == 0 || (key >> 3) > (1u << 29)) return Status::error(what + ": a field has number 0 or too large");
    switch (wire) {
      case 0:
        f.wire = Wire::varint;
        if (!read_varint(message, at, f.value)) return Status::error(what + ": a number is cut short");
        break;
      case 1:
      case 5: {
        const std::size_t n = wire == 1 ? 8 : 4;
        if (message.size() - at < n) return Status::error(what + ": a fixed-size number is cut short");
        f.wire = wire == 1 ? Wire::fixed64 : Wire::fixed32;
        for (std::size_t i = 0; i < n; ++i) f.value |= static_cast<std::uint64_t>(message[at + i]) << (8 * i);
        at += n;
        break;
      }
      case 2: {
        std::uint64_t length;
        if (!read_varint(message, at, length)) return Status::error(what + ": a length is cut short");
        if (length > message.size() - at) {
          return Status::error(what + ": field " + std::to_string(f.number) + " claims " + std::to_string(length) +
                               " bytes but only " + std::to_string(message.size() - at) + " follow (the file is cut short or damaged)");
        }
        f.wire = Wire::bytes;
        f.bytes = message.subspan(at, static_cast<std::size_t>(length));
        at += static_cast<std::size_t>(length);
        break;
      }
      default:
        return Status::error(what + ": field " + std::to_string(f.number) + " has wire type " + std::to_string(wire) +
                             ", which is not protobuf (this is not an ONNX file, or it is damaged)");
    }
    if (Status s = on_field(f); !s) return s;
  }
  return Status::ok();
}

Status read_varints(const Field& field, const std::string& what, std::vector<std::int64_t>& out,
                    std::size_t max_count) {
  if (field.wire == Wire::varint) {
    if (out.size() >= max_count) return Status::error(what + ": too many values");
    out.push_back(static_cast<std::int64_t>(field.value));
    return Status::ok();
  }
  if (field.wire != Wire::bytes) return Status::error(what + ": a list of integers has the wrong wire type");
  std::size_t at = 0;
  while (at < field.bytes.size()) {
    std::uint64_t v;
    if (!read_varint(field.bytes, at, v)) return Status::error(what + ": a packed integer is cut short");
    if (out.size() >= max_count) return Status::error(what + ": too many values");
    out.push_back(static_cast<std::int64_t>(v));
  }
  return Status::ok();
}

}  // namespace mnist::protobuf

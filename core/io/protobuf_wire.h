// Protocol Buffers' wire format, the little of it ONNX files need: writing
// varints, fixed32 floats and length-delimited fields, and reading the
// fields of one message out of untrusted bytes, bounds-checked (a length
// that runs past the message, a varint of more than 10 bytes and the
// wire types ONNX never uses are errors, not reads past the end).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "status.h"

namespace mnist::protobuf {

enum class Wire : std::uint8_t { varint = 0, fixed64 = 1, bytes = 2, fixed32 = 5 };

class Writer {
 public:
  void varint_field(int field, std::uint64_t v);
  void float_field(int field, float v);
  void bytes_field(int field, std::span<const std::uint8_t> bytes);
  void string_field(int field, std::string_view s);
  void message_field(int field, const Writer& message) { bytes_field(field, message.out); }
  // A packed repeated field of varints (int64 dims and ints attributes).
  void packed_varints(int field, std::span<const std::int64_t> values);
  std::vector<std::uint8_t> out;

 private:
  void tag(int field, Wire wire);
  void varint(std::uint64_t v);
};

// One field as read: its number and wire type; for varints `value`, for
// fixed32/fixed64 the raw bits in `value`, for length-delimited `bytes`.
struct Field {
  int number = 0;
  Wire wire = Wire::varint;
  std::uint64_t value = 0;
  std::span<const std::uint8_t> bytes;

  float as_float() const;          // fixed32
  std::string_view as_string() const {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  }
};

// Calls on_field for each field of `message` in order; stops at the first
// error (malformed bytes, or one on_field returns). `what` names the
// message in errors ("the graph").
Status for_each_field(std::span<const std::uint8_t> message, const std::string& what,
                      const std::function<Status(const Field&)>& on_field);

// The varints of a packed repeated field, or of one unpacked element.
Status read_varints(const Field& field, const std::string& what, std::vector<std::int64_t>& out,
                    std::size_t max_count);

}  // namespace mnist::protobuf

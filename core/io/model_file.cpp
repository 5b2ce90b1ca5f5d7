#include "io/model_file.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <map>

#include "io/byte_io.h"
#include "io/crc32.h"
#include "io/half.h"
#include "kernels/elementwise.h"

namespace mnist {

namespace {

struct FileTensor {
  DType dtype;
  Shape shape;
  std::size_t offset;  // of the values, in the file
};

const char* kTruncated = "model file is truncated";
const char* kChecksumMismatch = "model file is corrupt: checksum mismatch (the file was damaged or altered)";

}  // namespace

Result<DType> parse_dtype(std::string_view name) {
  if (name == "f32") return DType::f32;
  if (name == "f16") return DType::f16;
  if (name == "int8") return DType::int8;
  return Status::error("unknown weight format '" + std::string(name) + "': choose f32, f16 or int8");
}

namespace {

// A dense layer's weights (outputs, inputs): the only tensors stored as int8.
bool stored_as_int8_rows(const Tensor& t, DType dtype) { return dtype == DType::int8 && t.shape.size() == 2; }

// Row r's values ~ q[r][i] * scale[r], q in [-127, 127]: the largest |value|
// of a row maps to 127 (a zero row has scale 0).
void write_int8_rows(ByteWriter& w, const Tensor& t) {
  const int rows = t.shape[0];
  const std::size_t cols = t.size() / rows;
  std::vector<float> scales(rows);
  for (int r = 0; r < rows; ++r) {
    float largest = 0;
    for (std::size_t i = 0; i < cols; ++i) largest = std::max(largest, std::fabs(t.data[r * cols + i]));
    scales[r] = largest / 127.0f;
    w.f32(scales[r]);
  }
  for (int r = 0; r < rows; ++r) {
    const float inverse = scales[r] > 0 ? 1.0f / scales[r] : 0.0f;
    for (std::size_t i = 0; i < cols; ++i) {
      const long q = std::clamp(std::lround(t.data[r * cols + i] * inverse), -127L, 127L);
      w.u8(static_cast<std::uint8_t>(static_cast<std::int8_t>(q)));
    }
  }
}

}  // namespace

std::vector<std::uint8_t> save_model(const Model& model, DType dtype) {
  const auto& params = model.params();
  bool any_int8 = false;
  for (const Model::ConstParam& p : params) any_int8 = any_int8 || stored_as_int8_rows(*p.value, dtype);
  ByteWriter w;
  w.bytes(kModelMagic, sizeof kModelMagic);
  w.u32(any_int8 ? 2 : 1);  // a file older builds can read unless it needs int8
  const std::string spec = format_spec(model.spec());
  w.u32(static_cast<std::uint32_t>(spec.size()));
  w.bytes(spec.data(), spec.size());
  w.u32(static_cast<std::uint32_t>(params.size()));
  for (const Model::ConstParam& p : params) {
    const DType stored = stored_as_int8_rows(*p.value, dtype) ? DType::int8
                         : dtype == DType::f32                ? DType::f32
                                                              : DType::f16;
    w.u32(static_cast<std::uint32_t>(p.name.size()));
    w.bytes(p.name.data(), p.name.size());
    w.u8(static_cast<std::uint8_t>(stored));
    w.u8(static_cast<std::uint8_t>(p.value->shape.size()));
    for (int d : p.value->shape) w.u32(static_cast<std::uint32_t>(d));
    if (stored == DType::int8) {
      write_int8_rows(w, *p.value);
      continue;
    }
    for (float v : p.value->data) {
      if (stored == DType::f16) {
        w.u16(float_to_half(v));
      } else {
        w.f32(v);
      }
    }
  }
  w.u32(crc32(w.out));
  return std::move(w.out);
}

namespace {

// Values = int8 x their row's scale (write_int8_rows). False if a scale is
// negative or not finite.
bool read_int8_rows(float* values, const std::uint8_t* payload, int rows, std::size_t cols) {
  const std::uint8_t* q = payload + static_cast<std::size_t>(rows) * 4;
  for (int r = 0; r < rows; ++r) {
    float scale;
    std::memcpy(&scale, payload + static_cast<std::size_t>(r) * 4, 4);
    if (!std::isfinite(scale) || scale < 0) return false;
    for (std::size_t i = 0; i < cols; ++i) {
      values[r * cols + i] = static_cast<float>(static_cast<std::int8_t>(q[r * cols + i])) * scale;
    }
  }
  return true;
}

bool checksum_matches(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 12) return false;
  const std::uint8_t* p = bytes.data() + bytes.size() - 4;
  const std::uint32_t stored = std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) |
                               (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[3]} << 24);
  return crc32(bytes.subspan(0, bytes.size() - 4)) == stored;
}

}  // namespace

Result<std::unique_ptr<Model>> load_model(std::span<const std::uint8_t> bytes) {
  using R = Result<std::unique_ptr<Model>>;
  auto fail = [](const std::string& m) { return R(Status::error(m)); };
  if (bytes.empty()) return fail("model file is empty");
  if (bytes.size() < sizeof kModelMagic ||
      std::memcmp(bytes.data(), kModelMagic, sizeof kModelMagic) != 0) {
    return fail("not a model file (it does not start with MNISTMDL)");
  }
  ByteReader r(bytes);
  r.take(sizeof kModelMagic);
  const std::uint32_t version = r.u32();
  if (!r.ok()) return fail(kTruncated);
  if (version < 1 || version > kModelFormatVersion) {
    return fail("model file format version " + std::to_string(version) +
                " is not supported (this build reads version " +
                std::to_string(kModelFormatVersion) + ")");
  }
  // A damaged byte can break the structure before the checksum is reached:
  // then say "damaged" rather than describe the damage. Files cut short say so.
  const bool intact = checksum_matches(bytes);
  auto corrupt = [&](const std::string& m) { return fail(intact ? m : kChecksumMismatch); };
  const std::uint32_t spec_len = r.u32();
  if (r.ok() && spec_len > 4096) return corrupt("model file is corrupt: architecture text too long");
  const std::string spec_text = r.str(spec_len);
  if (!r.ok()) return fail(kTruncated);

  const std::uint32_t count = r.u32();
  if (!r.ok()) return fail(kTruncated);
  if (count > 256) return corrupt("model file is corrupt: it claims " + std::to_string(count) + " tensors");
  std::map<std::string, FileTensor> tensors;
  for (std::uint32_t t = 0; t < count; ++t) {
    const std::uint32_t name_len = r.u32();
    if (r.ok() && (name_len == 0 || name_len > 128)) {
      return corrupt("model file is corrupt: tensor " + std::to_string(t) + " has a bad name length");
    }
    std::string name = r.str(name_len);
    const std::uint8_t dtype = r.u8();
    const std::uint8_t rank = r.u8();
    if (!r.ok()) return fail(kTruncated);
    if (dtype > 2 || (dtype == 2 && version < 2)) {
      return corrupt("model file: tensor " + name + " has unknown dtype " + std::to_string(dtype));
    }
    if (rank < 1 || rank > 4) {
      return corrupt("model file is corrupt: tensor " + name + " has rank " + std::to_string(rank));
    }
    Shape shape;
    std::uint64_t elements = 1;
    for (int i = 0; i < rank; ++i) {
      const std::uint32_t d = r.u32();
      if (d == 0 || d > (1u << 24)) {
        if (!r.ok()) return fail(kTruncated);
        return corrupt("model file is corrupt: tensor " + name + " has dimension " + std::to_string(d));
      }
      shape.push_back(static_cast<int>(d));
      elements *= d;
    }
    const std::uint64_t payload = dtype == 2 ? shape[0] * std::uint64_t{4} + elements : elements * (dtype == 1 ? 2 : 4);
    if (!r.ok() || payload > r.remaining()) return fail(kTruncated);
    if (tensors.count(name)) return corrupt("model file is corrupt: tensor " + name + " appears twice");
    tensors[name] = {static_cast<DType>(dtype), shape, bytes.size() - r.remaining()};
    r.take(static_cast<std::size_t>(payload));
  }
  if (r.remaining() < 4) return fail(kTruncated);
  if (r.remaining() > 4) {
    return corrupt("model file is corrupt: " + std::to_string(r.remaining() - 4) +
                " unexpected bytes before the checksum");
  }
  if (!intact) return fail(kChecksumMismatch);

  auto spec = parse_spec(spec_text);
  if (!spec) return fail("model file: " + spec.message());
  auto model = Model::create(spec.value());
  if (!model) return fail("model file: " + model.message());
  const auto& params = model.value()->mutable_params();
  if (params.size() != tensors.size()) {
    return fail("model file: the architecture needs " + std::to_string(params.size()) +
                " tensors but the file holds " + std::to_string(tensors.size()));
  }
  for (const Param& p : params) {
    auto it = tensors.find(p.name);
    if (it == tensors.end()) return fail("model file: tensor " + p.name + " is missing");
    const FileTensor& ft = it->second;
    if (ft.shape != p.value->shape) {
      return fail("model file: tensor " + p.name + " has shape " + shape_to_string(ft.shape) +
                  " but the architecture needs " + shape_to_string(p.value->shape));
    }
    // In bulk, not value by value: the CNN has 3.2 million.
    const std::uint8_t* payload = bytes.data() + ft.offset;
    float* values = p.value->data.data();
    const std::size_t n = p.value->data.size();
    bool finite;
    if (ft.dtype == DType::f16) {
      finite = kernels::f32_from_f16_simd128(values, payload, n);
    } else if (ft.dtype == DType::int8) {
      finite = read_int8_rows(values, payload, ft.shape[0], n / ft.shape[0]);
    } else {
      static_assert(std::endian::native == std::endian::little, "files store little-endian floats");
      std::memcpy(values, payload, n * sizeof(float));
      finite = kernels::f32_all_finite_scalar(values, n);
    }
    if (!finite) return fail("model file: tensor " + p.name + " holds a value that is not finite");
  }
  return std::move(model.value());
}

}  // namespace mnist

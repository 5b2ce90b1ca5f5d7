// Model files: round trips in f32 and f16, and a dozen ways to be broken,
// each rejected with its own message.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

#include "io/crc32.h"
#include "io/half.h"
#include "io/model_file.h"
#include "test_util.h"

namespace mnist {
namespace {

using Bytes = std::vector<std::uint8_t>;

std::unique_ptr<Model> small_model() {
  auto spec = parse_spec("input 6x6x1; conv3x3 2; relu; maxpool2x2; dense 4; init truncated_normal 0.1 0.1");
  auto model = Model::create(spec.value());
  model.value()->initialize(9);
  return std::move(model.value());
}

// Where a tensor's values start in a file (after its name, dtype, rank, dims).
std::size_t find_tensor_values(const Bytes& b, const std::string& name) {
  const auto at = std::search(b.begin(), b.end(), name.begin(), name.end()) - b.begin();
  const std::size_t rank = b[at + name.size() + 1];
  return at + name.size() + 2 + 4 * rank;
}

void reseal(Bytes& b) {  // recompute the CRC after a deliberate edit
  const std::uint32_t crc = crc32(std::span<const std::uint8_t>(b.data(), b.size() - 4));
  std::memcpy(b.data() + b.size() - 4, &crc, 4);
}

TEST(ModelFile, RoundTripF32IsExact) {
  auto model = small_model();
  Bytes bytes = save_model(*model, DType::f32);
  auto loaded = load_model(bytes);
  ASSERT_TRUE(loaded) << loaded.message();
  EXPECT_EQ(format_spec(loaded.value()->spec()), format_spec(model->spec()));
  auto a = model->params(), b = loaded.value()->params();
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].value->data, b[i].value->data);
}

TEST(ModelFile, RoundTripF16IsCloseAndHalfTheSize) {
  auto model = small_model();
  Bytes f32 = save_model(*model, DType::f32), f16 = save_model(*model, DType::f16);
  EXPECT_LT(f16.size(), f32.size() * 0.6 + 400);
  auto loaded = load_model(f16);
  ASSERT_TRUE(loaded) << loaded.message();
  auto a = model->params(), b = loaded.value()->params();
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < a[i].value->size(); ++j)
      EXPECT_NEAR(a[i].value->data[j], b[i].value->data[j], 1e-3 * (1 + std::fabs(a[i].value->data[j])));
}

TEST(ModelFile, Int8KeepsDenseWeightsToARowsScaleAndTheRestAsF16) {
  auto spec = parse_spec("input 12x12x1; conv3x3 2; relu; maxpool2x2; dense 64; relu; dense 4; init truncated_normal 0.1 0.1");
  auto model = std::move(Model::create(spec.value()).value());
  model->initialize(9);
  Bytes f16 = save_model(*model, DType::f16), int8 = save_model(*model, DType::int8);
  EXPECT_EQ(f16[8], 1) << "files without int8 stay version 1, which older builds read";
  EXPECT_EQ(int8[8], 2);
  EXPECT_LT(int8.size(), f16.size() * 0.6);
  auto loaded = load_model(int8);
  ASSERT_TRUE(loaded) << loaded.message();
  auto a = model->params(), b = loaded.value()->params();
  for (std::size_t i = 0; i < a.size(); ++i) {
    const Tensor& w = *a[i].value;
    if (w.shape.size() != 2) {  // conv weights and biases: f16
      for (std::size_t j = 0; j < w.size(); ++j) EXPECT_NEAR(w.data[j], b[i].value->data[j], 1e-3 * (1 + std::fabs(w.data[j])));
      continue;
    }
    const std::size_t cols = w.size() / w.shape[0];
    for (int r = 0; r < w.shape[0]; ++r) {
      float largest = 0;
      for (std::size_t j = 0; j < cols; ++j) largest = std::max(largest, std::fabs(w.data[r * cols + j]));
      for (std::size_t j = 0; j < cols; ++j) {
        EXPECT_LE(std::fabs(w.data[r * cols + j] - b[i].value->data[r * cols + j]), largest / 127 / 2 * 1.0001f) << a[i].name;
      }
    }
  }
  // Saved again as int8, the loaded weights give the same file: nothing drifts.
  EXPECT_EQ(save_model(*loaded.value(), DType::int8), int8);
  EXPECT_EQ(parse_dtype("int8").value(), DType::int8);
  EXPECT_FALSE(parse_dtype("int4"));
}

TEST(ModelFile, HalfConversion) {
  EXPECT_EQ(test::half_to_float_by_definition(float_to_half(1.0f)), 1.0f);
  EXPECT_EQ(test::half_to_float_by_definition(float_to_half(-2.5f)), -2.5f);
  EXPECT_EQ(test::half_to_float_by_definition(float_to_half(0.0f)), 0.0f);
  EXPECT_EQ(float_to_half(65504.0f), 0x7BFF);
  EXPECT_EQ(float_to_half(1e6f), 0x7C00) << "overflow becomes infinity";
  EXPECT_NEAR(test::half_to_float_by_definition(float_to_half(1e-6f)), 1e-6f, 1e-7f) << "subnormal";
  EXPECT_EQ(float_to_half(1.0f + 1.0f / 2048), 0x3C00) << "ties round to even";
  for (std::uint32_t h = 0; h < 0x7C00; ++h) {  // every finite positive half survives
    ASSERT_EQ(float_to_half(test::half_to_float_by_definition(static_cast<std::uint16_t>(h))), h) << h;
  }
}

TEST(ModelFile, CrcOfKnownString) {
  const char* s = "123456789";
  EXPECT_EQ(crc32(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s), 9)),
            0xCBF43926u);
}

// The definition, one bit at a time: what the eight-byte table lookups must
// reproduce for every length and alignment, and when chained over pieces.
std::uint32_t crc32_bit_by_bit(const std::uint8_t* p, std::size_t n, std::uint32_t crc) {
  crc = ~crc;
  for (std::size_t i = 0; i < n; ++i) {
    crc ^= p[i];
    for (int k = 0; k < 8; ++k) crc = (crc & 1) ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
  }
  return ~crc;
}

TEST(ModelFile, CrcMatchesTheBitByBitDefinition) {
  Rng rng(21);
  std::vector<std::uint8_t> bytes(5000);
  for (auto& b : bytes) b = static_cast<std::uint8_t>(rng.next_u32());
  for (std::size_t offset = 0; offset < 8; ++offset) {
    for (std::size_t n : {0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 100, 4991}) {
      const std::span<const std::uint8_t> piece(bytes.data() + offset, n);
      ASSERT_EQ(crc32(piece), crc32_bit_by_bit(piece.data(), n, 0)) << offset << " + " << n;
      const std::size_t cut = n / 3;
      ASSERT_EQ(crc32(piece.subspan(cut), crc32(piece.first(cut))), crc32(piece))
          << "chained at " << cut;
    }
  }
}

TEST(ModelFile, EachBrokenFileHasItsOwnMessage) {
  auto model = small_model();
  const Bytes good = save_model(*model, DType::f32);
  const std::size_t spec_len = good[12];
  const std::size_t first_tensor = 16 + spec_len + 4;  // name length of tensor 0

  std::vector<std::pair<std::string, std::pair<Bytes, std::string>>> cases;
  auto add = [&](const std::string& name, Bytes b, const std::string& expect) {
    cases.push_back({name, {std::move(b), expect}});
  };
  add("empty", {}, "empty");
  add("png instead", Bytes{0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 0}, "not a model file");
  {
    Bytes b(good.begin(), good.begin() + 10);
    add("cut in version", b, "truncated");
  }
  {
    Bytes b = good;
    b[8] = 7;
    reseal(b);
    add("future version", b, "version 7 is not supported");
  }
  {
    Bytes b(good.begin(), good.begin() + good.size() / 2);
    add("cut in half", b, "truncated");
  }
  {
    Bytes b = good;  // int8 rows are a version 2 dtype
    b[first_tensor + 4 + good[first_tensor]] = 2;
    reseal(b);
    add("int8 in a version 1 file", b, "unknown dtype 2");
  }
  {
    Bytes b = save_model(*model, DType::int8);  // dense1's first row scale made NaN
    const std::size_t at = find_tensor_values(b, "dense1.weight");
    const float nan = std::nanf("");
    std::memcpy(b.data() + at, &nan, 4);
    reseal(b);
    add("int8 scale not a number", b, "not finite");
  }
  {
    Bytes b(good.begin(), good.end() - 2);
    add("cut in checksum", b, "truncated");
  }
  {
    Bytes b = good;
    b[b.size() - 20] ^= 0x10;
    add("flipped bit", b, "checksum mismatch");
  }
  {
    Bytes b = good;
    b.insert(b.end() - 4, {1, 2, 3});
    reseal(b);
    add("extra bytes", b, "unexpected bytes before the checksum");
  }
  {
    Bytes b = good;
    b[12] = 0xFF, b[13] = 0xFF;
    reseal(b);
    add("spec too long", b, "architecture text too long");
  }
  {
    Bytes b = good;
    const std::string spec(good.begin() + 16, good.begin() + 16 + spec_len);
    const auto at = spec.find("conv3x3 2");
    b[16 + at + 8] = '3';  // conv3x3 3: the file's conv weights no longer fit
    reseal(b);
    add("wrong shape", b, "but the architecture needs");
  }
  {
    Bytes b = good;
    b[16 + 2] = '#';  // garbage in the architecture text
    reseal(b);
    add("bad spec", b, "invalid model spec");
  }
  {
    Bytes b = good;
    b[first_tensor] = 0, b[first_tensor + 1] = 2;  // name length 512
    reseal(b);
    add("bad name length", b, "bad name length");
  }
  {
    Bytes b = good;
    const std::size_t name_len = b[first_tensor];
    b[first_tensor + 4 + name_len] = 9;  // dtype
    reseal(b);
    add("unknown dtype", b, "unknown dtype 9");
  }
  {
    Bytes b = good;
    const std::size_t name_len = b[first_tensor];
    b[first_tensor + 4 + name_len + 1] = 7;  // rank
    reseal(b);
    add("bad rank", b, "has rank 7");
  }
  {
    Bytes b = good;
    b[first_tensor + 4] = 'X';  // conv1.weight -> Xonv1.weight
    reseal(b);
    add("renamed tensor", b, "is missing");
  }
  {
    Bytes b = good;
    const std::size_t name_len = b[first_tensor];
    const std::size_t values = first_tensor + 4 + name_len + 2 + 4 * 4;
    const float nan = std::nanf("");
    std::memcpy(b.data() + values, &nan, 4);
    reseal(b);
    add("nan weight", b, "not finite");
  }
  {
    Bytes b = good;
    b[16 + spec_len] = 3;  // tensor count 3 of 4
    reseal(b);
    add("wrong tensor count", b, "unexpected bytes before the checksum");
  }
  {
    Bytes b = good;
    const std::size_t name_len = b[first_tensor];
    b[first_tensor + 4 + name_len] ^= 0x40;  // a damaged dtype byte, checksum left as it was
    add("damaged structure", b, "checksum mismatch");
  }

  std::set<std::string> messages;
  for (auto& [name, c] : cases) {
    auto r = load_model(c.first);
    ASSERT_FALSE(r) << name << " was accepted";
    EXPECT_NE(r.message().find(c.second), std::string::npos) << name << ": " << r.message();
    messages.insert(r.message());
  }
  EXPECT_GE(messages.size(), 13u);
}

}  // namespace
}  // namespace mnist

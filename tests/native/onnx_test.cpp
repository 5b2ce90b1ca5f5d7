// ONNX files: the protobuf reader refuses what runs past its bytes, and a
// model written as ONNX reads back to the same weights and predictions (the
// layout conversion both ways is exact). ONNX Runtime's view of the same
// files is in tests/cli/onnx.test.mjs.
#include <gtest/gtest.h>

#include "io/onnx_file.h"
#include "io/protobuf_wire.h"
#include "rng.h"

namespace mnist {
namespace {

Status read_all(const std::vector<std::uint8_t>& bytes) {
  return protobuf::for_each_field(bytes, "the test message", [](const protobuf::Field&) { return Status::ok(); });
}

TEST(ProtobufWire, RefusesWhatRunsPastItsBytes) {
  EXPECT_TRUE(static_cast<bool>(read_all({0x08, 0x96, 0x01})));  // field 1 = 150
  EXPECT_NE(read_all({0x0a, 0x05, 'a', 'b'}).message().find("claims 5 bytes but only 2 follow"), std::string::npos);
  EXPECT_NE(read_all({0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}).message().find("cut short"),
            std::string::npos);  // a varint of 11 bytes
  EXPECT_NE(read_all({0x0b}).message().find("wire type 3"), std::string::npos);  // groups: not in ONNX
  EXPECT_NE(read_all({0x0d, 1, 2}).message().find("fixed-size number is cut short"), std::string::npos);
}

TEST(Onnx, AModelWrittenAsOnnxReadsBackToTheSameWeightsAndPredictions) {
  for (const char* preset : {"softmax", "cnn"}) {
    auto spec = preset_spec(preset);
    ModelSpec small = spec.value();
    if (std::string(preset) == "cnn") small.layers[6].units = 64;  // dense 1024 -> 64: a smaller test
    auto model = Model::create(small);
    ASSERT_TRUE(static_cast<bool>(model));
    model.value()->initialize(7);
    const auto bytes = save_onnx(*model.value());
    auto back = load_onnx(bytes);
    ASSERT_TRUE(static_cast<bool>(back)) << back.message();
    ASSERT_EQ(back.value()->params().size(), model.value()->params().size());
    for (std::size_t i = 0; i < model.value()->params().size(); ++i) {
      const auto& a = model.value()->params()[i].value->data;
      const auto& b = back.value()->params()[i].value->data;
      ASSERT_TRUE(std::equal(a.begin(), a.end(), b.begin(), b.end())) << preset << " " << model.value()->params()[i].name;
    }
    Rng rng(3, 1);
    std::vector<float> x(784);
    for (float& v : x) v = rng.uniform();
    std::vector<float> p(10), q(10);
    model.value()->predict(x.data(), 1, p.data());
    back.value()->predict(x.data(), 1, q.data());
    EXPECT_EQ(p, q) << preset;
    EXPECT_EQ(save_onnx(*back.value()), bytes) << preset;
  }
}

TEST(Onnx, AnyModelFileIsTheEnginesOwnOrOnnxOrRefusedSayingBoth) {
  const std::vector<std::uint8_t> png = {0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};
  auto r = load_any_model(png);
  ASSERT_FALSE(static_cast<bool>(r));
  EXPECT_NE(r.message().find("not a model file: neither this engine's"), std::string::npos) << r.message();
}

}  // namespace
}  // namespace mnist

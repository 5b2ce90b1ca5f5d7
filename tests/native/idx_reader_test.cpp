// The IDX reader: good files parse; every kind of malformed file is rejected
// with its own message, and a lying header never causes a big allocation.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "data/gzip.h"
#include "data/idx_reader.h"
#include "data/mnist_files.h"
#include "test_paths.h"

#include <zlib.h>

namespace mnist {
namespace {

using Bytes = std::vector<std::uint8_t>;

void put_be32(Bytes& b, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
}

Bytes image_file(std::uint32_t count, std::uint32_t rows, std::uint32_t cols, std::size_t data_bytes) {
  Bytes b = {0, 0, 0x08, 3};
  put_be32(b, count), put_be32(b, rows), put_be32(b, cols);
  for (std::size_t i = 0; i < data_bytes; ++i) b.push_back(static_cast<std::uint8_t>(i * 7));
  return b;
}

Bytes label_file(const std::vector<std::uint8_t>& labels) {
  Bytes b = {0, 0, 0x08, 1};
  put_be32(b, static_cast<std::uint32_t>(labels.size()));
  b.insert(b.end(), labels.begin(), labels.end());
  return b;
}

TEST(IdxReader, ParsesImagesAndLabels) {
  auto images = parse_idx_images(image_file(2, 3, 4, 24), "imgs");
  ASSERT_TRUE(images) << images.message();
  EXPECT_EQ(images.value().count, 2);
  EXPECT_EQ(images.value().rows, 3);
  EXPECT_EQ(images.value().cols, 4);
  EXPECT_EQ(images.value().pixels[5], 35);
  auto labels = parse_idx_labels(label_file({3, 9}), "labs");
  ASSERT_TRUE(labels) << labels.message();
  EXPECT_EQ(labels.value().labels[1], 9);
  EXPECT_TRUE(check_idx_pair(images.value(), labels.value(), "pair"));
}

struct BadCase {
  const char* name;
  Bytes bytes;
  bool labels;          // parse as a label file
  const char* expect;   // a phrase the message must contain
};

TEST(IdxReader, EachMalformedFileHasItsOwnMessage) {
  Bytes wrong_type = image_file(1, 2, 2, 4);
  wrong_type[2] = 0x0D;  // float data
  Bytes nonzero_magic = image_file(1, 2, 2, 4);
  nonzero_magic[0] = 0x42;
  Bytes gz = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0};
  std::vector<BadCase> cases = {
      {"empty", {}, false, "too short"},
      {"three bytes", {0, 0, 8}, false, "too short"},
      {"not idx", nonzero_magic, false, "not an IDX file"},
      {"still gzipped", gz, false, "gzip-compressed"},
      {"float type", wrong_type, false, "unsupported IDX data type 0x0d"},
      {"labels as images", label_file({1, 2}), false, "expected an image file"},
      {"images as labels", image_file(1, 2, 2, 4), true, "expected a label file"},
      {"header cut", Bytes{0, 0, 8, 3, 0, 0, 0, 1, 0, 0}, false, "header is truncated"},
      {"zero rows", image_file(1, 0, 28, 0), false, "not between 1x1"},
      {"huge rows", image_file(1, 100000, 28, 0), false, "not between 1x1"},
      {"no images", image_file(0, 28, 28, 0), false, "holds no images"},
      {"truncated data", image_file(3, 28, 28, 100), false, "file is truncated"},
      {"lying count", image_file(0xFFFFFFFF, 28, 28, 10), false, "file is truncated"},
      {"trailing bytes", image_file(1, 2, 2, 9), false, "unexpected bytes"},
      {"label out of range", label_file({1, 10, 2}), true, "outside 0-9"},
      {"no labels", label_file({}), true, "holds no labels"},
  };
  std::set<std::string> messages;
  for (const BadCase& c : cases) {
    std::string message;
    if (c.labels) {
      auto r = parse_idx_labels(c.bytes, "file");
      ASSERT_FALSE(r) << c.name;
      message = r.message();
    } else {
      auto r = parse_idx_images(c.bytes, "file");
      ASSERT_FALSE(r) << c.name;
      message = r.message();
    }
    EXPECT_NE(message.find(c.expect), std::string::npos) << c.name << ": " << message;
    messages.insert(message);
  }
  EXPECT_GE(messages.size(), 14u) << "messages should say what differs";
}

TEST(IdxReader, CountMismatchBetweenImagesAndLabels) {
  auto images = parse_idx_images(image_file(3, 2, 2, 12), "imgs");
  auto labels = parse_idx_labels(label_file({1, 2}), "labs");
  Status s = check_idx_pair(images.value(), labels.value(), "training set");
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("3 images but the label file holds 2"), std::string::npos) << s.message();
}

TEST(IdxReader, GzipRoundTripAndCorruption) {
  // The real test-set labels, gzip-compressed by the test through zlib's gzip
  // writer, must read back identically; a cut or damaged stream must not.
  auto raw = read_file_bytes(std::string(kTestMnistDataDir) + "/t10k-labels-idx1-ubyte");
  ASSERT_TRUE(raw);
  const std::string path = ::testing::TempDir() + "/labels.gz";
  {
    gzFile f = gzopen(path.c_str(), "wb");
    gzwrite(f, raw.value().data(), static_cast<unsigned>(raw.value().size()));
    gzclose(f);
  }
  auto packed = read_file_bytes(path);
  ASSERT_TRUE(packed);
  ASSERT_TRUE(looks_gzipped(packed.value()));
  auto unpacked = gunzip(packed.value(), "labels.gz");
  ASSERT_TRUE(unpacked) << unpacked.message();
  EXPECT_EQ(unpacked.value(), raw.value());

  Bytes cut(packed.value().begin(), packed.value().begin() + packed.value().size() / 2);
  auto truncated = gunzip(cut, "cut.gz");
  ASSERT_FALSE(truncated);
  EXPECT_NE(truncated.message().find("truncated"), std::string::npos) << truncated.message();

  Bytes damaged = packed.value();
  for (std::size_t i = 20; i < 60; ++i) damaged[i] ^= 0x5A;
  auto corrupt = gunzip(damaged, "bad.gz");
  ASSERT_FALSE(corrupt);
  EXPECT_NE(corrupt.message().find("corrupt"), std::string::npos) << corrupt.message();

  auto bomb = gunzip(packed.value(), "small limit", 1000);
  ASSERT_FALSE(bomb);
  EXPECT_NE(bomb.message().find("decompresses to more than"), std::string::npos);
}

TEST(IdxReader, ReadsTheRealMnistFolder) {
  auto data = load_mnist_dir(kTestMnistDataDir);
  ASSERT_TRUE(data) << data.message();
  EXPECT_EQ(data.value().train.count, 55000);
  EXPECT_EQ(data.value().validation.count, 5000);
  EXPECT_EQ(data.value().test.count, 10000);
  EXPECT_EQ(data.value().test.rows, 28);
  EXPECT_EQ(data.value().test.labels[0], 7) << "the first test digit is the tutorial's 7";
}

TEST(IdxReader, MissingFolderSaysWhichFile) {
  auto data = load_mnist_dir("/nonexistent-folder");
  ASSERT_FALSE(data);
  EXPECT_NE(data.message().find("train-images-idx3-ubyte: not found"), std::string::npos) << data.message();
}

}  // namespace
}  // namespace mnist

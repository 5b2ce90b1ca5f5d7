#include "data/mnist_files.h"

#include <fstream>

#include "data/gzip.h"

namespace mnist {

namespace {

constexpr std::size_t kMaxFileBytes = std::size_t{512} << 20;

bool exists(const std::string& path) { return std::ifstream(path, std::ios::binary).good(); }

}  // namespace

Result<Dataset> load_idx_pair(const std::string& dir, const std::string& prefix, const std::string& what) {
  auto images_bytes = read_idx_file(dir + "/" + prefix + "-images-idx3-ubyte");
  if (!images_bytes) return images_bytes.status();
  auto images = parse_idx_images(images_bytes.value(), what + " images");
  if (!images) return images.status();
  auto labels_bytes = read_idx_file(dir + "/" + prefix + "-labels-idx1-ubyte");
  if (!labels_bytes) return labels_bytes.status();
  auto labels = parse_idx_labels(labels_bytes.value(), what + " labels");
  if (!labels) return labels.status();
  return make_dataset(std::move(images.value()), std::move(labels.value()), what + " set");
}

Result<std::vector<std::uint8_t>> read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Status::error(path + ": cannot open file");
  const std::streamoff size = in.tellg();
  if (size < 0) return Status::error(path + ": cannot read file");
  if (static_cast<std::size_t>(size) > kMaxFileBytes) {
    return Status::error(path + ": file is larger than 512 MiB");
  }
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  in.seekg(0);
  if (!in.read(reinterpret_cast<char*>(bytes.data()), size)) {
    return Status::error(path + ": read failed");
  }
  return bytes;
}

Result<std::vector<std::uint8_t>> read_idx_file(const std::string& path) {
  std::string actual = path;
  if (!exists(actual)) {
    if (!exists(path + ".gz")) return Status::error(path + ": not found (nor " + path + ".gz)");
    actual = path + ".gz";
  }
  auto bytes = read_file_bytes(actual);
  if (!bytes) return bytes;
  if (looks_gzipped(bytes.value())) return gunzip(bytes.value(), actual);
  return bytes;
}

Result<MnistData> load_mnist_dir(const std::string& dir, int validation_size) {
  auto train = load_idx_pair(dir, "train", "training");
  if (!train) return train.status();
  auto test = load_idx_pair(dir, "t10k", "test");
  if (!test) return test.status();
  if (train.value().rows != test.value().rows || train.value().cols != test.value().cols) {
    return Status::error("training and test images differ in size");
  }
  return split_mnist(std::move(train.value()), std::move(test.value()), validation_size);
}

Result<Dataset> load_mnist_test(const std::string& dir) { return load_idx_pair(dir, "t10k", "test"); }

}  // namespace mnist

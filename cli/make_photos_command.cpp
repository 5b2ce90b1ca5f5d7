#include <cstdio>
#include <filesystem>
#include <fstream>

#include "args.h"
#include "commands.h"
#include "data/mnist_files.h"
#include "photo_synth.h"

namespace mnist::cli {

// Writes synthetic photos of MNIST test digits (see photo_synth.h) and a
// labels.csv (file,label), half as JPEG and half as PNG.
int make_photos_command(const std::vector<std::string>& argv) {
  auto parsed = Args::parse(argv, {"out", "count", "seed", "data"}, {});
  if (!parsed) return report(parsed.message(), kExitUsage);
  const Args& a = parsed.value();
  if (!a.has("out")) return report("make-photos needs --out DIR", kExitUsage);
  auto count = a.get_int("count", 200);
  auto seed = a.get_int("seed", 7);
  if (!count || !seed) return report(!count ? count.message() : seed.message(), kExitUsage);
  auto test = load_mnist_test(a.get("data", MNIST_DEFAULT_DATA_DIR));
  if (!test) return report(test.message());
  const std::string dir = a.get("out");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return report(dir + ": " + ec.message());
  std::ofstream csv(dir + "/labels.csv");
  csv << "file,label\n";
  Rng rng(static_cast<std::uint64_t>(seed.value()), 21);
  const int n = std::min(count.value(), test.value().count);
  for (int i = 0; i < n; ++i) {
    // Spread over the test set rather than its first n.
    const int index = static_cast<int>((static_cast<long long>(i) * test.value().count) / n);
    DecodedImage photo = synthesize_photo(test.value().image(index), rng);
    char name[64];
    const bool jpeg = i % 2 == 0;
    std::snprintf(name, sizeof name, "photo_%04d.%s", i, jpeg ? "jpg" : "png");
    const std::string path = dir + "/" + name;
    Status s = jpeg ? write_jpeg(path, photo, 60 + static_cast<int>(rng.below(36))) : write_png(path, photo);
    if (!s) return report(s.message());
    csv << name << "," << int(test.value().labels[index]) << "\n";
  }
  std::printf("wrote %d photos and labels.csv to %s\n", n, dir.c_str());
  return kExitOk;
}

}  // namespace mnist::cli

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "args.h"
#include "commands.h"
#include "data/mnist_files.h"
#include "photo_synth.h"

namespace mnist::cli {

// Writes synthetic photos of MNIST test digits (see photo_synth.h) and a
// labels.csv (file,label): --format mixed (the default) alternates JPEG and
// PNG; png, jpg or ppm write only that.
int make_photos_command(const std::vector<std::string>& argv) {
  auto parsed = Args::parse(argv, {"out", "count", "seed", "data", "format"}, {});
  if (!parsed) return report(parsed.message(), kExitUsage);
  const Args& a = parsed.value();
  if (!a.has("out")) return report("make-photos needs --out DIR", kExitUsage);
  auto count = a.get_int("count", 200);
  auto seed = a.get_int("seed", 7);
  if (!count || !seed) return report(!count ? count.message() : seed.message(), kExitUsage);
  const std::string format = a.get("format", "mixed");
  if (format != "mixed" && format != "png" && format != "jpg" && format != "ppm") {
    return report("--format must be mixed, png, jpg or ppm", kExitUsage);
  }
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
    const std::string ext = format == "mixed" ? (i % 2 == 0 ? "jpg" : "png") : format;
    std::snprintf(name, sizeof name, "photo_%04d.%s", i, ext.c_str());
    const std::string path = dir + "/" + name;
    const int quality = 60 + static_cast<int>(rng.below(36));
    Status s = ext == "jpg" ? write_jpeg(path, photo, quality) : ext == "png" ? write_png(path, photo) : write_pnm(path, photo);
    if (!s) return report(s.message());
    csv << name << "," << int(test.value().labels[index]) << "\n";
  }
  std::printf("wrote %d photos and labels.csv to %s\n", n, dir.c_str());
  return kExitOk;
}

}  // namespace mnist::cli

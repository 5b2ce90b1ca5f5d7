#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>

#include "args.h"
#include "default_data_dir.h"
#include "commands.h"
#include "data/mnist_files.h"
#include "number_synth.h"
#include "photo_synth.h"
#include "sheet_synth.h"

namespace mnist::cli {

// Writes synthetic photos of MNIST test digits (see photo_synth.h) and a
// labels.csv (file,label): --format mixed (the default) alternates JPEG and
// PNG; png, jpg or ppm write only that. With --numbers SPACING, photos of
// numbers of 2 to 6 digits (number_synth.h; --digits N for N digits, --size
// WxH for photos of that size), the label being the number; their digits
// come from test examples 5000-9999, or 0-4999 with --split tune. With
// --sheets N, photos of a sheet on a table holding N numbers (0 to 12;
// sheet_synth.h), 640x480 unless --size; the label is the numbers in reading
// order, separated by spaces ("" for a blank sheet).
int make_photos_command(const std::vector<std::string>& argv) {
  auto parsed = Args::parse(argv, {"out", "count", "seed", "data", "format", "numbers", "split", "digits", "size", "sheets"}, {});
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
  std::optional<Spacing> spacing;
  if (a.has("numbers")) {
    auto parsed_spacing = parse_spacing(a.get("numbers"));
    if (!parsed_spacing) return report(parsed_spacing.message(), kExitUsage);
    spacing = parsed_spacing.value();
  }
  auto digits_wanted = a.get_int("digits", 0);
  if (!digits_wanted) return report(digits_wanted.message(), kExitUsage);
  if (digits_wanted.value() != 0 && (digits_wanted.value() < 1 || digits_wanted.value() > 12)) {
    return report("--digits must be 1 to 12", kExitUsage);
  }
  int photo_width = 0, photo_height = 0;
  if (a.has("size")) {
    char x = 0;
    if (std::sscanf(a.get("size").c_str(), "%d%c%d", &photo_width, &x, &photo_height) != 3 || x != 'x' ||
        photo_width < 64 || photo_height < 64 || photo_width > 8000 || photo_height > 8000) {
      return report("--size must be WIDTHxHEIGHT, 64 to 8000 each, such as 3000x2000", kExitUsage);
    }
  }
  auto sheets = a.get_int("sheets", -1);
  if (!sheets) return report(sheets.message(), kExitUsage);
  if (a.has("sheets") && (sheets.value() < 0 || sheets.value() > 12)) return report("--sheets must be 0 to 12", kExitUsage);
  if (a.has("sheets") && spacing) return report("choose --numbers or --sheets, not both", kExitUsage);
  const std::string split = a.get("split", "report");
  if (split != "report" && split != "tune") return report("--split must be report or tune", kExitUsage);
  auto test = load_mnist_test(a.get("data", default_data_dir()));
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
    DecodedImage photo;
    std::string label = std::to_string(int(test.value().labels[index]));
    if (a.has("sheets")) {
      const int first = split == "tune" ? 0 : test.value().count / 2;
      SheetScene scene = synthesize_sheet_scene(test.value(), first, sheets.value(), rng, photo_width ? photo_width : 640,
                                                photo_height ? photo_height : 480);
      photo = std::move(scene.photo);
      label.clear();
      for (const std::string& number : scene.numbers) label += (label.empty() ? "" : " ") + number;
    } else if (spacing) {
      const int half = test.value().count / 2, first = split == "tune" ? 0 : half;
      std::vector<int> digits(digits_wanted.value() ? digits_wanted.value() : 2 + rng.below(5));
      for (int& d : digits) d = first + static_cast<int>(rng.below(half));
      NumberPhoto number = synthesize_number_photo(compose_number(test.value(), digits, *spacing, rng), rng,
                                                   photo_width, photo_height);
      photo = std::move(number.photo);
      label = number.text;
    } else {
      photo = synthesize_photo(test.value().image(index), rng);
    }
    char name[64];
    const std::string ext = format == "mixed" ? (i % 2 == 0 ? "jpg" : "png") : format;
    std::snprintf(name, sizeof name, "photo_%04d.%s", i, ext.c_str());
    const std::string path = dir + "/" + name;
    const int quality = 60 + static_cast<int>(rng.below(36));
    Status s = ext == "jpg" ? write_jpeg(path, photo, quality) : ext == "png" ? write_png(path, photo) : write_pnm(path, photo);
    if (!s) return report(s.message());
    csv << name << "," << label << "\n";
  }
  std::printf("wrote %d photos and labels.csv to %s\n", n, dir.c_str());
  return kExitOk;
}

}  // namespace mnist::cli

#include "preprocess/sheet_reader.h"

#include "preprocess/ink.h"
#include "preprocess/preprocess.h"
#include "preprocess/text_lines.h"

namespace mnist {

Result<SheetReading> read_numbers_in_image(std::span<const std::uint8_t> pixels, int width, int height,
                                           int channels, int classes, const DigitClassifier& classify,
                                           const CutChoice& choice) {
  auto working = gray_working_image(pixels, width, height, channels, kPhotoWorkingSide);
  if (!working) return working.status();
  auto& [gray, ink_known] = working.value();
  const float sx = float(width) / gray.width, sy = float(height) / gray.height;
  SheetView view;
  if (ink_known) view.image = std::move(gray);
  else view = find_sheet(std::move(gray));
  SheetReading out;
  out.sheet = view.kind;
  if (view.kind == SheetKind::straightened) {
    for (int k = 0; k < 4; ++k) out.corners[k] = {view.corners[k].x * sx, view.corners[k].y * sy};
  }
  const InkMap map = find_ink(std::move(view.image), ink_known);
  if (map.empty) return out;
  if (map.blobs.size() > std::size_t(kMaxSheetMarks)) {
    out.message = "Too many separate marks (" + std::to_string(map.blobs.size()) + ") to be numbers.";
    return out;
  }
  // On a sheet, ink that touches the frame is the table showing at the
  // edge, or writing the frame cuts: neither can be read.
  std::vector<Box> atoms;
  std::vector<int> blob_of;
  for (std::size_t i = 0; i < map.blobs.size(); ++i) {
    const PixelBox& b = map.blobs[i].box;
    const bool at_frame = b.x0 == 0 || b.y0 == 0 || b.x1 == map.ink.width - 1 || b.y1 == map.ink.height - 1;
    if (view.kind != SheetKind::none && at_frame) continue;
    atoms.push_back({float(b.x0), float(b.y0), float(b.x1 + 1), float(b.y1 + 1)});
    blob_of.push_back(static_cast<int>(i));
  }
  SheetLayout layout = group_into_numbers(atoms);
  for (NumberPlace& place : layout.numbers) {
    for (int& a : place.atoms) a = blob_of[a];
  }
  if (layout.scattered) {
    out.message = "These marks are scattered, not numbers on lines.";
    return out;
  }
  auto to_photo = [&](Box b) {
    if (view.kind == SheetKind::straightened) b = view.to_photo.apply_box(b);
    return Box{b.x0 * sx, b.y0 * sy, b.x1 * sx, b.y1 * sy};
  };
  std::string messages;
  for (const NumberPlace& place : layout.numbers) {
    NumberReading r = read_number_of(map, place.atoms, classes, classify, choice);
    if (r.digits.empty()) continue;
    for (ReadDigit& d : r.digits) d.box = to_photo(d.box);
    r.box = to_photo(r.box);
    if (!r.message.empty() && messages.find(r.message) == std::string::npos) messages += (messages.empty() ? "" : " ") + r.message;
    out.numbers.push_back(std::move(r));
  }
  if (layout.more) messages += (messages.empty() ? "" : " ") + std::string("Only the first ") + std::to_string(kMaxNumbers) + " numbers are read.";
  if (out.numbers.empty() && messages.empty()) messages = "Only small marks here, too small to be digits.";
  out.message = messages;
  return out;
}

}  // namespace mnist

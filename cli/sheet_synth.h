// Synthetic photos of a sheet of paper on a table, for measuring the sheet
// reader: numbers of 1 to 6 MNIST test digits (some with a minus sign or a
// decimal point, drawn as a pen would) written on lines of the sheet, the
// sheet photographed turned up to 15 degrees and tilted up to 30, sometimes
// cut by the frame, under uneven light and a shadow, with sensor noise, blur
// and JPEG artefacts, on a darker, textured table.
#pragma once

#include <string>
#include <vector>

#include "data/dataset.h"
#include "image_file.h"
#include "rng.h"

namespace mnist::cli {

struct SheetScene {
  DecodedImage photo;                // RGB
  std::vector<std::string> numbers;  // as written ("-3.5"), in reading order
  bool cut = false;                  // the frame cuts the sheet
};

// numbers: how many (0 for a blank sheet); digits from examples first to
// first + 4999 of `source` (the tuning or the reporting half of the test set).
SheetScene synthesize_sheet_scene(const Dataset& source, int first, int numbers, Rng& rng, int width = 640,
                                  int height = 480);

}  // namespace mnist::cli

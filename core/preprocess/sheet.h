// Finding a sheet of paper in a photo and reading it flat. A sheet is a
// light region on a darker or busier background, with a sharp edge (a
// shadow or a lighting gradient on one paper has none). When all of it is
// in view and it is a quadrilateral, its corners give a perspective
// transform that straightens it; when the frame cuts it, or it is not a
// quadrilateral, it is read as it is with the background painted over as
// paper, so that the table's edges and texture are not taken for ink.
#pragma once

#include <array>

#include "preprocess/image_ops.h"
#include "preprocess/segment.h"

namespace mnist {

struct Point {
  float x = 0, y = 0;
};

// A plane projective map: (x, y) -> ((a x + b y + c) / (g x + h y + 1), (d x + e y + f) / (...)).
struct Homography {
  std::array<double, 8> m{1, 0, 0, 0, 1, 0, 0, 0};
  Point apply(Point p) const;
  // The box around where a box's corners go.
  Box apply_box(const Box& b) const;
  // The map taking from[k] to to[k]; false when three of the points are in line.
  static bool between(const std::array<Point, 4>& from, const std::array<Point, 4>& to, Homography& out);
};

enum class SheetKind { none, straightened, masked };

struct SheetView {
  SheetKind kind = SheetKind::none;
  std::array<Point, 4> corners{};  // straightened: top-left, top-right, bottom-right, bottom-left, in the photo's pixels
  GrayImage image;                 // what is read: the photo itself, the sheet straightened, or the photo masked
  Homography to_photo;             // from image's pixels to the photo's
};

// gray (h,w) in [0,1], light paper expected. Takes the photo, and gives it
// back in the view when no sheet is found.
SheetView find_sheet(GrayImage gray);

}  // namespace mnist

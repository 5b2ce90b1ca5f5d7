// Strokes drawn on the pad, rendered for recognition. The page hands the
// engine its strokes rather than a picture of them, so that the engine knows
// which ink belongs to which stroke (a digit is usually one or two strokes,
// and a stroke is rarely in two digits), and the tool and the tests render
// them exactly as the page does.
#pragma once

#include <span>
#include <vector>

#include "preprocess/ink.h"
#include "preprocess/segment.h"
#include "status.h"

namespace mnist {

struct StrokePoint {
  float x = 0, y = 0;  // in the pad's units (the page: CSS pixels), y down
};
using Stroke = std::vector<StrokePoint>;

inline constexpr int kMaxStrokes = 1000;
inline constexpr int kMaxStrokePoints = 200000;  // all strokes together

// points (P,2) as x, y pairs; lengths (S): points per stroke, in order.
// Refuses non-finite coordinates, lengths that do not add up and drawings
// over the limits above.
Result<std::vector<Stroke>> strokes_from_arrays(std::span<const float> points, std::span<const int> lengths);

// A stroke's bounding box, in pad units, without the line's width.
Box stroke_bounds(const Stroke& stroke);

// Pairs (i, j), i < j, of strokes whose centre lines cross or touch.
std::vector<std::pair<int, int>> crossing_strokes(std::span<const Stroke> strokes);

// Renders strokes as the pad shows them (round caps and joins, smoothed
// through the midpoints of successive points) at `scale` raster pixels per
// pad unit, stroke i with a line line_widths[i] raster pixels wide, shifted so that
// pad point (origin_x, origin_y) is raster pixel (0, 0). The result is an
// ink map whose blobs are the strokes (blob i+1 is stroke i; a stroke that
// lies wholly outside the raster has an empty box): each pixel the lines
// cover belongs to the stroke whose centre line is nearest (owners), and is
// a label of it when covered by half or more.
InkMap rasterize_strokes(std::span<const Stroke> strokes, float scale, float origin_x, float origin_y,
                         int width, int height, std::span<const float> line_widths);

}  // namespace mnist

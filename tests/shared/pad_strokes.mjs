// The pad tests' digits, drawn as strokes: shared by the Playwright tests
// (tests/web/) and the WebKit ones (tests/webkit/).

// A digit as strokes of points in a unit box (x right, y down).
const arc = (cx, cy, rx, ry, from, to, n = 20) =>
  Array.from({ length: n + 1 }, (_, i) => {
    const t = ((from + (to - from) * (i / n)) * Math.PI) / 180;
    return [cx + rx * Math.cos(t), cy + ry * Math.sin(t)];
  });

export const DIGITS = {
  0: [arc(0.5, 0.5, 0.3, 0.45, -90, 275)],
  1: [[[0.42, 0.18], [0.56, 0.05], [0.55, 0.5], [0.54, 0.95]]],
  2: [[...arc(0.5, 0.3, 0.3, 0.25, 190, 370), [0.75, 0.42], [0.2, 0.95], [0.85, 0.95]]],
  3: [[...arc(0.48, 0.27, 0.28, 0.22, 200, 450), ...arc(0.48, 0.72, 0.32, 0.25, -90, 150)]],
  4: [[[0.62, 0.05], [0.15, 0.65], [0.88, 0.65]], [[0.64, 0.35], [0.64, 0.97]]],
  5: [[[0.8, 0.06], [0.3, 0.06], [0.26, 0.45], ...arc(0.48, 0.68, 0.3, 0.27, -110, 150)]],
  6: [[[0.72, 0.04], [0.45, 0.25], [0.28, 0.55], ...arc(0.5, 0.72, 0.25, 0.24, 180, 540)]],
  7: [[[0.12, 0.06], [0.88, 0.06], [0.62, 0.5], [0.42, 0.96]]],
  8: [[...arc(0.5, 0.27, 0.22, 0.22, 90, 450), ...arc(0.5, 0.73, 0.28, 0.24, -90, 270)]],
  9: [[...arc(0.48, 0.3, 0.26, 0.24, 0, 360), [0.74, 0.3], [0.7, 0.65], [0.62, 0.97]]],
};

// Strokes of a unit box placed in box {x, y, size} of the pad: x in
// fractions of its width, y and size in fractions of its height (the pad is
// wider than tall), as page coordinates.
export function placedStrokes(pad, strokes, box) {
  return strokes.map((stroke) => stroke.map(([u, v]) => ({
    x: pad.x + box.x * pad.width + u * box.size * pad.height,
    y: pad.y + (box.y + v * box.size) * pad.height,
  })));
}


// Digits as a person draws them on the pad: several styles of each digit, as
// strokes of points in a box 1 tall (x right, y down, x about 0 to 0.7),
// and numbers written with them: each digit slanted, rotated, stretched and
// wobbled a little, placed along a gently sloping line. Shared by the tests
// of the WebAssembly module (many numbers) and of the page (drawn with the
// mouse and by touch). Seeded: the same seed gives the same drawings.

// Points along an ellipse centred at (cx, cy), from angle `from` to `to`
// degrees (0 = right, 90 = down).
export function arc(cx, cy, rx, ry, from, to, n = 16) {
  return Array.from({ length: n + 1 }, (_, i) => {
    const t = ((from + (to - from) * (i / n)) * Math.PI) / 180;
    return [cx + rx * Math.cos(t), cy + ry * Math.sin(t)];
  });
}

// Straight segments through the given corners, with a point every `step`.
export function line(...corners) {
  const out = [corners[0]];
  for (let k = 1; k < corners.length; k++) {
    const [x0, y0] = corners[k - 1], [x1, y1] = corners[k];
    const n = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / 0.08));
    for (let i = 1; i <= n; i++) out.push([x0 + ((x1 - x0) * i) / n, y0 + ((y1 - y0) * i) / n]);
  }
  return out;
}

// Each style: {name, strokes}. Names say what is particular about them.
export const STYLES = {
  0: [
    { name: 'oval', strokes: [arc(0.32, 0.5, 0.3, 0.48, -90, 275, 24)] },
    { name: 'narrow oval', strokes: [arc(0.25, 0.5, 0.22, 0.48, -100, 265, 24)] },
    { name: 'round', strokes: [arc(0.38, 0.5, 0.36, 0.46, -80, 285, 24)] },
  ],
  1: [
    { name: 'stick', strokes: [line([0.3, 0.02], [0.28, 0.98])] },
    { name: 'with flag', strokes: [line([0.08, 0.22], [0.32, 0.02], [0.3, 0.98])] },
    { name: 'with flag and base', strokes: [line([0.1, 0.2], [0.34, 0.02], [0.32, 0.97]), line([0.1, 0.98], [0.55, 0.98])] },
  ],
  2: [
    { name: 'curved', strokes: [[...arc(0.32, 0.3, 0.3, 0.27, 195, 370), ...line([0.6, 0.4], [0.02, 0.97], [0.66, 0.96])]] },
    { name: 'looped base', strokes: [[...arc(0.33, 0.28, 0.3, 0.25, 190, 380), ...line([0.58, 0.45], [0.12, 0.9]), ...arc(0.14, 0.86, 0.1, 0.1, -60, 200, 8), ...line([0.1, 0.92], [0.68, 0.95])]] },
    { name: 'z-like', strokes: [line([0.04, 0.06], [0.62, 0.05], [0.05, 0.96], [0.68, 0.96])] },
  ],
  3: [
    { name: 'two bumps', strokes: [[...arc(0.3, 0.27, 0.28, 0.23, 200, 450), ...arc(0.3, 0.73, 0.32, 0.25, -90, 150)]] },
    { name: 'flat top', strokes: [[...line([0.04, 0.04], [0.6, 0.04], [0.25, 0.42]), ...arc(0.3, 0.7, 0.32, 0.27, -80, 160)]] },
  ],
  4: [
    { name: 'open', strokes: [line([0.42, 0.02], [0.04, 0.64], [0.7, 0.64]), line([0.5, 0.3], [0.5, 0.98])] },
    { name: 'closed', strokes: [line([0.55, 0.98], [0.55, 0.02], [0.03, 0.66], [0.72, 0.66])] },
    { name: 'crossed', strokes: [line([0.1, 0.02], [0.06, 0.58], [0.7, 0.58]), line([0.55, 0.05], [0.52, 0.98])] },
  ],
  5: [
    { name: 'flag last', strokes: [[...line([0.12, 0.05], [0.08, 0.45]), ...arc(0.32, 0.68, 0.3, 0.28, -120, 150)], line([0.1, 0.05], [0.62, 0.05])] },
    { name: 'one stroke', strokes: [[...line([0.64, 0.04], [0.12, 0.04], [0.08, 0.44]), ...arc(0.32, 0.68, 0.3, 0.28, -120, 150)]] },
  ],
  6: [
    { name: 'round', strokes: [[...line([0.55, 0.02], [0.3, 0.25], [0.06, 0.6]), ...arc(0.32, 0.72, 0.26, 0.25, 180, 530)]] },
    { name: 'straight back', strokes: [[...line([0.3, 0.01], [0.06, 0.7]), ...arc(0.3, 0.73, 0.25, 0.24, 170, 530)]] },
  ],
  7: [
    { name: 'plain', strokes: [line([0.02, 0.05], [0.66, 0.05], [0.28, 0.98])] },
    { name: 'with crossbar', strokes: [line([0.02, 0.05], [0.66, 0.05], [0.3, 0.98]), line([0.22, 0.5], [0.62, 0.5])] },
    { name: 'with hook', strokes: [line([0.02, 0.16], [0.06, 0.05], [0.66, 0.05], [0.32, 0.98])] },
  ],
  8: [
    { name: 'one stroke', strokes: [[...arc(0.33, 0.26, 0.24, 0.23, 90, 450), ...arc(0.33, 0.74, 0.3, 0.25, -90, 270)]] },
    { name: 'two loops', strokes: [arc(0.33, 0.26, 0.23, 0.23, 0, 365, 20), arc(0.33, 0.73, 0.3, 0.25, 0, 365, 20)] },
    { name: 'crossed', strokes: [[...arc(0.33, 0.26, 0.22, 0.24, 140, -150, 14), ...line([0.5, 0.44], [0.05, 0.8]), ...arc(0.33, 0.78, 0.28, 0.2, 180, -90, 14), ...line([0.45, 0.6], [0.15, 0.43]), ...arc(0.33, 0.26, 0.22, 0.24, 150, 140, 2)]] },
  ],
  9: [
    { name: 'straight stem', strokes: [[...arc(0.32, 0.28, 0.27, 0.25, 0, 360), ...line([0.59, 0.28], [0.57, 0.98])]] },
    { name: 'curved stem', strokes: [[...arc(0.32, 0.28, 0.27, 0.25, 0, 360), ...line([0.59, 0.3], [0.55, 0.7]), ...arc(0.35, 0.75, 0.2, 0.22, 10, 120, 6)]] },
  ],
};

// A seeded generator (mulberry32): the same numbers in Node and in the page.
export function makeRng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, uniform: (lo, hi) => lo + (hi - lo) * next(), below: (n) => Math.floor(next() * n) };
}

// One digit's strokes with a hand's variation, in a box `height` tall whose
// top-left corner is (0, 0): returns {strokes, width}. The slant is
// slantBias (a writer's habit) give or take `slant` degrees.
export function drawDigit(digit, style, height, rng, { slant = 15, rotation = 8, slantBias = 0 } = {}) {
  const shear = Math.tan(((slantBias + rng.uniform(-slant, slant)) * Math.PI) / 180);
  const angle = (rng.uniform(-rotation, rotation) * Math.PI) / 180;
  const stretch = rng.uniform(0.85, 1.15);
  const wobble = 0.012;
  const cos = Math.cos(angle), sin = Math.sin(angle);
  let strokes = style.strokes.map((s) => s.map(([x, y]) => {
    const sx = x * stretch + shear * (0.5 - y);
    const rx = cos * (sx - 0.3) - sin * (y - 0.5), ry = sin * (sx - 0.3) + cos * (y - 0.5);
    return [rx + rng.uniform(-wobble, wobble), ry + rng.uniform(-wobble, wobble)];
  }));
  const xs = strokes.flat().map((p) => p[0]), ys = strokes.flat().map((p) => p[1]);
  const x0 = Math.min(...xs), y0 = Math.min(...ys), h = Math.max(...ys) - y0;
  strokes = strokes.map((s) => s.map(([x, y]) => [((x - x0) * height) / h, ((y - y0) * height) / h]));
  return { strokes, width: ((Math.max(...xs) - x0) * height) / h };
}

// A number written with a style per digit chosen at random: {text, strokes,
// boxes, styles}, in pad units, the first digit's top-left at (x, y). gap: the space
// between digits' boxes, in digit heights.
export function drawNumber(text, rng, { x = 0, y = 0, height = 100, gap = [0.15, 0.45], slope = 4, slant = 15, rotation = 8 } = {}) {
  const tilt = Math.tan((rng.uniform(-slope, slope) * Math.PI) / 180);
  const strokes = [], boxes = [], styles = [];
  let cursor = x;
  for (const ch of text) {
    const style = STYLES[ch][rng.below(STYLES[ch].length)];
    const size = height * rng.uniform(0.88, 1.1);
    const d = drawDigit(Number(ch), style, size, rng, { slant, rotation });
    styles.push(`${ch} ${style.name}`);
    const top = y + (cursor - x) * tilt + rng.uniform(-0.06, 0.06) * height + (height - size) / 2;
    for (const s of d.strokes) strokes.push(s.map(([px, py]) => [cursor + px, top + py]));
    boxes.push([cursor, top, d.width, size]);
    cursor += d.width + rng.uniform(gap[0], gap[1]) * height;
  }
  return { text, strokes, boxes, styles };
}

// A random number of `length` digits (any digit first: house numbers,
// codes and years all occur).
export function randomDigits(length, rng) {
  return Array.from({ length }, () => String(rng.below(10))).join('');
}

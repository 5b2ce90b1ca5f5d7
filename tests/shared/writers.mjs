// Synthetic writers: people with a consistent but unusual hand, each digit
// always in their own style, slanted their own way, varying only as one
// person's hand varies. They stand in for a real user in the tests of
// adapting to one person's handwriting, and for the README's figures.
// TUNING writers were used to choose the adaptation's settings; REPORT
// writers were not, and are the ones whose figures count.
import { arc, drawDigit, line, makeRng } from './stroke_font.mjs';

const writer = (name, slant, digits, { narrow = 1 } = {}) => ({ name, slant, narrow, digits });

// Ada: slashed zero, a 2 like a Z with a bar, a 9 closed at the bottom, an
// 8 with a tiny top loop, a 1 with a long flag, a small closed 4; right slant.
const ada = writer('ada', 14, {
  0: [arc(0.32, 0.5, 0.3, 0.48, -90, 275, 24), line([0.62, 0.08], [0.02, 0.92])],
  1: [line([0.0, 0.4], [0.36, 0.0], [0.34, 1.0])],
  2: [line([0.05, 0.05], [0.62, 0.05], [0.05, 0.95], [0.68, 0.95]), line([0.14, 0.5], [0.56, 0.5])],
  3: [[...arc(0.3, 0.27, 0.28, 0.23, 200, 450), ...arc(0.3, 0.73, 0.32, 0.25, -90, 150)]],
  4: [line([0.5, 0.98], [0.5, 0.02], [0.1, 0.42], [0.7, 0.42])],
  5: [[...line([0.64, 0.04], [0.12, 0.04], [0.08, 0.44]), ...arc(0.32, 0.68, 0.3, 0.28, -120, 150)]],
  6: [[...line([0.55, 0.02], [0.3, 0.25], [0.06, 0.6]), ...arc(0.32, 0.72, 0.26, 0.25, 180, 530)]],
  7: [line([0.02, 0.05], [0.66, 0.05], [0.3, 0.98]), line([0.22, 0.5], [0.62, 0.5])],
  8: [[...arc(0.36, 0.13, 0.1, 0.12, 90, 450, 10), ...arc(0.36, 0.63, 0.33, 0.36, -90, 270)]],
  9: [[...arc(0.32, 0.27, 0.27, 0.25, 0, 360), ...line([0.59, 0.27], [0.59, 0.72]), ...arc(0.36, 0.72, 0.23, 0.25, 0, 250)]],
});

// Bo: left slant, a 6 with a tiny loop, a 9 with a tiny head on a long
// stem, a 4 with its head high, a 5 whose flag floats free, a 2 with a
// looped base.
const bo = writer('bo', -14, {
  0: [[...arc(0.32, 0.5, 0.3, 0.48, -90, 300, 24), ...line([0.5, 0.15], [0.36, 0.16])]],
  1: [line([0.1, 0.2], [0.34, 0.02], [0.32, 0.97]), line([0.08, 0.98], [0.58, 0.98])],
  2: [[...arc(0.33, 0.28, 0.3, 0.25, 190, 380), ...line([0.58, 0.45], [0.12, 0.9]), ...arc(0.14, 0.86, 0.1, 0.1, -60, 200, 8), ...line([0.1, 0.92], [0.68, 0.95])]],
  3: [[...line([0.04, 0.04], [0.6, 0.04], [0.25, 0.42]), ...arc(0.3, 0.7, 0.32, 0.27, -80, 160)]],
  4: [line([0.6, 1.0], [0.6, 0.0], [0.08, 0.32], [0.72, 0.32])],
  5: [[...line([0.14, 0.12], [0.1, 0.48]), ...arc(0.33, 0.7, 0.28, 0.27, -120, 150)], line([0.22, 0.02], [0.7, 0.0])],
  6: [[...line([0.58, 0.0], [0.1, 0.82]), ...arc(0.24, 0.86, 0.13, 0.12, 180, 540, 12)]],
  7: [line([0.02, 0.16], [0.06, 0.05], [0.66, 0.05], [0.32, 0.98])],
  8: [[...arc(0.33, 0.26, 0.22, 0.24, 140, -150, 14), ...line([0.5, 0.44], [0.05, 0.8]), ...arc(0.33, 0.78, 0.28, 0.2, 180, -90, 14), ...line([0.45, 0.6], [0.15, 0.43]), ...arc(0.33, 0.26, 0.22, 0.24, 150, 140, 2)]],
  9: [[...arc(0.44, 0.14, 0.15, 0.13, 0, 360, 12), ...line([0.59, 0.14], [0.57, 1.0])]],
});

// Cy: a square hand, every digit in straight lines as on a seven-segment
// display (a 7 with its top-left segment, a 9 without its bottom one).
const cy = writer('cy', 4, {
  0: [line([0.05, 0.02], [0.6, 0.02], [0.6, 0.98], [0.05, 0.98], [0.05, 0.02])],
  1: [line([0.3, 0.02], [0.3, 0.98])],
  2: [line([0.05, 0.04], [0.6, 0.04], [0.6, 0.5], [0.05, 0.5], [0.05, 0.96], [0.64, 0.96])],
  3: [line([0.05, 0.04], [0.6, 0.04], [0.6, 0.96], [0.05, 0.96]), line([0.15, 0.5], [0.6, 0.5])],
  4: [line([0.05, 0.02], [0.05, 0.55], [0.66, 0.55]), line([0.55, 0.02], [0.55, 0.98])],
  5: [line([0.62, 0.04], [0.05, 0.04], [0.05, 0.5], [0.6, 0.5], [0.6, 0.96], [0.04, 0.96])],
  6: [line([0.6, 0.04], [0.05, 0.04], [0.05, 0.96], [0.6, 0.96], [0.6, 0.5], [0.05, 0.5])],
  7: [line([0.05, 0.3], [0.05, 0.04], [0.62, 0.04], [0.6, 0.98])],
  8: [line([0.05, 0.02], [0.6, 0.02], [0.6, 0.98], [0.05, 0.98], [0.05, 0.02]), line([0.05, 0.5], [0.6, 0.5])],
  9: [line([0.6, 0.5], [0.05, 0.5], [0.05, 0.04], [0.6, 0.04], [0.6, 0.98])],
});

// Dee: round and curly, strongly slanted right: curls at the start of 2, 3
// and 0, a 4 written like a Cyrillic ch, a 5 like an S, a 6 like a Cyrillic
// be, a 7 with a curved stem, a 9 whose stem sweeps left.
const dee = writer('dee', 22, {
  0: [[...arc(0.32, 0.5, 0.3, 0.48, -60, 300, 24), ...arc(0.42, 0.18, 0.08, 0.08, 300, 60, 6)]],
  1: [[...arc(0.18, 0.3, 0.18, 0.28, 200, 290, 6), ...line([0.22, 0.03], [0.3, 0.98])]],
  2: [[...arc(0.12, 0.2, 0.07, 0.07, 90, 360, 8), ...arc(0.33, 0.3, 0.27, 0.26, 200, 380), ...line([0.58, 0.42], [0.05, 0.95]), ...arc(0.3, 0.88, 0.32, 0.1, 180, 360, 8)]],
  3: [[...arc(0.1, 0.15, 0.07, 0.07, 90, 360, 8), ...arc(0.32, 0.27, 0.27, 0.23, 200, 450), ...arc(0.3, 0.73, 0.32, 0.25, -90, 160)]],
  4: [[...line([0.1, 0.02], [0.1, 0.3]), ...arc(0.33, 0.3, 0.23, 0.22, 180, 0, 12)], line([0.58, 0.02], [0.58, 0.98])],
  5: [[...arc(0.33, 0.27, 0.27, 0.23, -20, -270, 14), ...arc(0.33, 0.73, 0.3, 0.23, -90, 160, 14)]],
  6: [[...line([0.66, 0.03], [0.16, 0.06]), ...arc(0.42, 0.66, 0.3, 0.32, 190, 540, 20)]],
  7: [[...line([0.02, 0.06], [0.68, 0.06]), ...arc(0.0, 0.1, 0.68, 0.88, 0, 80, 10)]],
  8: [[...arc(0.33, 0.26, 0.24, 0.23, 90, 450), ...arc(0.33, 0.74, 0.3, 0.25, -90, 270)]],
  9: [[...arc(0.35, 0.27, 0.27, 0.25, 0, 360), ...line([0.62, 0.3], [0.5, 0.75]), ...arc(0.25, 0.72, 0.28, 0.27, 10, 150, 8)]],
});

// Eli: tall and narrow, leaning left: a 1 like an upside-down V, a crossed 7
// and a crossed open 4, a slashed zero, a Z-like 2, a 9 closed at the bottom
// like a g, an 8 with a small top loop set to the right.
const eli = writer('eli', -8, {
  0: [arc(0.32, 0.5, 0.3, 0.48, -90, 275, 24), line([0.6, 0.12], [0.04, 0.88])],
  1: [line([0.0, 0.55], [0.32, 0.0], [0.34, 1.0])],
  2: [line([0.04, 0.06], [0.62, 0.05], [0.05, 0.96], [0.68, 0.96])],
  3: [[...line([0.04, 0.04], [0.6, 0.04], [0.25, 0.42]), ...arc(0.3, 0.7, 0.32, 0.27, -80, 160)]],
  4: [line([0.1, 0.02], [0.06, 0.58], [0.7, 0.58]), line([0.55, 0.05], [0.52, 0.98])],
  5: [[...line([0.12, 0.05], [0.08, 0.45]), ...arc(0.32, 0.68, 0.3, 0.28, -120, 150)], line([0.1, 0.05], [0.62, 0.05])],
  6: [[...line([0.3, 0.01], [0.06, 0.7]), ...arc(0.3, 0.73, 0.25, 0.24, 170, 530)]],
  7: [line([0.02, 0.05], [0.66, 0.05], [0.3, 0.98]), line([0.2, 0.52], [0.6, 0.52])],
  8: [[...arc(0.46, 0.16, 0.12, 0.15, 90, 450, 12), ...arc(0.33, 0.64, 0.32, 0.34, -70, 290)]],
  9: [[...arc(0.32, 0.26, 0.27, 0.24, 0, 360), ...line([0.59, 0.26], [0.59, 0.74]), ...arc(0.36, 0.74, 0.23, 0.24, 0, 330)]],
}, { narrow: 0.6 });

export const TUNING = [ada, bo];
export const REPORT = [cy, dee, eli];
export const WRITERS = [...TUNING, ...REPORT];

// `count` drawings of each digit by `who`, in pad units (digits `height`
// tall): [{digit, strokes}], digit by digit. Seeded per writer: the same
// call gives the same drawings; another `seed` gives the same hand's other
// drawings.
export function writeDigits(who, count, { seed = 1, height = 200 } = {}) {
  const rng = makeRng(seed * 7919 + who.name.charCodeAt(0) * 31 + who.name.length);
  const out = [];
  for (let digit = 0; digit <= 9; digit++) {
    const style = { strokes: who.digits[digit].map((s) => s.map(([x, y]) => [x * who.narrow, y])) };
    for (let i = 0; i < count; i++) {
      // One person's hand: their own slant, give or take a little.
      const d = drawDigit(digit, style, height * rng.uniform(0.9, 1.1), rng, { slant: 7, rotation: 7, slantBias: who.slant });
      out.push({ digit, strokes: d.strokes.map((s) => s.map(([x, y]) => [x + 60, y + 40])) });
    }
  }
  return out;
}

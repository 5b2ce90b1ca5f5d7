// Reading numbers in the WebAssembly module, in Node: photos of numbers read
// the same as by the native tool; numbers written as strokes (several styles
// of each digit, tests/shared/stroke_font.mjs) read right; bad input comes
// back as a message or an empty reading, never a crash or a 40-digit number.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STYLES, drawDigit, drawNumber, makeRng, randomDigits } from '../shared/stroke_font.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mnist = path.join(root, 'build/native/mnist');
const generated = path.join(root, 'web/generated');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mnist-numbers-'));
let engine, cnn;

before(async () => {
  const { default: createEngineModule } = await import(path.join(generated, 'engine.js'));
  engine = await createEngineModule({ wasmBinary: fs.readFileSync(path.join(generated, 'engine.wasm')) });
  cnn = new engine.Recognizer();
  assert.equal(cnn.load(new Uint8Array(fs.readFileSync(path.join(root, 'public/models/cnn.bin')))), '');
});
after(() => cnn.delete());

// Binary PPM (P6) -> RGBA.
function readPpm(file) {
  const bytes = fs.readFileSync(file);
  const [whole, w, h] = bytes.subarray(0, 64).toString('latin1').match(/^P6\s+(\d+)\s+(\d+)\s+255\s/);
  const width = Number(w), height = Number(h), data = bytes.subarray(whole.length);
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba.set(data.subarray(i * 3, i * 3 + 3), i * 4);
    rgba[i * 4 + 3] = 255;
  }
  return { rgba, width, height };
}

const readStrokes = (strokes) =>
  cnn.readStrokes(new Float32Array(strokes.flat(2)), new Int32Array(strokes.map((s) => s.length)));

test('photos of numbers read the same in WebAssembly as in the native tool: digits, boxes, probabilities', () => {
  for (const spacing of ['spaced', 'touching']) {
    const dir = path.join(tmp, spacing);
    const made = spawnSync(mnist, ['make-photos', '--out', dir, '--numbers', spacing, '--count', '6', '--seed', '41', '--format', 'ppm']);
    assert.equal(made.status, 0, String(made.stderr));
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ppm')).sort().map((f) => path.join(dir, f));
    const r = spawnSync(mnist, ['predict', '--model', path.join(root, 'public/models/cnn.bin'), '--json', ...files], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const native = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    files.forEach((file, i) => {
      const { rgba, width, height } = readPpm(file);
      const wasm = cnn.readImage(rgba, width, height);
      assert.equal(wasm.error, undefined);
      assert.equal(wasm.number, native[i].number, file);
      assert.equal(wasm.digits.length, native[i].digits.length);
      wasm.digits.forEach((d, k) => {
        const n = native[i].digits[k];
        assert.equal(d.digit, n.digit);
        d.box.forEach((v, j) => assert.ok(Math.abs(v - n.box[j]) <= 0.1, `${file} digit ${k} box ${d.box} vs ${n.box}`));
        const diff = Math.max(...n.probabilities.map((p, c) => Math.abs(p - d.probabilities[c])));
        assert.ok(diff < 1e-4, `${file} digit ${k}: probabilities differ by ${diff}`);
      });
    });
  }
});

test('numbers written on the pad in several styles per digit are read right', () => {
  const rng = makeRng(2027);
  const count = 300;
  let right = 0;
  const wrong = [];
  for (let n = 0; n < count; n++) {
    const text = randomDigits(1 + rng.below(8), rng);
    const number = drawNumber(text, rng, { x: 10, y: 40, height: rng.uniform(50, 250) });
    const r = readStrokes(number.strokes);
    assert.equal(r.error, undefined);
    assert.equal(r.digits.length, r.number.length);
    if (r.number === text) right++;
    else wrong.push(`${text} (${number.styles.join(', ')}) read as ${r.number}`);
  }
  console.log(`strokes: ${right} of ${count} numbers right; wrong: ${wrong.join('; ')}`);
  assert.ok(right / count >= 0.97, `${right} of ${count}`);
});

test('every style of every digit is read alone, slanted to 20 degrees and rotated to 15', () => {
  const rng = makeRng(11);
  const misses = [];
  for (const [digit, styles] of Object.entries(STYLES)) {
    for (const style of styles) {
      for (let k = 0; k < 12; k++) {
        const { strokes } = drawDigit(Number(digit), style, rng.uniform(60, 220), rng, { slant: 20, rotation: 15 });
        const r = readStrokes(strokes.map((s) => s.map(([x, y]) => [x + 30, y + 30])));
        if (r.number !== digit) misses.push(`${digit} ${style.name} read as "${r.number}"`);
      }
    }
  }
  assert.deepEqual(misses, []);
});

test('a number as long as the limit is read whole; a longer one gives its first 12 digits and says so', () => {
  const rng = makeRng(5);
  const twelve = drawNumber('314159265358', rng, { x: 10, y: 40, height: 80, gap: [0.3, 0.5], slope: 1 });
  const read12 = readStrokes(twelve.strokes);
  assert.equal(read12.number.length, 12);
  assert.equal(read12.message, '');
  const long = drawNumber('271828182845904', rng, { x: 10, y: 40, height: 80, gap: [0.3, 0.5], slope: 1 });
  const r = readStrokes(long.strokes);
  assert.equal(r.number.length, 12);
  assert.match(r.message, /first 12 digits/);
});

test('bad input: scattered marks, noise, malformed strokes and huge drawings give messages, not numbers', () => {
  // Paper covered in random blobs: too many marks, or nothing on a line.
  const w = 600, h = 400;
  const rng = makeRng(3);
  const rgba = new Uint8Array(w * h * 4).map((_, i) => (i % 4 === 3 ? 255 : 235));
  for (let k = 0; k < 200; k++) {
    const cx = rng.below(w), cy = rng.below(h), r = 2 + rng.below(8);
    for (let y = Math.max(0, cy - r); y < Math.min(h, cy + r); y++) {
      for (let x = Math.max(0, cx - r); x < Math.min(w, cx + r); x++) rgba.fill(20, (y * w + x) * 4, (y * w + x) * 4 + 3);
    }
  }
  const scattered = cnn.readImage(rgba, w, h);
  assert.equal(scattered.number, '');
  assert.match(scattered.message, /marks/);
  // Pure noise: nothing or a message, never more than 12 digits.
  const noise = new Uint8Array(w * h * 4).map((_, i) => (i % 4 === 3 ? 255 : rng.below(256)));
  const r = cnn.readImage(noise, w, h);
  assert.equal(r.error, undefined);
  assert.ok(r.number.length <= 12);
  // Strokes that do not add up, or are not numbers.
  assert.match(cnn.readStrokes(new Float32Array([1, 2, 3, 4]), new Int32Array([3])).error, /do not match/);
  assert.match(cnn.readStrokes(new Float32Array([1, 2, NaN, 4]), new Int32Array([2])).error, /finite/);
  assert.match(cnn.readStrokes(new Float32Array(3), new Int32Array([1])).error, /pairs/);
  assert.equal(cnn.readStrokes(new Float32Array(0), new Int32Array(0)).number, '');
  // A scribble over 200,000 points is refused; a drawing a million pixels wide is still read.
  assert.match(cnn.readStrokes(new Float32Array(400002), new Int32Array([200001])).error, /limit/);
  const far = cnn.readStrokes(new Float32Array([0, 0, 0, 100, 999000, 0, 999000, 100]), new Int32Array([2, 2]));
  assert.equal(far.error, undefined);
  assert.ok(far.number.length <= 2);
  // An image that is all one colour has no number.
  assert.equal(cnn.readImage(new Uint8Array(64 * 64 * 4).fill(255), 64, 64).number, '');
  assert.match(cnn.readImage(new Uint8Array(10), 4, 4).error, /expected 64/);
});

// The WebAssembly module itself, in Node: the same model files and images
// give the same readings as the native build (probabilities within 1e-4), and bad
// input comes back as a message, not a crash.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mnist = path.join(root, 'build/native/mnist');
const generated = path.join(root, 'web/generated');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mnist-wasm-'));
let engine;

before(async () => {
  const { default: createEngineModule } = await import(path.join(generated, 'engine.js'));
  // Emscripten 3.1.6 would fetch() a file path in Node: hand it the bytes.
  engine = await createEngineModule({ wasmBinary: fs.readFileSync(path.join(generated, 'engine.wasm')) });
});

// Binary PGM (P5) or PPM (P6) -> RGBA.
function readPnm(file) {
  const bytes = fs.readFileSync(file);
  const header = bytes.subarray(0, 64).toString('latin1').match(/^(P[56])\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  const [whole, kind, w, h] = header;
  const channels = kind === 'P5' ? 1 : 3;
  const data = bytes.subarray(whole.length);
  const width = Number(w), height = Number(h);
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) rgba[i * 4 + c] = data[i * channels + (channels === 1 ? 0 : c)];
    rgba[i * 4 + 3] = 255;
  }
  return { rgba, width, height };
}

function nativePredictions(model, files, extra = []) {
  const r = spawnSync(mnist, ['predict', '--model', model, '--json', ...extra, ...files], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l));
}

function maxDifference(a, b) {
  assert.equal(a.length, b.length);
  return Math.max(...Array.from(a, (p, k) => Math.abs(p - b[k])));
}

for (const name of ['cnn', 'softmax']) {
  test(`${name}: WebAssembly readings equal the native build's on the same photos`, () => {
    const dir = path.join(tmp, `photos-${name}`);
    const made = spawnSync(mnist, ['make-photos', '--out', dir, '--count', '12', '--seed', '31', '--format', 'ppm']);
    assert.equal(made.status, 0, String(made.stderr));
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ppm')).sort().map((f) => path.join(dir, f));
    const modelFile = path.join(root, `public/models/${name}.bin`);
    const native = nativePredictions(modelFile, files);
    const nativeNaive = nativePredictions(modelFile, files, ['--preprocess', 'naive']);
    const recognizer = new engine.Recognizer();
    try {
      assert.equal(recognizer.load(new Uint8Array(fs.readFileSync(modelFile))), '');
      files.forEach((file, i) => {
        const { rgba, width, height } = readPnm(file);
        // What the page does with a photo: read the number in it.
        const read = recognizer.readImage(rgba, width, height);
        assert.equal(read.error, undefined);
        assert.equal(read.number, native[i].number, file);
        assert.equal(read.digits.length, native[i].digits.length, file);
        read.digits.forEach((d, k) => {
          assert.equal(d.digit, native[i].digits[k].digit, file);
          // The tool prints boxes to a tenth of a pixel.
          assert.ok(maxDifference(d.box, native[i].digits[k].box) <= 0.05 + 1e-9, `${file}: box ${d.box}`);
          const diff = maxDifference(d.probabilities, native[i].digits[k].probabilities);
          assert.ok(diff < 1e-4, `${file}: max difference ${diff}`);
        });
        // The tutorial's way: the whole image as one digit.
        const one = recognizer.recognize(rgba, width, height, 'naive');
        assert.equal(one.error, undefined);
        assert.equal(one.digit, nativeNaive[i].digit ?? -1, file);
        const diff = maxDifference(one.probabilities, nativeNaive[i].probabilities);
        assert.ok(diff < 1e-4, `${file} (naive): max difference ${diff}`);
      });
    } finally {
      recognizer.delete();
    }
  });
}

test('the single-threaded build runs on one thread whatever it is asked', () => {
  assert.equal(engine.maxThreads(), 1);
  engine.setThreadCount(4);
  assert.equal(engine.threadCount(), 1);
});

test('bad model bytes and bad images come back as messages', () => {
  const recognizer = new engine.Recognizer();
  try {
    assert.match(recognizer.load(new Uint8Array([1, 2, 3])), /not a model file/);
    assert.equal(recognizer.loaded(), false);
    assert.match(recognizer.recognize(new Uint8Array(16), 2, 2, 'mnist').error, /no model loaded/);
    const model = fs.readFileSync(path.join(root, 'public/models/softmax.bin'));
    assert.match(recognizer.load(new Uint8Array(model.subarray(0, 100))), /truncated/);
    assert.equal(recognizer.load(new Uint8Array(model)), '');
    assert.match(recognizer.recognize(new Uint8Array(10), 4, 4, 'mnist').error, /expected 64/);
    assert.match(recognizer.recognize(new Uint8Array(16), 2, 2, 'sharpen').error, /choose mnist or naive/);
    assert.match(recognizer.predict(new Float32Array(5)).error, /needs 784 values per image/);
    // A batch: each image's own probabilities, in order.
    const two = new Float32Array(2 * 784);
    two.fill(1, 784 + 300, 784 + 320);
    const both = recognizer.predict(two).probabilities;
    assert.equal(both.length, 20);
    assert.deepEqual(Array.from(both.subarray(0, 10)), Array.from(recognizer.predict(two.subarray(0, 784)).probabilities));
    assert.deepEqual(Array.from(both.subarray(10)), Array.from(recognizer.predict(two.subarray(784)).probabilities));
    const empty = recognizer.recognize(new Uint8Array(40 * 40 * 4).fill(255), 40, 40, 'mnist');
    assert.equal(empty.empty, true);
    assert.equal(empty.digit, -1);
  } finally {
    recognizer.delete();
  }
});

test('preprocessRgba matches between a canvas-like drawing and its inverse', () => {
  const n = 120;
  const light = new Uint8Array(n * n * 4), dark = new Uint8Array(n * n * 4);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    const ink = Math.abs(x - 60) < 6 && y > 20 && y < 100 ? 255 : 0;
    const i = (y * n + x) * 4;
    light.set([ink, ink, ink, 255], i);
    dark.set([255 - ink, 255 - ink, 255 - ink, 255], i);
  }
  const a = engine.preprocessRgba(light, n, n, 'mnist'), b = engine.preprocessRgba(dark, n, n, 'mnist');
  assert.equal(a.empty, false);
  assert.equal(a.input.length, 784);
  let diff = 0;
  for (let i = 0; i < 784; i++) diff = Math.max(diff, Math.abs(a.input[i] - b.input[i]));
  assert.ok(diff < 1e-5, `max difference ${diff}`);
});

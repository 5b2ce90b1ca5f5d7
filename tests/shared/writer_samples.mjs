// Synthetic writers' drawings as the page would keep them: each drawing read
// by the engine's pad reader (the WebAssembly module, in Node) and its 28x28
// input kept as bytes, written as IDX files as the page exports them.
// Shared by the README's figures (scripts/writers_report.mjs) and the tests.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzip, idxImages, idxLabels, inputToBytes } from '../../web/my_digits/idx_files.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// A pad reader with the shipped CNN (or `model`).
export async function loadPadReader(model = path.join(root, 'public/models/cnn.bin')) {
  const { default: createEngineModule } = await import(path.join(root, 'web/generated/engine.js'));
  const engine = await createEngineModule({ wasmBinary: fs.readFileSync(path.join(root, 'web/generated/engine.wasm')) });
  const reader = new engine.Recognizer();
  const error = reader.load(new Uint8Array(fs.readFileSync(model)));
  if (error) throw new Error(`${model}: ${error}`);
  return reader;
}

// Drawings [{digit, strokes}] -> {pixels, labels, split}: the input of each
// drawing read as one digit; a drawing the reader splits into several is
// left out (the page would show a wrong number for it) and counted.
export function writerInputs(reader, drawings) {
  const kept = [];
  let split = 0;
  for (const { digit, strokes } of drawings) {
    const reading = reader.readStrokes(new Float32Array(strokes.flat(2)), new Int32Array(strokes.map((s) => s.length)));
    if (reading.digits?.length !== 1) split++;
    else kept.push({ digit, bytes: inputToBytes(reading.digits[0].input) });
  }
  const pixels = new Uint8Array(kept.length * 784);
  kept.forEach((k, i) => pixels.set(k.bytes, i * 784));
  return { pixels, labels: Uint8Array.from(kept, (k) => k.digit), split };
}

// dir/PREFIX-images-idx3-ubyte.gz and dir/PREFIX-labels-idx1-ubyte.gz.
export async function writeIdxSet(dir, prefix, { pixels, labels }) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${prefix}-images-idx3-ubyte.gz`), await gzip(idxImages(pixels, labels.length)));
  fs.writeFileSync(path.join(dir, `${prefix}-labels-idx1-ubyte.gz`), await gzip(idxLabels(labels)));
}

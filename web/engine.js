// The page's wrapper around the WebAssembly engine: loads the module, owns
// one Embind Recognizer per model name and deletes it when replaced, and
// returns plain JS values. No DOM here.
import createEngineModule from './generated/engine.js';
import wasmUrl from './generated/engine.wasm?url';

// A minimal module using a SIMD128 instruction (i8x16.popcnt-free v128 code,
// as wasm-feature-detect does): validates only where WebAssembly SIMD works.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

export function webAssemblySimdSupported() {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

export async function loadEngine() {
  const module = await createEngineModule({ locateFile: () => wasmUrl });
  return new Engine(module);
}

export class Engine {
  constructor(module) {
    this.module = module;
    this.recognizers = new Map();
  }

  // Loads a model file (bytes) under a name, replacing any model of that
  // name only when the new one is valid. Returns '' or the reason it failed.
  loadModel(name, bytes) {
    const recognizer = new this.module.Recognizer();
    const error = recognizer.load(bytes);
    if (error) {
      recognizer.delete();
      return error;
    }
    this.recognizers.get(name)?.delete();
    this.recognizers.set(name, recognizer);
    return '';
  }

  // The engine's limits, exported by the module (wasm_bindings/bindings.cpp).
  get limits() {
    const m = this.module;
    return {
      inputSide: m.INPUT_SIDE, maxDigits: m.MAX_DIGITS, maxBatch: m.MAX_BATCH, maxSteps: m.MAX_STEPS,
      maxEpochs: m.MAX_EPOCHS, maxThreads: m.MAX_THREADS, minAdaptDigits: m.MIN_ADAPT_DIGITS, maxOwnDigits: m.MAX_OWN_DIGITS,
    };
  }

  // The architecture line of a loaded model ("input 28x28x1; conv3x3 32; ...").
  spec(name) {
    return this.recognizers.get(name)?.spec() ?? '';
  }

  unloadModel(name) {
    this.recognizers.get(name)?.delete();
    this.recognizers.delete(name);
  }

  hasModel(name) {
    return this.recognizers.has(name);
  }

  // RGBA pixels -> {empty, input: Float32Array(784)} or {error}.
  preprocess(rgba, width, height, recipe = 'mnist') {
    return this.module.preprocessRgba(rgba, width, height, recipe);
  }

  // The number in the pad's strokes (points: Float32Array of x, y in CSS
  // pixels; lengths: Int32Array of points per stroke) or in an RGBA image:
  // {number, message, digits: [{digit, box: [x, y, w, h], probabilities,
  // input}]} in reading order, boxes in CSS pixels or image pixels; or {error}.
  readStrokes(name, points, lengths) {
    const recognizer = this.recognizers.get(name);
    return recognizer ? recognizer.readStrokes(points, lengths) : { error: `model ${name} is not loaded` };
  }

  readImage(name, rgba, width, height) {
    const recognizer = this.recognizers.get(name);
    return recognizer ? recognizer.readImage(rgba, width, height) : { error: `model ${name} is not loaded` };
  }

  // A model file (the engine's or ONNX) as an ONNX file: Uint8Array, or {error}.
  toOnnx(bytes) {
    return this.module.exportOnnx(bytes);
  }

  // IDX images and labels (decompressed bytes) -> {count, pixels, labels} of
  // 28x28 digits, or {error} saying what is wrong with the files.
  readIdxDigits(images, labels) {
    return this.module.readIdxDigits(images, labels);
  }

  // input (784 floats) -> {digit, probabilities: Float32Array} or {error}.
  predict(name, input) {
    const recognizer = this.recognizers.get(name);
    if (!recognizer) return { error: `model ${name} is not loaded` };
    const out = recognizer.predict(input);
    if (out.error) return out;
    const p = out.probabilities;
    let digit = 0;
    for (let k = 1; k < p.length; k++) if (p[k] > p[digit]) digit = k;
    return { digit, probabilities: p };
  }
}

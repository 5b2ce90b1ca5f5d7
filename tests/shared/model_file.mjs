// The engine's model files (core/io/model_file.h) read in JS, f32 tensors
// only (`mnist import --dtype f32` makes any model so): {spec, tensors:
// {name: {dims, values: Float32Array}}}. For tests that rebuild a model in
// another format from its weights.
export function readF32ModelFile(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (at, n) => new TextDecoder().decode(bytes.subarray(at, at + n));
  if (text(0, 8) !== 'MNISTMDL') throw new Error('not a model file');
  let at = 12;  // magic, version
  const specLength = view.getUint32(at, true);
  const spec = text(at + 4, specLength);
  at += 4 + specLength;
  const count = view.getUint32(at, true);
  at += 4;
  const tensors = {};
  for (let t = 0; t < count; t++) {
    const nameLength = view.getUint32(at, true);
    const name = text(at + 4, nameLength);
    at += 4 + nameLength;
    const dtype = bytes[at], rank = bytes[at + 1];
    at += 2;
    if (dtype !== 0) throw new Error(`${name}: not f32`);
    const dims = Array.from({ length: rank }, (_, i) => view.getUint32(at + 4 * i, true));
    at += 4 * rank;
    const n = dims.reduce((a, b) => a * b, 1);
    tensors[name] = { dims, values: new Float32Array(Uint8Array.prototype.slice.call(bytes, at, at + 4 * n).buffer) };
    at += 4 * n;
  }
  return { spec, tensors };
}

// {conv1: {weight, bias}, ..., dense1, dense2} of a read model file.
export function layerWeights(file) {
  const layers = {};
  for (const [name, t] of Object.entries(file.tensors)) {
    const [layer, kind] = name.split('.');
    (layers[layer] ??= {})[kind] = t.values;
  }
  return layers;
}

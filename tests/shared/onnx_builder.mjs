// ONNX files built in the tests, in the shapes other tools write them:
// torch.onnx.export (NCHW input, Conv with pads, Flatten, Gemm with transB,
// logits) and tf2onnx from a Keras model (NHWC input, Transposes around the
// convolutions, Reshape, MatMul then Add, Softmax), from weights given in
// the engine's layout. A small protobuf encoder; field numbers are onnx.proto's.

class Proto {
  constructor() { this.bytes = []; }
  varint(v) {
    let n = BigInt.asUintN(64, BigInt(v));
    while (n >= 0x80n) { this.bytes.push(Number(n & 0x7fn) | 0x80); n >>= 7n; }
    this.bytes.push(Number(n));
    return this;
  }
  key(field, wire) { return this.varint((field << 3) | wire); }
  int(field, v) { return this.key(field, 0).varint(v); }
  float(field, v) {
    const b = new Uint8Array(new Float32Array([v]).buffer);
    this.key(field, 5);
    this.bytes.push(...b);
    return this;
  }
  bytesField(field, data) {
    this.key(field, 2).varint(data.length);
    for (const x of data) this.bytes.push(x);
    return this;
  }
  string(field, s) { return this.bytesField(field, new TextEncoder().encode(s)); }
  message(field, m) { return this.bytesField(field, m.bytes); }
  packed(field, values) {
    const p = new Proto();
    for (const v of values) p.varint(v);
    return this.bytesField(field, p.bytes);
  }
  toBytes() { return Uint8Array.from(this.bytes); }
}

const FLOAT = 1, INT64 = 7;

export function floatTensor(name, dims, values) {
  const raw = new Uint8Array(Float32Array.from(values).buffer);
  return new Proto().packed(1, dims).int(2, FLOAT).string(8, name).bytesField(9, raw);
}
// Any data type's tensor from raw bytes (malformed files in the tests).
export function rawTensor(name, dims, dataType, raw) {
  return new Proto().packed(1, dims).int(2, dataType).string(8, name).bytesField(9, raw);
}
export function int64Tensor(name, dims, values) {
  const raw = new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer);
  return new Proto().packed(1, dims).int(2, INT64).string(8, name).bytesField(9, raw);
}

// attributes: {name: integer | integer[] | string | float(x)}.
export const float = (value) => ({ float: value });
export function node(op, inputs, output, attributes = {}, name = output) {
  const n = new Proto();
  for (const i of inputs) n.string(1, i);
  n.string(2, output).string(3, name).string(4, op);
  for (const [key, value] of Object.entries(attributes)) {
    const a = new Proto().string(1, key);
    if (Array.isArray(value)) { for (const v of value) a.int(8, v); a.int(20, 7); }
    else if (typeof value === 'string') a.string(4, value).int(20, 3);
    else if (typeof value === 'object') a.float(2, value.float).int(20, 1);
    else a.int(3, value).int(20, 2);
    n.message(5, a);
  }
  return n;
}

function valueInfo(name, dims) {
  const shape = new Proto();
  for (const d of dims) shape.message(1, typeof d === 'string' ? new Proto().string(2, d) : new Proto().int(1, d));
  const tensorType = new Proto().int(1, FLOAT).message(2, shape);
  return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
}

// {nodes, initializers, input: [name, dims], output: [name, dims], opset}
export function model({ nodes, initializers, input, output, opset = 13, irVersion = 8 }) {
  const graph = new Proto();
  for (const n of nodes) graph.message(1, n);
  graph.string(2, 'test');
  for (const t of initializers) graph.message(5, t);
  graph.message(11, valueInfo(...input));
  graph.message(12, valueInfo(...output));
  return new Proto().int(1, irVersion).string(2, 'tests').message(7, graph)
    .message(8, new Proto().string(1, '').int(2, opset)).toBytes();
}

// Engine layouts -> ONNX's: a convolution's (Co,3,3,Ci) to (Co,Ci,3,3);
// a dense layer's (O,I) transposed to (I,O) for MatMul.
export function convToOihw(w, co, ci) {
  const out = new Float32Array(w.length);
  for (let o = 0; o < co; o++) for (let c = 0; c < ci; c++) for (let k = 0; k < 9; k++) out[(o * ci + c) * 9 + k] = w[(o * 9 + k) * ci + c];
  return out;
}
export function transpose(w, rows, cols) {
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c];
  return out;
}
// A dense layer's columns from the engine's (h, w, c) order to NCHW's (c, h, w).
export function hwcColumnsToChw(w, outputs, h, wd, c) {
  const out = new Float32Array(w.length);
  for (let o = 0; o < outputs; o++) {
    for (let y = 0; y < h; y++) for (let x = 0; x < wd; x++) for (let ch = 0; ch < c; ch++) {
      out[o * h * wd * c + (ch * h + y) * wd + x] = w[o * h * wd * c + (y * wd + x) * c + ch];
    }
  }
  return out;
}

// The tutorial's CNN as torch.onnx.export writes it; weights in the
// engine's layout: {conv1: {weight, bias}, conv2, dense1, dense2}. Logits
// out, unless softmax ('Softmax' or 'LogSoftmax', as PyTorch's MNIST example ends).
export function pytorchCnn(p, { softmax = false, flatten = 'Flatten' } = {}) {
  const inits = [
    floatTensor('conv1.weight', [32, 1, 3, 3], convToOihw(p.conv1.weight, 32, 1)), floatTensor('conv1.bias', [32], p.conv1.bias),
    floatTensor('conv2.weight', [64, 32, 3, 3], convToOihw(p.conv2.weight, 64, 32)), floatTensor('conv2.bias', [64], p.conv2.bias),
    floatTensor('fc1.weight', [1024, 3136], hwcColumnsToChw(p.dense1.weight, 1024, 7, 7, 64)), floatTensor('fc1.bias', [1024], p.dense1.bias),
    floatTensor('fc2.weight', [10, 1024], p.dense2.weight), floatTensor('fc2.bias', [10], p.dense2.bias),
  ];
  const conv = { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1], dilations: [1, 1], group: 1 };
  const pool = { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0] };
  const nodes = [
    node('Conv', ['input', 'conv1.weight', 'conv1.bias'], '/conv1/Conv_output_0', conv, '/conv1/Conv'),
    node('Relu', ['/conv1/Conv_output_0'], '/Relu_output_0', {}, '/Relu'),
    node('MaxPool', ['/Relu_output_0'], '/pool/MaxPool_output_0', pool, '/pool/MaxPool'),
    node('Conv', ['/pool/MaxPool_output_0', 'conv2.weight', 'conv2.bias'], '/conv2/Conv_output_0', conv, '/conv2/Conv'),
    node('Relu', ['/conv2/Conv_output_0'], '/Relu_1_output_0', {}, '/Relu_1'),
    node('MaxPool', ['/Relu_1_output_0'], '/pool_1/MaxPool_output_0', pool, '/pool_1/MaxPool'),
  ];
  if (flatten === 'Flatten') {
    nodes.push(node('Flatten', ['/pool_1/MaxPool_output_0'], '/Flatten_output_0', { axis: 1 }, '/Flatten'));
  } else {  // x.view(-1, 3136): a Reshape whose shape comes from a Constant node
    nodes.push(constantNode('/Constant_output_0', [-1, 3136]));
    nodes.push(node('Reshape', ['/pool_1/MaxPool_output_0', '/Constant_output_0'], '/Flatten_output_0', {}, '/Reshape'));
  }
  nodes.push(
    node('Gemm', ['/Flatten_output_0', 'fc1.weight', 'fc1.bias'], '/fc1/Gemm_output_0', { alpha: float(1), beta: float(1), transB: 1 }, '/fc1/Gemm'),
    node('Relu', ['/fc1/Gemm_output_0'], '/Relu_2_output_0', {}, '/Relu_2'),
    node('Dropout', ['/Relu_2_output_0'], '/dropout/Dropout_output_0', {}, '/dropout/Dropout'),
    node('Gemm', ['/dropout/Dropout_output_0', 'fc2.weight', 'fc2.bias'], softmax ? 'logits' : 'output', { alpha: float(1), beta: float(1), transB: 1 }, '/fc2/Gemm'),
  );
  if (softmax) nodes.push(node(softmax, ['logits'], 'output', { axis: 1 }, `/${softmax}`));
  return model({ nodes, initializers: inits, input: ['input', ['batch', 1, 28, 28]], output: ['output', ['batch', 10]] });
}

function constantNode(output, values) {
  const n = new Proto().string(2, output).string(3, output).string(4, 'Constant');
  const a = new Proto().string(1, 'value').message(5, int64Tensor('', [values.length], values)).int(20, 4);
  return n.message(5, a);
}

// The tutorial's CNN as tf2onnx writes a Keras model of it: NHWC input,
// Transpose to NCHW for the convolutions and back before the Reshape,
// MatMul then Add, Softmax.
export function kerasCnn(p) {
  const inits = [
    floatTensor('sequential/conv2d/Conv2D/ReadVariableOp:0', [32, 1, 3, 3], convToOihw(p.conv1.weight, 32, 1)),
    floatTensor('sequential/conv2d/BiasAdd/ReadVariableOp:0', [32], p.conv1.bias),
    floatTensor('sequential/conv2d_1/Conv2D/ReadVariableOp:0', [64, 32, 3, 3], convToOihw(p.conv2.weight, 64, 32)),
    floatTensor('sequential/conv2d_1/BiasAdd/ReadVariableOp:0', [64], p.conv2.bias),
    int64Tensor('const_fold_opt__12', [2], [-1, 3136]),
    floatTensor('sequential/dense/MatMul/ReadVariableOp:0', [3136, 1024], transpose(p.dense1.weight, 1024, 3136)),
    floatTensor('sequential/dense/BiasAdd/ReadVariableOp:0', [1024], p.dense1.bias),
    floatTensor('sequential/dense_1/MatMul/ReadVariableOp:0', [1024, 10], transpose(p.dense2.weight, 10, 1024)),
    floatTensor('sequential/dense_1/BiasAdd/ReadVariableOp:0', [10], p.dense2.bias),
  ];
  const conv = { auto_pad: 'SAME_UPPER', dilations: [1, 1], strides: [1, 1], kernel_shape: [3, 3] };
  const pool = { kernel_shape: [2, 2], strides: [2, 2] };
  const nodes = [
    node('Transpose', ['input_1'], 'input_1_T', { perm: [0, 3, 1, 2] }, 'sequential/conv2d/BiasAdd__6'),
    node('Conv', ['input_1_T', 'sequential/conv2d/Conv2D/ReadVariableOp:0', 'sequential/conv2d/BiasAdd/ReadVariableOp:0'], 'c1', conv, 'sequential/conv2d/BiasAdd'),
    node('Relu', ['c1'], 'r1', {}, 'sequential/conv2d/Relu'),
    node('MaxPool', ['r1'], 'p1', pool, 'sequential/max_pooling2d/MaxPool'),
    node('Conv', ['p1', 'sequential/conv2d_1/Conv2D/ReadVariableOp:0', 'sequential/conv2d_1/BiasAdd/ReadVariableOp:0'], 'c2', conv, 'sequential/conv2d_1/BiasAdd'),
    node('Relu', ['c2'], 'r2', {}, 'sequential/conv2d_1/Relu'),
    node('MaxPool', ['r2'], 'p2', pool, 'sequential/max_pooling2d_1/MaxPool'),
    node('Transpose', ['p2'], 'p2_T', { perm: [0, 2, 3, 1] }, 'sequential/max_pooling2d_1/MaxPool__16'),
    node('Reshape', ['p2_T', 'const_fold_opt__12'], 'flat', {}, 'sequential/flatten/Reshape'),
    node('MatMul', ['flat', 'sequential/dense/MatMul/ReadVariableOp:0'], 'm1', {}, 'sequential/dense/MatMul'),
    node('Add', ['m1', 'sequential/dense/BiasAdd/ReadVariableOp:0'], 'a1', {}, 'sequential/dense/BiasAdd'),
    node('Relu', ['a1'], 'h1', {}, 'sequential/dense/Relu'),
    node('MatMul', ['h1', 'sequential/dense_1/MatMul/ReadVariableOp:0'], 'm2', {}, 'sequential/dense_1/MatMul'),
    node('Add', ['m2', 'sequential/dense_1/BiasAdd/ReadVariableOp:0'], 'a2', {}, 'sequential/dense_1/BiasAdd'),
    node('Softmax', ['a2'], 'dense_1', { axis: -1 }, 'sequential/dense_1/Softmax'),
  ];
  return model({ nodes, initializers: inits, input: ['input_1', ['unk__20', 28, 28, 1]], output: ['dense_1', ['unk__21', 10]] });
}

// Softmax regression on a flat [N, 784] input: Gemm (weight (I,O), no
// transB) and logits, or MatMul, Add and Softmax.
export function flatSoftmax(p, { style = 'gemm' } = {}) {
  const w = transpose(p.dense1.weight, 10, 784);
  if (style === 'gemm') {
    return model({
      nodes: [node('Gemm', ['x', 'W', 'b'], 'logits', { transB: 0 })],
      initializers: [floatTensor('W', [784, 10], w), floatTensor('b', [10], p.dense1.bias)],
      input: ['x', ['N', 784]], output: ['logits', ['N', 10]],
    });
  }
  return model({
    nodes: [node('MatMul', ['x', 'W'], 'xw'), node('Add', ['xw', 'b'], 'z'), node('Softmax', ['z'], 'y', { axis: 1 })],
    initializers: [floatTensor('W', [784, 10], w), floatTensor('b', [1, 10], p.dense1.bias)],
    input: ['x', ['N', 784]], output: ['y', ['N', 10]],
  });
}

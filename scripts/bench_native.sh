#!/usr/bin/env bash
# npm run bench:native: the native half of `npm run bench` on its own (1 and 2
# threads, next to Eigen's sgemm), as Markdown tables: the AVX2 build with
# Eigen's products, then the SSE4.2 build with the WebAssembly build's kernels.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
bash scripts/setup.sh
bash scripts/build_native.sh > /dev/null
bash scripts/build_native_sse.sh > /dev/null
echo "native AVX2 (-march=native, Eigen's products):"
./build/native/bench/mnist_bench "$@"
echo
echo "native SSE (-msse4.2, the WebAssembly build's kernels):"
./build/native-sse/bench/mnist_bench "$@"
echo
# The tool as people run it: wall time of `mnist train` (data loading, the
# training loop with augmentation, the test evaluation and the write).
echo "mnist train --model cnn --steps 300 --augment (the tool, wall time):"
echo "| threads | seconds | images/s in training |"
echo "|---|---|---|"
tmp=$(mktemp -d)
for threads in 1 2; do
  start=$(date +%s.%N)
  line=$(./build/native/mnist train --model cnn --steps 300 --augment --threads "$threads" --out "$tmp/m.bin" 2>/dev/null | grep "test accuracy")
  end=$(date +%s.%N)
  rate=$(echo "$line" | grep -oE 'at [0-9]+ images/s' | grep -oE '[0-9]+')
  echo "| $threads | $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') | $rate |"
done
rm -rf "$tmp"

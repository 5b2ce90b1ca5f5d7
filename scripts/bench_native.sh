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

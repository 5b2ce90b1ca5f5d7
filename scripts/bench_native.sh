#!/usr/bin/env bash
# npm run bench:native: the native half of `npm run bench` on its own (1 and 2
# threads, next to Eigen's sgemm), as a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
bash scripts/setup.sh
bash scripts/build_native.sh > /dev/null
./build/native/bench/mnist_bench "$@"

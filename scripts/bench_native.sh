#!/usr/bin/env bash
# npm run bench:native: engine speed next to Eigen's sgemm, same run.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
bash scripts/setup.sh
bash scripts/build_native.sh > /dev/null
./build/native/bench/mnist_bench "$@"

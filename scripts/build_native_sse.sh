#!/usr/bin/env bash
# Builds the benchmark into build/native-sse: the engine on SSE4.2 with the
# WebAssembly build's own kernels (CMake option MNIST_NATIVE_SSE), the native
# reference the WebAssembly engine is compared with.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build  # its logs go there, on a fresh clone too
cmake -S . -B build/native-sse -DCMAKE_BUILD_TYPE=Release -DMNIST_NATIVE_SSE=ON \
  > build/native-sse-configure.log 2>&1 || { cat build/native-sse-configure.log; exit 1; }
cmake --build build/native-sse -j"$(nproc)" --target mnist_bench

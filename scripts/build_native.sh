#!/usr/bin/env bash
# Builds the engine, the mnist tool, tests and benchmarks into build/native.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build  # its logs go there, on a fresh clone too
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release > build/native-configure.log 2>&1 || {
  cat build/native-configure.log; exit 1; }
cmake --build build/native -j"$(nproc)"

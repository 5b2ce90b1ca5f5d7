#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, with AddressSanitizer) into build/fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build  # its logs go there, on a fresh clone too
CXX=clang++ cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMNIST_FUZZ=ON \
  > build/fuzz-configure.log 2>&1 || { cat build/fuzz-configure.log; exit 1; }
cmake --build build/fuzz -j"$(nproc)" --target fuzz_idx_reader fuzz_model_file fuzz_number_reader fuzz_onnx

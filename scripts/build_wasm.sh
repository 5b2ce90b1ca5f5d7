#!/usr/bin/env bash
# Builds the WebAssembly engine into build/wasm (engine.js + engine.wasm).
set -euo pipefail
cd "$(dirname "$0")/.."
# Emscripten's optimiser needs Debian's acorn module; the machine's node is not Debian's.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
mkdir -p build
if [ ! -f build/wasm/CMakeCache.txt ]; then
  emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release > build/wasm-configure.log 2>&1 || {
    cat build/wasm-configure.log; exit 1; }
fi
cmake --build build/wasm -j"$(nproc)" --target engine
raw=$(stat -c %s build/wasm/wasm_bindings/engine.wasm)
gz=$(gzip -9 -c build/wasm/wasm_bindings/engine.wasm | wc -c)
echo "engine.wasm: $raw bytes raw, $gz bytes gzip"
# The page imports these (web/engine.js); generated, not committed.
mkdir -p web/generated
cp build/wasm/wasm_bindings/engine.js build/wasm/wasm_bindings/engine.wasm web/generated/

#!/usr/bin/env bash
# Builds both WebAssembly engines (see wasm_bindings/CMakeLists.txt):
#   build/wasm          -> web/generated/engine.{js,wasm}  (single-threaded, ES module)
#   build/wasm-threads  -> public/engine-threads/engine-threads.{js,wasm,worker.js}
#                          (pthreads, classic script loaded by the training worker)
set -euo pipefail
cd "$(dirname "$0")/.."
# Emscripten's optimiser needs Debian's acorn module; the machine's node is not Debian's.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
mkdir -p build

build_one() {  # build_one <dir> <target> <cmake options...>
  local dir=$1 target=$2; shift 2
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    emcmake cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" > "$dir.configure.log" 2>&1 || {
      cat "$dir.configure.log"; exit 1; }
  fi
  cmake --build "$dir" -j"$(nproc)" --target "$target"
  local wasm="$dir/wasm_bindings/$target.wasm"
  echo "$target.wasm: $(stat -c %s "$wasm") bytes raw, $(gzip -9 -c "$wasm" | wc -c) bytes gzip"
}

build_one build/wasm engine
build_one build/wasm-threads engine-threads -DMNIST_WASM_THREADS=ON

# Generated, not committed. The page bundles the ES module; the classic build
# is served as is, since its thread workers load it again by URL.
mkdir -p web/generated public/engine-threads
cp build/wasm/wasm_bindings/engine.js build/wasm/wasm_bindings/engine.wasm web/generated/
cp build/wasm-threads/wasm_bindings/engine-threads.{js,wasm,worker.js} public/engine-threads/

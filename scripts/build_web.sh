#!/usr/bin/env bash
# npm run build: the WebAssembly engine and the page, bundled into dist/,
# a folder any static host can serve (send COOP/COEP headers for threads).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build_wasm.sh
npx vite build --logLevel warn
echo "built dist/ ($(du -sh dist | cut -f1))"

#!/usr/bin/env bash
# npm start: installs what is missing, builds the WebAssembly engine and the
# page, and serves dist/ on 127.0.0.1 (PORT, default 8080) with the
# cross-origin isolation headers.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
bash scripts/setup.sh
bash scripts/build_web.sh
port=${PORT:-8080}
echo
echo "Digits is running at http://127.0.0.1:${port}/  (Ctrl+C to stop)"
echo
exec npx vite preview --host 127.0.0.1 --port "$port" --strictPort

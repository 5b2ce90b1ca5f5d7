#!/usr/bin/env bash
# npm start. Until the page lands (issue 3) this installs what is missing,
# builds the engine and shows the command-line tool recognising a digit.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
bash scripts/setup.sh
bash scripts/build_native.sh
demo=build/demo
./build/native/mnist make-photos --out "$demo" --count 6 --seed 3
echo "== the shipped CNN on photos of MNIST test digits (labels in $demo/labels.csv)"
./build/native/mnist predict --model public/models/cnn.bin "$demo"/photo_000*.*

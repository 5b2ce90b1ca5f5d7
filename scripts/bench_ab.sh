#!/usr/bin/env bash
# npm run bench:ab -- REV [RUNS]: builds the single-threaded engine of commit
# REV (in a git worktree under build/ab) and of the working tree, then times
# them in turns on one page (bench/ab/ab.mjs). REV defaults to HEAD, so with
# uncommitted changes it measures just those.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:-HEAD}
runs=${2:-2}
bash scripts/setup.sh
bash scripts/build_wasm.sh > /dev/null
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
worktree=build/ab/worktree
git worktree remove --force "$worktree" 2> /dev/null || rm -rf "$worktree"
git worktree prune
git worktree add --detach --force "$worktree" "$rev" > /dev/null
( cd "$worktree" && emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release > /dev/null &&
  cmake --build build/wasm -j"$(nproc)" --target engine > /dev/null )
mkdir -p build/ab/a build/ab/b
cp "$worktree"/build/wasm/wasm_bindings/engine.{js,wasm} build/ab/a/
cp build/wasm/wasm_bindings/engine.{js,wasm} build/ab/b/
echo "A: $(git rev-parse --short "$rev")   B: the working tree"
node bench/ab/ab.mjs build/ab/a build/ab/b "$runs" "$worktree/public/models"

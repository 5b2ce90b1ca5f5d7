#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for a short while from its
# seeds, writing "ok NAME: ..." or "FAILED NAME" lines to
# build/fuzz-results.txt (read by scripts/count_results.mjs).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
rm -f build/fuzz-results.txt
SECONDS_EACH=${FUZZ_SECONDS:-20}
if ! bash scripts/build_fuzz.sh > build/fuzz-build.log 2>&1; then
  echo "FAILED to build the fuzzers" | tee -a build/fuzz-results.txt
  tail -40 build/fuzz-build.log
  exit 1
fi
# Two at a time, one a core: each still fuzzes SECONDS_EACH seconds.
fuzz_one() {
  local target=$1 corpus=build/fuzz/corpus_$1
  mkdir -p "$corpus"
  bash tests/fuzz/make_seeds.sh "$target" "$corpus"
  if build/fuzz/tests/fuzz/$target -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 \
       "$corpus" > build/$target.log 2>&1; then
    echo "ok $target: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' build/$target.log | tail -1)"
  else
    echo "FAILED $target"
    tail -40 build/$target.log
  fi
}
for pair in "fuzz_idx_reader fuzz_model_file" "fuzz_number_reader fuzz_onnx"; do
  for target in $pair; do fuzz_one "$target" > build/$target.result & done
  wait
done
for target in fuzz_idx_reader fuzz_model_file fuzz_number_reader fuzz_onnx; do
  cat build/$target.result
  head -1 build/$target.result >> build/fuzz-results.txt
done
! grep -q '^FAILED' build/fuzz-results.txt

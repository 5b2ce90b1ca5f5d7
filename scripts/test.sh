#!/usr/bin/env bash
# npm test: installs what is missing, builds everything and runs every test:
#   engine (GoogleTest via ctest), the mnist tool and the WebAssembly module
#   (node:test), the page (Playwright in Debian's Chromium), and a short run
#   of each fuzzer. Ends with one "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
bash scripts/setup.sh || exit 1
bash scripts/build_native.sh || exit 1
bash scripts/build_web.sh || exit 1

# Each runner writes a JUnit XML report; scripts/count_results.mjs counts
# them (a missing report counts as a failure).
rm -f build/ctest.xml build/node-test.xml build/playwright.xml build/fuzz-results.txt

echo "== engine tests (ctest)"
(cd build/native && ctest --output-on-failure -j2 --timeout 900 --output-junit ../ctest.xml) 2>&1 | tee build/ctest.log

echo "== command-line tool, WebAssembly module, benchmark report and script tests (node --test)"
node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=junit --test-reporter-destination=build/node-test.xml \
  tests/cli/ tests/wasm/ tests/bench/ tests/scripts/ 2>&1 | tee build/node-test.log

echo "== page tests (Playwright, headless Chromium)"
PLAYWRIGHT_JUNIT_OUTPUT_NAME=build/playwright.xml npx playwright test --reporter=list,junit 2>&1 | tee build/playwright.log

echo "== fuzzers (libFuzzer, short runs)"
if bash scripts/build_fuzz.sh > build/fuzz-build.log 2>&1; then
  for target in fuzz_idx_reader fuzz_model_file fuzz_number_reader fuzz_onnx; do
    corpus=build/fuzz/corpus_$target
    mkdir -p "$corpus"
    bash tests/fuzz/make_seeds.sh "$target" "$corpus"
    if build/fuzz/tests/fuzz/$target -max_total_time=20 -rss_limit_mb=2048 \
         "$corpus" > build/$target.log 2>&1; then
      echo "ok $target: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' build/$target.log | tail -1)" | tee -a build/fuzz-results.txt
    else
      echo "FAILED $target" | tee -a build/fuzz-results.txt
      tail -40 build/$target.log
    fi
  done
else
  echo "FAILED to build the fuzzers" | tee -a build/fuzz-results.txt
  tail -40 build/fuzz-build.log
fi

echo
node scripts/count_results.mjs engine=build/ctest.xml node=build/node-test.xml page=build/playwright.xml \
  fuzzers=build/fuzz-results.txt

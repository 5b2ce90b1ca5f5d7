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

passed=0
failed=0
add() { passed=$((passed + ${1:-0})); failed=$((failed + ${2:-1})); }

echo "== engine tests (ctest)"
(cd build/native && ctest --output-on-failure -j2 --timeout 900) 2>&1 | tee build/ctest.log
total=$(grep -o "failed out of [0-9]*" build/ctest.log | tail -1 | awk '{print $4}')
bad=$(grep -o "[0-9]* tests failed out of" build/ctest.log | tail -1 | cut -d' ' -f1)
if [ -n "$total" ]; then add $((total - bad)) "$bad"; else add 0 1; fi

echo "== command-line tool, WebAssembly module and benchmark report tests (node --test)"
node --test --test-concurrency=1 tests/cli/ tests/wasm/ tests/bench/ 2>&1 | tee build/node-test.log
add "$(grep -E '^# pass [0-9]+' build/node-test.log | tail -1 | awk '{print $3}')" \
    "$(grep -E '^# fail [0-9]+' build/node-test.log | tail -1 | awk '{print $3}')"

echo "== page tests (Playwright, headless Chromium)"
npx playwright test 2>&1 | tee build/playwright.log
pw_passed=$(grep -oE '^ +[0-9]+ passed' build/playwright.log | tail -1 | grep -oE '[0-9]+')
pw_failed=$(grep -oE '^ +[0-9]+ failed' build/playwright.log | tail -1 | grep -oE '[0-9]+')
if [ -z "$pw_passed" ] && [ -z "$pw_failed" ]; then add 0 1; else add "${pw_passed:-0}" "${pw_failed:-0}"; fi

echo "== fuzzers (libFuzzer, short runs)"
if bash scripts/build_fuzz.sh > build/fuzz-build.log 2>&1; then
  for target in fuzz_idx_reader fuzz_model_file fuzz_number_reader; do
    corpus=build/fuzz/corpus_$target
    mkdir -p "$corpus"
    bash tests/fuzz/make_seeds.sh "$target" "$corpus"
    if build/fuzz/tests/fuzz/$target -max_total_time=20 -rss_limit_mb=2048 \
         "$corpus" > build/$target.log 2>&1; then
      echo "ok $target: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' build/$target.log | tail -1)"
      add 1 0
    else
      echo "FAILED $target:"; tail -40 build/$target.log
      add 0 1
    fi
  done
else
  echo "FAILED to build the fuzzers:"; tail -40 build/fuzz-build.log
  add 0 1
fi

echo
echo "summary: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

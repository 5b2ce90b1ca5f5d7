#!/usr/bin/env bash
# npm test: installs what is missing, builds everything and runs every test:
#   engine (GoogleTest via ctest), the mnist tool and the WebAssembly module
#   (node:test), the page (Playwright in Debian's Chromium and Firefox ESR;
#   WebKit over WebDriver), and a short run of each fuzzer. Each phase says
#   how long it took; the run ends with one "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
phase_start=$SECONDS
took() { echo "-- $1 took $((SECONDS - phase_start)) s"; phase_start=$SECONDS; }

bash scripts/setup.sh || exit 1
took "setup"
bash scripts/build_native.sh || exit 1
took "native build"
bash scripts/build_web.sh || exit 1
took "WebAssembly and page build"

# Each runner writes a JUnit XML report; scripts/count_results.mjs counts
# them (a missing report counts as a failure).
rm -f build/ctest.xml build/node-test.xml build/playwright.xml build/webkit.xml build/fuzz-results.txt

echo "== engine tests (ctest)"
(cd build/native && ctest --output-on-failure -j2 --timeout 900 --output-junit ../ctest.xml) 2>&1 | tee build/ctest.log
took "engine tests"

echo "== command-line tool, WebAssembly module, benchmark report and script tests (node --test)"
node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=junit --test-reporter-destination=build/node-test.xml \
  tests/cli/ tests/wasm/ tests/bench/ tests/scripts/ 2>&1 | tee build/node-test.log
took "node tests"

echo "== page tests (Playwright: headless Chromium and Firefox ESR)"
PLAYWRIGHT_JUNIT_OUTPUT_NAME=build/playwright.xml npx playwright test --reporter=list,junit 2>&1 | tee build/playwright.log
took "page tests (Chromium, Firefox)"

echo "== page tests in WebKit (WebKitGTK's MiniBrowser over WebDriver, under Xvfb)"
node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=junit --test-reporter-destination=build/webkit.xml tests/webkit/ 2>&1 | tee build/webkit.log
took "page tests (WebKit)"

echo "== fuzzers (libFuzzer, short runs)"
bash scripts/run_fuzzers.sh
took "fuzzers"

echo
node scripts/count_results.mjs engine=build/ctest.xml node=build/node-test.xml page=build/playwright.xml \
  webkit=build/webkit.xml fuzzers=build/fuzz-results.txt

#!/usr/bin/env bash
# npm run test:quick: the edit loop's check, a few minutes: the engine's
# tests (ctest), the WebAssembly module's (node:test) and a Chromium smoke
# test of the page (ready, a digit and a number drawn and read). npm test
# runs everything.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
bash scripts/setup.sh || exit 1
bash scripts/build_native.sh > build/quick-native-build.log 2>&1 || { tail -40 build/quick-native-build.log; exit 1; }
bash scripts/build_web.sh > build/quick-web-build.log 2>&1 || { tail -40 build/quick-web-build.log; exit 1; }
rm -f build/quick-ctest.xml build/quick-node.xml build/quick-playwright.xml

(cd build/native && ctest -j2 --timeout 300 --output-on-failure --output-junit ../quick-ctest.xml) > build/quick-ctest.log 2>&1 ||
  grep -E "Failed|\*\*\*" build/quick-ctest.log
tail -3 build/quick-ctest.log
node --test --test-concurrency=1 --test-reporter=dot --test-reporter-destination=stdout \
  --test-reporter=junit --test-reporter-destination=build/quick-node.xml tests/wasm/ tests/scripts/count_results.test.mjs
PLAYWRIGHT_JUNIT_OUTPUT_NAME=build/quick-playwright.xml npx playwright test --project chromium --reporter=line,junit \
  tests/web/page.spec.js -g "starts ready|desktop screenshot" 2>&1 | tail -5

node scripts/count_results.mjs engine=build/quick-ctest.xml node=build/quick-node.xml page=build/quick-playwright.xml

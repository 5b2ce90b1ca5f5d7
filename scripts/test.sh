#!/usr/bin/env bash
# npm test: installs what is missing, builds natively and runs every test:
# the engine's GoogleTest suite (ctest), the mnist tool's tests (node:test),
# and a short run of each fuzzer. Ends with one "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
bash scripts/setup.sh || exit 1
bash scripts/build_native.sh || exit 1

passed=0
failed=0
count() {  # count LOG: adds the runner's own pass/fail numbers
  local log=$1 p f
  if grep -q "tests passed, .* tests failed out of" "$log"; then  # ctest
    f=$(grep -o "[0-9]* tests failed out of" "$log" | tail -1 | cut -d' ' -f1)
    total=$(grep -o "failed out of [0-9]*" "$log" | tail -1 | awk '{print $4}')
    p=$((total - f))
  else  # node --test
    p=$(grep -E "^# pass [0-9]+" "$log" | tail -1 | awk '{print $3}')
    f=$(grep -E "^# fail [0-9]+" "$log" | tail -1 | awk '{print $3}')
  fi
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-1}))
}

echo "== engine tests (ctest)"
(cd build/native && ctest --output-on-failure -j2 --timeout 600) 2>&1 | tee build/ctest.log
count build/ctest.log

echo "== command-line tool tests (node --test)"
node --test --test-concurrency=1 tests/cli/ 2>&1 | tee build/cli-test.log
count build/cli-test.log

echo "== fuzzers (libFuzzer, short runs)"
if bash scripts/build_fuzz.sh > build/fuzz-build.log 2>&1; then
  for target in fuzz_idx_reader fuzz_model_file; do
    corpus=build/fuzz/corpus_$target
    mkdir -p "$corpus"
    bash tests/fuzz/make_seeds.sh "$target" "$corpus"
    if build/fuzz/tests/fuzz/$target -max_total_time=20 -rss_limit_mb=2048 -print_final_stats=0 \
         "$corpus" > build/$target.log 2>&1; then
      echo "ok $target ($(grep -o 'Done [0-9]* runs' build/$target.log | tail -1))"
      passed=$((passed + 1))
    else
      echo "FAILED $target:"; tail -40 build/$target.log
      failed=$((failed + 1))
    fi
  done
else
  echo "FAILED to build the fuzzers:"; tail -40 build/fuzz-build.log
  failed=$((failed + 1))
fi

echo
echo "summary: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

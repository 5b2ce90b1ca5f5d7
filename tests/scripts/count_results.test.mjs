// npm test's tally (scripts/count_results.mjs): counts from each runner's
// JUnit report, and a runner that left no report, or an empty one, fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { countFuzzers, countJUnit } from '../../scripts/count_results.mjs';

const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/count_results.mjs');

test('ctest, node:test and Playwright reports are counted case by case', () => {
  const ctest = `<testsuite><testcase name="A.ok" status="run"><system-out>fine</system-out></testcase>
    <testcase name="A.bad" status="fail"><failure message="Failed"/></testcase>
    <testcase name="A.off" status="notrun"><skipped message="Disabled"/></testcase></testsuite>`;
  assert.deepEqual(countJUnit(ctest), { passed: 1, failed: 1, skipped: 1 });
  // node:test: a '>' unescaped inside an attribute, nested suites.
  const node = `<testsuites><testcase name="a > b" failure="x > y"><failure message="1 > 2">trace</failure></testcase>
    <testsuite name="g"><testcase name="inner" classname="test"/></testsuite><testcase name="s"><skipped/></testcase></testsuites>`;
  assert.deepEqual(countJUnit(node), { passed: 1, failed: 1, skipped: 1 });
  const playwright = `<testsuites><testsuite><testcase name="page loads" time="1"></testcase>
    <testcase name="draws" time="2"><error message="timeout"/></testcase></testsuite></testsuites>`;
  assert.deepEqual(countJUnit(playwright), { passed: 1, failed: 1, skipped: 0 });
  assert.deepEqual(countFuzzers('ok fuzz_a: Done 10 runs\nFAILED fuzz_b\nok fuzz_c\n'), { passed: 2, failed: 1, skipped: 0 });
});

test('the summary fails when a report is missing, empty or has a failure, and passes otherwise', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'count-'));
  const write = (name, text) => { fs.writeFileSync(path.join(dir, name), text); return path.join(dir, name); };
  const good = write('good.xml', '<testsuites><testcase name="x"/><testcase name="y"></testcase></testsuites>');
  const empty = write('empty.xml', '<testsuites></testsuites>');
  const run = (...args) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });
  const ok = run(`a=${good}`);
  assert.equal(ok.status, 0);
  assert.match(ok.stdout, /summary: 2 passed, 0 failed/);
  const missing = run(`a=${good}`, `b=${path.join(dir, 'none.xml')}`);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stdout, /summary: 2 passed, 1 failed/);
  assert.notEqual(run(`a=${empty}`).status, 0);
});

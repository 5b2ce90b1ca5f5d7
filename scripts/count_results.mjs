// Counts test results from the runners' JUnit XML reports (ctest, node:test,
// Playwright) and a fuzzers' results file ("ok NAME" / "FAILED NAME" lines):
//   node scripts/count_results.mjs NAME=FILE...
// prints one line per report and a last "summary: N passed, N failed" line,
// and exits non-zero if anything failed. A report that is missing, or lists
// no test at all, counts as one failure: a runner that did not run is not a pass.
import fs from 'node:fs';

// Each <testcase>: failed if it holds a <failure> or <error>, skipped if it
// holds a <skipped> (or ctest's status="notrun"), else passed.
export function countJUnit(xml) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const c of xml.split(/<testcase\b/).slice(1)) {
    const end = openingTagEnd(c);
    const attributes = c.slice(0, end);
    const selfClosing = attributes.endsWith('/');
    const body = selfClosing ? '' : c.slice(end, c.indexOf('</testcase>') < 0 ? c.length : c.indexOf('</testcase>'));
    if (/<(failure|error)\b/.test(body)) counts.failed++;
    else if (/<skipped\b/.test(body) || /\bstatus="(notrun|disabled)"/.test(attributes)) counts.skipped++;
    else counts.passed++;
  }
  return counts;
}

// Where a tag's attributes end: the first '>' outside quotes ('>' may stand
// unescaped in an attribute's value).
function openingTagEnd(text) {
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) quote = ch === quote ? '' : quote;
    else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '>') return i;
  }
  return text.length;
}

export function countFuzzers(text) {
  return {
    passed: (text.match(/^ok /gm) ?? []).length,
    failed: (text.match(/^FAILED /gm) ?? []).length,
    skipped: 0,
  };
}

function main(args) {
  let passed = 0, failed = 0;
  for (const arg of args) {
    const [name, file] = arg.split('=');
    let counts;
    if (!fs.existsSync(file)) {
      counts = { passed: 0, failed: 1, skipped: 0, note: `no report at ${file}` };
    } else {
      const text = fs.readFileSync(file, 'utf8');
      counts = file.endsWith('.xml') ? countJUnit(text) : countFuzzers(text);
      if (counts.passed + counts.failed + counts.skipped === 0) counts = { ...counts, failed: 1, note: 'the report lists no test' };
    }
    passed += counts.passed;
    failed += counts.failed;
    const skipped = counts.skipped ? `, ${counts.skipped} skipped` : '';
    console.log(`${name}: ${counts.passed} passed, ${counts.failed} failed${skipped}${counts.note ? ` (${counts.note})` : ''}`);
  }
  console.log(`\nsummary: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main(process.argv.slice(2)));

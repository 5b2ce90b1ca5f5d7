// The README's figures for adapting to one person's handwriting: for each
// synthetic writer (tests/shared/writers.mjs), the shipped CNN's accuracy on
// 20 of their drawings of each digit, then after `mnist finetune` on 1, 3 and
// 5 other drawings of each digit, with MNIST test accuracy after each.
// Drawings become inputs through the engine's own pad reader (WebAssembly,
// as in the page). `mnist finetune` runs with its defaults (those chosen on
// the tuning writers) and --folds 0.
// Usage: node scripts/writers_report.mjs [--writers a,b] [--per-digit 1,3,5] [-- finetune flags...]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPORT, TUNING, WRITERS, writeDigits } from '../tests/shared/writers.mjs';
import { loadPadReader, writeIdxSet, writerInputs } from '../tests/shared/writer_samples.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mnist = path.join(root, 'build/native/mnist');
const shipped = path.join(root, 'public/models/cnn.bin');
const OTHERS_PER_DIGIT = 20;

const argv = process.argv.slice(2);
const dashes = argv.indexOf('--');
const extra = dashes >= 0 ? argv.slice(dashes + 1) : [];
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && (dashes < 0 || i < dashes) ? argv[i + 1] : fallback;
};
const chosen = option('--writers', WRITERS.map((w) => w.name).join(',')).split(',');
const perDigit = option('--per-digit', '1,3,5').split(',').map(Number);

const reader = await loadPadReader(shipped);

function run(args) {
  const r = spawnSync(mnist, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mnist ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'writers-'));
const rows = [];
for (const who of WRITERS.filter((w) => chosen.includes(w.name))) {
  const others = writerInputs(reader, writeDigits(who, OTHERS_PER_DIGIT, { seed: 2 }));
  const total = OTHERS_PER_DIGIT * 10;
  const othersDir = path.join(tmp, who.name, 'others');
  await writeIdxSet(othersDir, 't10k', others);
  // Accuracy on all the writer's other drawings: a split drawing counts as misread.
  const accuracy = (model) => (run(['eval', '--model', model, '--data', othersDir, '--json']).accuracy * others.labels.length) / total;
  const pool = writeDigits(who, Math.max(...perDigit), { seed: 1 });
  const row = { writer: who.name, tuned: TUNING.includes(who), split: others.split, before: accuracy(shipped), after: {} };
  for (const k of perDigit) {
    const samples = writerInputs(reader, pool.filter((_, i) => i % Math.max(...perDigit) < k));
    const dir = path.join(tmp, who.name, `k${k}`);
    await writeIdxSet(dir, 'my-digits', samples);
    const out = path.join(dir, 'adapted.bin');
    const report = run(['finetune', '--init', shipped, '--samples', dir, '--out', out, '--folds', '0', '--json', ...extra]);
    row.after[k] = { accuracy: accuracy(out), mnist: report.mnist_after, seconds: report.seconds, samples: samples.labels.length };
  }
  rows.push(row);
  console.error(JSON.stringify(row));
}
fs.rmSync(tmp, { recursive: true, force: true });

const f = (x) => x.toFixed(3);
console.log(`| writer | before | ${perDigit.map((k) => `after ${k} per digit`).join(' | ')} |`);
console.log(`|---|---|${perDigit.map(() => '---').join('|')}|`);
for (const r of rows) {
  const cells = perDigit.map((k) => `${f(r.after[k].accuracy)} (MNIST ${r.after[k].mnist.toFixed(4)}, ${r.after[k].seconds.toFixed(1)} s)`);
  console.log(`| ${r.writer}${r.tuned ? ' (tuned on)' : ''} | ${f(r.before)} | ${cells.join(' | ')} |`);
}
const mean = (list, pick) => list.reduce((s, r) => s + pick(r), 0) / list.length;
const report = rows.filter((r) => REPORT.some((w) => w.name === r.writer));
if (report.length) {
  console.log(`| mean of writers not tuned on | ${f(mean(report, (r) => r.before))} | ${perDigit.map((k) => f(mean(report, (r) => r.after[k].accuracy))).join(' | ')} |`);
}

// mnist finetune: adapting the shipped CNN to a synthetic writer the tuning
// never saw reads their other drawings (the goal: 0.96 with 3 of
// each digit) and MNIST still (0.985); the cross-validated report; and bad
// sample files each answered with its own message.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPORT, writeDigits } from '../shared/writers.mjs';
import { loadPadReader, writeIdxSet, writerInputs } from '../shared/writer_samples.mjs';
import { gzip, idxImages, idxLabels } from '../../web/my_digits/idx_files.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mnist = path.join(root, 'build/native/mnist');
const shipped = path.join(root, 'public/models/cnn.bin');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mnist-finetune-'));
let reader;

before(async () => { reader = await loadPadReader(); });

function run(...args) {
  const r = spawnSync(mnist, args, { encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.signal, null, `mnist ${args.join(' ')} was killed by ${r.signal}: ${r.stderr}`);
  return r;
}
const json = (r) => JSON.parse(r.stdout.trim().split('\n').pop());

for (const who of REPORT) {
  test(`writer ${who.name} (not tuned on): 3 drawings of each digit teach it their hand, and MNIST is still read`, async () => {
    const dir = path.join(tmp, who.name);
    const samples = writerInputs(reader, writeDigits(who, 3, { seed: 1 }));
    const others = writerInputs(reader, writeDigits(who, 20, { seed: 2 }));
    // A drawing the pad reader splits in two cannot be corrected as one
    // digit, and adapting does not change how drawings are cut: it counts
    // as misread, before and after.
    const total = 20 * 10;
    const accuracy = (model) => (json(run('eval', '--model', model, '--data', path.join(dir, 'others'), '--json')).accuracy * others.labels.length) / total;
    await writeIdxSet(dir, 'my-digits', samples);
    await writeIdxSet(path.join(dir, 'others'), 't10k', others);
    const out = path.join(dir, 'adapted.bin');
    const before = accuracy(shipped);
    const r = run('finetune', '--init', shipped, '--samples', dir, '--out', out, '--folds', '0', '--json');
    assert.equal(r.status, 0, r.stderr);
    const after = accuracy(out);
    const report = json(r);
    assert.ok(after >= 0.96, `their other drawings: ${before} -> ${after} (${others.split} split)`);
    assert.ok(after > before, `${before} -> ${after}`);
    assert.ok(report.mnist_after >= 0.985, `MNIST test after adapting: ${report.mnist_after}`);
    assert.ok(report.mnist_before >= 0.99, `MNIST test before: ${report.mnist_before}`);
  });
}

test('the cross-validated report: each digit judged by a run that did not train on it', async () => {
  const who = REPORT[0];
  const dir = path.join(tmp, 'cv');
  await writeIdxSet(dir, 'my-digits', writerInputs(reader, writeDigits(who, 3, { seed: 3 })));
  const r = run('finetune', '--init', shipped, '--samples', dir, '--out', path.join(dir, 'a.bin'), '--folds', '3', '--no-test');
  assert.equal(r.status, 0, r.stderr);
  const [, before, after] = r.stdout.match(/3-fold cross-validation\): ([\d.]+) before, ([\d.]+) after/) ?? [];
  assert.ok(Number(before) < 0.9 && Number(after) > Number(before), r.stdout);
  assert.doesNotMatch(r.stdout, /MNIST/, '--no-test skips MNIST');
  assert.ok(fs.statSync(path.join(dir, 'a.bin')).size > 1e6);
});

async function writeFiles(dir, images, labels) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'my-digits-images-idx3-ubyte.gz'), await gzip(images));
  fs.writeFileSync(path.join(dir, 'my-digits-labels-idx1-ubyte.gz'), await gzip(labels));
}

test('bad samples: too few, labels over 9, mismatched counts, not digits, missing; nothing written', async () => {
  const out = path.join(tmp, 'never.bin');
  const cases = [
    ['few', idxImages(new Uint8Array(4 * 784), 4), idxLabels(Uint8Array.from([1, 2, 3, 4])), /are 4: 6 more needed/],
    ['label12', idxImages(new Uint8Array(12 * 784), 12), idxLabels(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 12, 1])), /label 12 at index 10/],
    ['counts', idxImages(new Uint8Array(12 * 784), 12), idxLabels(new Uint8Array(11)), /12 images but the label file holds 11 labels/],
    ['small', idxImages(new Uint8Array(12 * 100), 12, 10), idxLabels(new Uint8Array(12)), /10x10 images; the model reads 28x28/],
    ['text', new TextEncoder().encode('these are not digits at all, just words'), idxLabels(new Uint8Array(12)), /your digits images: /],
  ];
  for (const [name, images, labels, message] of cases) {
    const dir = path.join(tmp, name);
    await writeFiles(dir, images, labels);
    const r = run('finetune', '--init', shipped, '--samples', dir, '--out', out, '--no-test');
    assert.notEqual(r.status, 0, name);
    assert.match(r.stderr, message, name);
  }
  const missing = run('finetune', '--init', shipped, '--samples', path.join(tmp, 'nowhere'), '--out', out);
  assert.match(missing.stderr, /my-digits-images-idx3-ubyte: not found.*My digits exports/);
  assert.equal(fs.existsSync(out), false);
  assert.match(run('finetune', '--init', shipped, '--out', out).stderr, /finetune needs --init MODEL --samples DIR --out FILE/);
});

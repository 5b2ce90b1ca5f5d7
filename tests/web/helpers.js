// Shared by the page tests: open the page watching for errors and foreign
// requests, draw strokes with the mouse or by touch, read the result.
import { expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DIGITS, placedStrokes } from '../shared/pad_strokes.mjs';

export { DIGITS };

// Photos made by the tool into a fresh dir (makeArgs: make-photos's options
// after --out), with what the tool itself reads in them:
// {rows: [[file name, label]], files: [path], read: [predict --json object]}.
export function toolPhotos(dir, makeArgs) {
  fs.rmSync(dir, { recursive: true, force: true });
  const made = spawnSync('build/native/mnist', ['make-photos', '--out', dir, ...makeArgs]);
  expect(made.status, String(made.stderr)).toBe(0);
  const rows = fs.readFileSync(path.join(dir, 'labels.csv'), 'utf8').trim().split('\n').slice(1).map((r) => r.split(','));
  const files = rows.map(([f]) => path.join(dir, f));
  const native = spawnSync('build/native/mnist', ['predict', '--model', 'public/models/cnn.bin', '--json', ...files], { encoding: 'utf8' });
  expect(native.status, native.stderr).toBe(0);
  return { rows, files, read: native.stdout.trim().split('\n').map((l) => JSON.parse(l)) };
}

// Opens the page and records console errors, page errors and any request
// that leaves the page's origin. Returns {errors, foreign}.
export async function openPage(page) {
  const watch = { errors: [], foreign: [] };
  page.on('console', (m) => { if (m.type() === 'error') watch.errors.push(m.text()); });
  page.on('pageerror', (e) => watch.errors.push(String(e)));
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!['http:', 'https:'].includes(url.protocol)) return;  // data:, blob:
    if (url.origin !== 'http://127.0.0.1:4173') watch.foreign.push(r.url());
  });
  await page.goto('/');
  await expect(page.getByTestId('status')).toHaveText('Ready', { timeout: 30_000 });
  // The training side loads just after the engine is ready.
  await expect(page.locator('.train-panel')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  return watch;
}

// The page draws each run's seed from Math.random, and SGD at 0.5 ends
// where the last batches leave it: the tutorial softmax reaches 0.913-0.921
// over 12 seeds in Node, 0.9086 and 0.9037 once each in CI. A test that
// bounds its accuracy pins the seed (to 1, as npm run bench does: 0.9209),
// so that falling under the bound means the engine changed, not the draw.
// Call before the page opens.
export async function pinTrainingSeed(page, seed = 1) {
  await page.addInitScript((s) => { Math.random = () => s / 2 ** 31; }, seed);
}

// Makes the browser refuse IndexedDB writes, as a full quota does, once the
// test sets window.__quotaFull (call before the page opens).
export async function refuseStorageWhenFull(page) {
  await page.addInitScript(() => {
    const add = IDBObjectStore.prototype.add;
    IDBObjectStore.prototype.add = function (...args) {
      if (window.__quotaFull) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return add.apply(this, args);
    };
  });
}

// Chromium's DevTools protocol gives fast synthetic input and touch; the
// tests that need it skip themselves in Firefox, saying so.
export const CHROMIUM_ONLY = 'needs Chromium\'s DevTools protocol (Playwright has no touch strokes, network emulation or installability check over WebDriver BiDi)';
export const isChromium = (page) => page.context().browser().browserType().name() === 'chromium';

// A phone-sized context: a touch screen in Chromium; in Firefox, where
// Playwright has no mobile emulation, just its viewport.
export function phoneContext(browser, { width = 390, height = 844 } = {}) {
  const touch = browser.browserType().name() === 'chromium' ? { hasTouch: true, isMobile: true } : {};
  return browser.newContext({ viewport: { width, height }, deviceScaleFactor: 2, ...touch });
}

// Draws strokes with the mouse into box {x, y, size} (see placedStrokes).
export async function drawWithMouse(page, strokes, box) {
  await page.getByTestId('pad').scrollIntoViewIfNeeded();
  const pad = await page.getByTestId('pad').boundingBox();
  await mouseStrokes(page, placedStrokes(pad, strokes, box), 3);
}

// Draws strokes given in the pad's CSS pixels (as tests/shared/stroke_font.mjs
// makes them) with the mouse or by touch, a point every 6 px or so, as a
// pointer reports a quick hand.
export async function drawPadStrokes(page, strokes, how) {
  await page.getByTestId('pad').scrollIntoViewIfNeeded();
  const pad = await page.getByTestId('pad').boundingBox();
  const points = strokes.map((s) => spaced(s, 6).map(([x, y]) => ({ x: pad.x + x, y: pad.y + y })));
  if (!isChromium(page)) {
    if (how === 'touch') throw new Error(CHROMIUM_ONLY);
    return mouseStrokes(page, points, 1);
  }
  // Input events through Chromium's DevTools protocol, as Playwright's mouse
  // sends them, but sent without waiting for each to be acknowledged (the
  // browser handles them in order): a number's hundreds of moves take a
  // fraction of a second instead of seconds.
  const cdp = await page.context().newCDPSession(page);
  const sent = [];
  for (const pts of points) {
    if (how === 'touch') {
      sent.push(cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [pts[0]] }));
      for (const p of pts.slice(1)) sent.push(cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p] }));
      sent.push(cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] }));
    } else {
      const mouse = (type, p, extra = {}) => cdp.send('Input.dispatchMouseEvent', { type, x: p.x, y: p.y, button: 'left', ...extra });
      sent.push(mouse('mouseMoved', pts[0], { button: 'none' }), mouse('mousePressed', pts[0], { clickCount: 1, buttons: 1 }));
      for (const p of pts.slice(1)) sent.push(mouse('mouseMoved', p, { buttons: 1 }));
      sent.push(mouse('mouseReleased', pts[pts.length - 1], { clickCount: 1, buttons: 0 }));
    }
  }
  await Promise.all(sent);
  await cdp.detach();
}

// The stroke's first and last points and those at least `gap` from the last kept.
function spaced(stroke, gap) {
  const out = [stroke[0]];
  for (const p of stroke.slice(1, -1)) {
    const q = out[out.length - 1];
    if (Math.hypot(p[0] - q[0], p[1] - q[1]) >= gap) out.push(p);
  }
  if (stroke.length > 1) out.push(stroke[stroke.length - 1]);
  return out;
}

// steps: mouse moves between successive points (Playwright interpolates).
async function mouseStrokes(page, strokes, steps) {
  for (const pts of strokes) {
    await page.mouse.move(pts[0].x, pts[0].y);
    await page.mouse.down();
    for (const p of pts.slice(1)) await page.mouse.move(p.x, p.y, { steps });
    await page.mouse.up();
  }
}

// Draws strokes with touch events (as a finger would) into box {x, y, size}.
export async function drawWithTouch(page, strokes, box) {
  await page.getByTestId('pad').scrollIntoViewIfNeeded();
  const pad = await page.getByTestId('pad').boundingBox();
  await touchStrokes(page, placedStrokes(pad, strokes, box));
}

// Touch events through Chromium's DevTools protocol.
async function touchStrokes(page, strokes) {
  const cdp = await page.context().newCDPSession(page);
  for (const pts of strokes) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [pts[0]] });
    for (const p of pts.slice(1)) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  }
  await cdp.detach();
}

export async function probabilities(page) {
  return page.getByTestId('probabilities').locator('li').evaluateAll((items) =>
    items.map((li) => ({ digit: Number(li.dataset.digit), p: Number(li.dataset.p) })));
}

// Where a README screenshot goes: test-results/ on every test run, so that
// `npm test` leaves the working tree clean; docs/ (the README's copies) only
// with `npm run screenshots`.
export function screenshotPath(name) {
  return process.env.UPDATE_DOCS_SCREENSHOTS ? `docs/${name}` : `test-results/${name}`;
}

// A PNG file drawn in the page: draw(ctx, width, height) runs there on an
// OffscreenCanvas (it is sent as source, so it may use only its arguments).
// Returns a file for setInputFiles.
export async function canvasPng(page, name, width, height, draw) {
  const base64 = await page.evaluate(async ({ w, h, source }) => {
    const canvas = new OffscreenCanvas(w, h);
    (0, eval)(`(${source})`)(canvas.getContext('2d'), w, h);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
    return btoa(s);
  }, { w: width, h: height, source: draw.toString() });
  return { name, mimeType: 'image/png', buffer: Buffer.from(base64, 'base64') };
}

// Starts recording main-thread tasks over 50 ms (Chromium's Long Tasks API),
// with what ran in long animation frames and the longest gap between turns
// of a timer loop (which also counts time the OS gave a worker on a 2-core
// machine), to explain a failure. Checks that the observer does see one.
export async function watchLongTasks(page) {
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
      .observe({ type: 'longtask' });
    window.__slowFrames = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__slowFrames.push({ at: Math.round(e.startTime), ms: Math.round(e.duration), blocking: Math.round(e.blockingDuration),
          scripts: e.scripts.map((x) => `${x.invoker} ${x.sourceFunctionName} ${Math.round(x.duration)}ms`) });
      }
    }).observe({ type: 'long-animation-frame' });
    window.__longestGap = 0;
    let last = performance.now();
    const tick = () => {
      const now = performance.now();
      window.__longestGap = Math.max(window.__longestGap, now - last);
      last = now;
      if (!window.__stopTicking) setTimeout(tick, 0);
    };
    setTimeout(tick, 0);
  });
  await page.evaluate(() => new Promise((resolve) => setTimeout(() => {
    const end = performance.now() + 80;
    while (performance.now() < end) { /* busy */ }
    resolve();
  }, 0)));
  await expect.poll(() => page.evaluate(() => window.__longTasks.length)).toBeGreaterThan(0);
  await page.evaluate(() => { window.__longTasks.length = 0; });
}

// The long tasks seen since watchLongTasks, logged with what explains them.
export async function longTasksSeen(page, when) {
  const { longTasks, gap, slowFrames } = await page.evaluate(() => {
    window.__stopTicking = true;
    return { longTasks: window.__longTasks, gap: window.__longestGap, slowFrames: window.__slowFrames };
  });
  console.log(`main thread ${when}: ${longTasks.length} tasks over 50 ms ${JSON.stringify(longTasks)}, longest timer gap ${gap.toFixed(0)} ms`);
  if (longTasks.length) {
    const measures = await page.evaluate(() => performance.getEntriesByType('measure')
      .filter((m) => m.duration > 10).map((m) => `${m.name} at ${Math.round(m.startTime)}: ${Math.round(m.duration)} ms`));
    console.log(`slow frames: ${JSON.stringify(slowFrames)}\nslow handlers: ${JSON.stringify(measures)}`);
  }
  return longTasks;
}

// The main thread stayed free: no task of ours over 50 ms. The margin: on
// this 2-core machine a training worker's threads take both cores, and the
// OS stretches a 20-40 ms task past 50 ms now and then (tasks of 51, 57, 64
// ms seen). So tasks over 50 ms pass if none reaches 100 ms and together
// they block for under 60 ms (the time past 50 ms of each, as Total
// Blocking Time counts it); a task of our own over 50 ms comes with every
// reading, and adds up past that.
export function expectMainThreadFree(longTasks) {
  const blocking = longTasks.reduce((sum, ms) => sum + (ms - 50), 0);
  expect(longTasks.filter((ms) => ms >= 100), `tasks over 50 ms: ${JSON.stringify(longTasks)}`).toEqual([]);
  expect(blocking, `tasks over 50 ms: ${JSON.stringify(longTasks)}`).toBeLessThan(60);
}

// Shared by the page tests: open the page watching for errors and foreign
// requests, draw strokes with the mouse or by touch, read the result.
import { expect } from '@playwright/test';

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

// A digit as strokes of points in a unit box (x right, y down).
const arc = (cx, cy, rx, ry, from, to, n = 20) =>
  Array.from({ length: n + 1 }, (_, i) => {
    const t = ((from + (to - from) * (i / n)) * Math.PI) / 180;
    return [cx + rx * Math.cos(t), cy + ry * Math.sin(t)];
  });

export const DIGITS = {
  0: [arc(0.5, 0.5, 0.3, 0.45, -90, 275)],
  1: [[[0.42, 0.18], [0.56, 0.05], [0.55, 0.5], [0.54, 0.95]]],
  2: [[...arc(0.5, 0.3, 0.3, 0.25, 190, 370), [0.75, 0.42], [0.2, 0.95], [0.85, 0.95]]],
  3: [[...arc(0.48, 0.27, 0.28, 0.22, 200, 450), ...arc(0.48, 0.72, 0.32, 0.25, -90, 150)]],
  4: [[[0.62, 0.05], [0.15, 0.65], [0.88, 0.65]], [[0.64, 0.35], [0.64, 0.97]]],
  5: [[[0.8, 0.06], [0.3, 0.06], [0.26, 0.45], ...arc(0.48, 0.68, 0.3, 0.27, -110, 150)]],
  6: [[[0.72, 0.04], [0.45, 0.25], [0.28, 0.55], ...arc(0.5, 0.72, 0.25, 0.24, 180, 540)]],
  7: [[[0.12, 0.06], [0.88, 0.06], [0.62, 0.5], [0.42, 0.96]]],
  8: [[...arc(0.5, 0.27, 0.22, 0.22, 90, 450), ...arc(0.5, 0.73, 0.28, 0.24, -90, 270)]],
  9: [[...arc(0.48, 0.3, 0.26, 0.24, 0, 360), [0.74, 0.3], [0.7, 0.65], [0.62, 0.97]]],
};

// Strokes of a unit box placed in box {x, y, size} of the pad: x in
// fractions of its width, y and size in fractions of its height (the pad is
// wider than tall), as page coordinates.
function placed(pad, strokes, box) {
  return strokes.map((stroke) => stroke.map(([u, v]) => ({
    x: pad.x + box.x * pad.width + u * box.size * pad.height,
    y: pad.y + (box.y + v * box.size) * pad.height,
  })));
}

// Draws strokes with the mouse into box {x, y, size} (see placed).
export async function drawWithMouse(page, strokes, box) {
  await page.getByTestId('pad').scrollIntoViewIfNeeded();
  const pad = await page.getByTestId('pad').boundingBox();
  await mouseStrokes(page, placed(pad, strokes, box), 3);
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
  await touchStrokes(page, placed(pad, strokes, box));
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

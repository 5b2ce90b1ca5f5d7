// The page as a whole: it starts, stays on its own origin, logs no error,
// fits a phone, and leaves a screenshot for the README.
import { test, expect } from '@playwright/test';
import { drawNumber, makeRng } from '../shared/stroke_font.mjs';
import { drawPadStrokes, openPage, phoneContext, screenshotPath } from './helpers.js';

test('starts ready, cross-origin isolated, with both models and no foreign request', async ({ page }) => {
  const watch = await openPage(page);
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('model-select').locator('option')).toHaveText(['Convolutional network', 'Softmax regression']);
  expect(await page.getByTestId('model-select').locator('option').evaluateAll((o) => o.map((x) => x.value))).toEqual(['cnn', 'softmax']);
  await expect(page.getByTestId('prediction')).toHaveText('');
  await expect(page.getByTestId('verdict')).toHaveText('Draw a digit or a number');
  await expect(page.getByTestId('probabilities').locator('li')).toHaveCount(10);
  expect(watch.errors).toEqual([]);
  expect(watch.foreign).toEqual([]);
});

test('desktop screenshot with a drawn number', async ({ page }) => {
  await page.setViewportSize({ width: 1100, height: 760 });
  const watch = await openPage(page);
  const pad = await page.getByTestId('pad').boundingBox();
  const height = pad.height * 0.55;
  await drawPadStrokes(page, drawNumber('2026', makeRng(7), { x: pad.width * 0.12, y: pad.height * 0.2, height, slope: 2, slant: 8, rotation: 4 }).strokes, 'mouse');
  await expect(page.getByTestId('prediction')).toHaveText('2026');
  await page.screenshot({ path: screenshotPath('screenshot.png') });
  expect(watch.errors).toEqual([]);
});

for (const width of [320, 360, 390]) {
  test(`fits a ${width} px phone without sideways scrolling, every control inside`, async ({ browser }) => {
    const context = await phoneContext(browser, { width, height: 740 });
    const page = await context.newPage();
    await openPage(page);
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
    expect(widths.doc).toBeLessThanOrEqual(widths.view);
    const outside = await page.evaluate((w) => [...document.querySelectorAll('button, input, select, label, canvas')]
      .filter((el) => el.offsetParent !== null)
      .map((el) => ({ el: el.dataset.testid || el.textContent.trim().slice(0, 30) || el.tagName, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.left < 0 || r.right > w + 0.5)
      .map(({ el, r }) => `${el}: ${Math.round(r.left)}..${Math.round(r.right)}`), width);
    expect(outside).toEqual([]);
    const pad = await page.getByTestId('pad').boundingBox();
    // Full width (less a scroll bar where the browser shows one), to write a number.
    expect(pad.width).toBeGreaterThan((await page.evaluate(() => document.documentElement.clientWidth)) - 30);
    await page.screenshot({ path: `test-results/phone-${width}.png`, fullPage: true });
    await context.close();
  });
}

test('a page without WebAssembly SIMD says so instead of failing silently', async ({ page }) => {
  await page.addInitScript(() => {
    WebAssembly.validate = () => false;
  });
  await page.goto('/');
  await expect(page.getByTestId('status')).toContainText('does not support WebAssembly SIMD');
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'error');
});

test('a missing model file is reported in the status', async ({ page }) => {
  await page.route('**/models/cnn.bin', (route) => route.fulfill({ status: 200, body: Buffer.from('garbage') }));
  await page.goto('/');
  await expect(page.getByTestId('status')).toContainText('models/cnn.bin: not a model file');
});

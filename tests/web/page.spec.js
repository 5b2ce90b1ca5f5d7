// The page as a whole: it starts, stays on its own origin, logs no error,
// fits a phone, and leaves a screenshot for the README.
import { test, expect } from '@playwright/test';
import { DIGITS, drawWithMouse, openPage, screenshotPath } from './helpers.js';

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

test('desktop screenshot with a drawn digit', async ({ page }) => {
  await page.setViewportSize({ width: 1100, height: 760 });
  const watch = await openPage(page);
  await drawWithMouse(page, DIGITS[7], { x: 0.2, y: 0.15, size: 0.65 });
  await expect(page.getByTestId('prediction')).toHaveText('7');
  await page.screenshot({ path: screenshotPath('screenshot.png') });
  expect(watch.errors).toEqual([]);
});

for (const width of [320, 360, 390]) {
  test(`fits a ${width} px phone without sideways scrolling`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width, height: 740 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    await openPage(page);
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
    expect(widths.doc).toBeLessThanOrEqual(widths.view);
    const pad = await page.getByTestId('pad').boundingBox();
    expect(pad.width).toBeGreaterThan(width - 30);  // full width, to write a number
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

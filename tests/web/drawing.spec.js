// Drawing digits on the pad, with the mouse and by touch, at different sizes
// and places, and the controls around it.
import { test, expect } from '@playwright/test';
import { CHROMIUM_ONLY, DIGITS, drawWithMouse, drawWithTouch, openPage, phoneContext, probabilities } from './helpers.js';

// Each digit drawn at its own size and place (fractions of the pad).
const PLACES = [
  { x: 0.1, y: 0.1, size: 0.8 }, { x: 0.05, y: 0.05, size: 0.35 }, { x: 0.55, y: 0.5, size: 0.4 },
  { x: 0.3, y: 0.05, size: 0.55 }, { x: 0.02, y: 0.45, size: 0.5 }, { x: 0.2, y: 0.2, size: 0.6 },
  { x: 0.6, y: 0.05, size: 0.35 }, { x: 0.25, y: 0.3, size: 0.65 }, { x: 0.1, y: 0.55, size: 0.42 },
  { x: 0.4, y: 0.4, size: 0.55 },
];

test('ten digits drawn with the mouse, at different sizes and places, are recognised', async ({ page }) => {
  const watch = await openPage(page);
  for (let d = 0; d <= 9; d++) {
    await page.getByTestId('clear').click();
    await expect(page.getByTestId('prediction')).toHaveText('');
    await drawWithMouse(page, DIGITS[d], PLACES[d]);
    await expect(page.getByTestId('prediction'), `digit ${d} at ${JSON.stringify(PLACES[d])}`).toHaveText(String(d));
    const p = await probabilities(page);
    expect(p).toHaveLength(10);
    expect(Math.abs(p.reduce((s, x) => s + x.p, 0) - 1)).toBeLessThan(1e-3);
    expect(p[d].p).toBe(Math.max(...p.map((x) => x.p)));
  }
  expect(watch.errors).toEqual([]);
  expect(watch.foreign).toEqual([]);
});

test('digits drawn by touch are recognised and the page does not scroll', async ({ browser, browserName }) => {
  test.skip(browserName !== 'chromium', CHROMIUM_ONLY);
  const context = await phoneContext(browser);
  const page = await context.newPage();
  const watch = await openPage(page);
  for (const [d, place] of [[3, { x: 0.15, y: 0.1, size: 0.75 }], [7, { x: 0.5, y: 0.5, size: 0.45 }], [4, { x: 0.05, y: 0.3, size: 0.5 }]]) {
    await page.getByTestId('clear').click();
    const scrollBefore = await page.evaluate(() => window.scrollY);
    await drawWithTouch(page, DIGITS[d], place);
    await expect(page.getByTestId('prediction')).toHaveText(String(d));
    await expect(page.getByTestId('pad-badge')).toBeVisible();  // the result, where the finger is
    await expect(page.getByTestId('pad-badge')).toContainText(String(d));
    expect(await page.evaluate(() => window.scrollY)).toBe(scrollBefore);
  }
  expect(watch.errors).toEqual([]);
  await context.close();
});

test('undo removes the last stroke, clear empties the pad, keyboard works too', async ({ page }) => {
  await openPage(page);
  const box = { x: 0.1, y: 0.1, size: 0.8 };
  const input28 = () => page.getByTestId('input-28').evaluate((c) =>
    Array.from(c.getContext('2d').getImageData(0, 0, 28, 28).data.filter((_, i) => i % 4 === 0)));
  await drawWithMouse(page, [DIGITS[4][0]], box);  // the first stroke of a 4
  await expect(page.getByTestId('prediction')).not.toHaveText('');
  const oneStroke = await input28();
  await drawWithMouse(page, [DIGITS[4][1]], box);  // and its second
  await expect(page.getByTestId('prediction')).toHaveText('4');
  expect(await input28()).not.toEqual(oneStroke);
  await page.getByTestId('undo').click();
  await expect.poll(input28).toEqual(oneStroke);
  await page.getByTestId('clear').click();
  await expect(page.getByTestId('prediction')).toHaveText('');
  await expect(page.getByTestId('verdict')).toHaveText('Draw a digit or a number');
  await drawWithMouse(page, DIGITS[7], box);
  await expect(page.getByTestId('prediction')).toHaveText('7');
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('prediction')).toHaveText('');
  await drawWithMouse(page, DIGITS[1], box);
  await expect(page.getByTestId('prediction')).toHaveText('1');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('prediction')).toHaveText('');
  await page.getByTestId('undo').focus();
  await expect(page.getByTestId('undo')).toBeFocused();
});

test('switching models recognises again and shows the other model\'s guess', async ({ page }) => {
  await openPage(page);
  await drawWithMouse(page, DIGITS[0], { x: 0.1, y: 0.1, size: 0.8 });
  await expect(page.getByTestId('prediction')).toHaveText('0');
  const cnn = await probabilities(page);
  await expect(page.getByTestId('other-model')).toContainText('Softmax regression');
  await page.getByTestId('model-select').selectOption('softmax');
  await expect(page.getByTestId('other-model')).toContainText('Convolutional network');
  const softmax = await probabilities(page);
  expect(softmax.map((x) => x.p)).not.toEqual(cnn.map((x) => x.p));
  await expect(page.getByTestId('announcement')).toContainText('Softmax regression');
});

test('the 28x28 input shows the preprocessed digit, centred', async ({ page }) => {
  await openPage(page);
  await drawWithMouse(page, DIGITS[1], { x: 0.0, y: 0.0, size: 0.3 });  // small, in a corner
  await expect(page.getByTestId('prediction')).toHaveText('1');
  const centre = await page.getByTestId('input-28').evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, 28, 28).data;
    let m = 0, mx = 0, my = 0;
    for (let i = 0; i < 784; i++) { m += d[i * 4]; mx += d[i * 4] * (i % 28); my += d[i * 4] * Math.floor(i / 28); }
    return { x: mx / m, y: my / m, mass: m };
  });
  expect(centre.mass).toBeGreaterThan(0);
  expect(Math.abs(centre.x - 14)).toBeLessThan(1);
  expect(Math.abs(centre.y - 14)).toBeLessThan(1);
});

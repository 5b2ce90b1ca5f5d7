// Numbers: written on the pad with the mouse and by touch (digits of several
// styles each, from tests/shared/stroke_font.mjs) and photographed on paper;
// each digit gets a box and a guess, and choosing one shows its
// probabilities.
import { test, expect } from '@playwright/test';
import path from 'node:path';
import { drawDigit, drawNumber, makeRng, randomDigits, STYLES } from '../shared/stroke_font.mjs';
import { canvasPng, CHROMIUM_ONLY, drawPadStrokes, openPage, phoneContext, probabilities, toolPhotos } from './helpers.js';

// A number of 2 to 6 digits that fits the pad, slope and all, at a random
// size and place.
function numberOnPad(rng, pad) {
  const text = randomDigits(2 + rng.below(5), rng);
  const widthPerHeight = text.length * 1.05;  // digits, gaps and slant
  const drift = Math.tan((4 * Math.PI) / 180) * widthPerHeight;  // the line's rise over its length, per height
  const height = Math.min((pad.height * 0.85) / (1.25 + drift), (pad.width * 0.9) / widthPerHeight, 60 + rng.below(140));
  const x = rng.uniform(0.02, 0.08) * pad.width;
  const room = pad.height - height * (1.25 + 2 * drift);
  const y = height * (drift + 0.1) + Math.max(0, room) * rng.next();
  return drawNumber(text, rng, { x, y, height });
}

// Draws `count` numbers, one at a time on a cleared pad, and checks what
// the page shows for each: returns how many were read right.
async function drawNumbers(page, count, seed, how) {
  const rng = makeRng(seed);
  const pad = await page.getByTestId('pad').boundingBox();
  let right = 0;
  const wrong = [];
  for (let n = 0; n < count; n++) {
    await page.getByTestId('clear').click();
    await expect(page.getByTestId('prediction')).toHaveText('');
    const number = numberOnPad(rng, pad);
    await drawPadStrokes(page, number.strokes, how);
    await expect(page.getByTestId('digits').locator('li').first()).toBeAttached();
    const read = await page.getByTestId('prediction').textContent();
    const digits = await page.getByTestId('digits').locator('li').evaluateAll((items) =>
      items.map((li) => ({ digit: li.dataset.digit, p: Number(li.dataset.p), box: li.dataset.box.split(',').map(Number) })));
    // The hooks agree with each other and with the drawing.
    expect(digits.map((d) => d.digit).join('')).toBe(read);
    for (const [i, d] of digits.entries()) {
      expect(d.p).toBeGreaterThan(0);
      expect(d.p).toBeLessThanOrEqual(1);
      const [x, y, w, h] = d.box;
      expect(x).toBeGreaterThanOrEqual(0);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(x + w).toBeLessThanOrEqual(pad.width);
      expect(y + h).toBeLessThanOrEqual(pad.height);
      if (i) expect(x + w / 2).toBeGreaterThan(digits[i - 1].box[0] + digits[i - 1].box[2] / 2);  // reading order
    }
    if (read.length > 1) await expect(page.getByTestId('pad-boxes').locator('.digit-box')).toHaveCount(read.length);
    if (read === number.text) right++;
    else wrong.push(`${number.text} (${number.styles.join(', ')}) read as ${read}`);
  }
  console.log(`${how}: ${right} of ${count} numbers read right${wrong.length ? `; wrong: ${wrong.join('; ')}` : ''}`);
  return right;
}

// Every style of every digit (a 1 with a flag, a 7 with a crossbar, open and
// closed 4s, ...), slanted up to 20 degrees and rotated up to 15, drawn alone
// at a random size and place: returns the misses.
async function drawEveryStyle(page, seed, how) {
  const rng = makeRng(seed);
  const pad = await page.getByTestId('pad').boundingBox();
  const misses = [];
  for (const [digit, styles] of Object.entries(STYLES)) {
    for (const style of styles) {
      await page.getByTestId('clear').click();
      const height = rng.uniform(0.3, 0.85) * pad.height;
      const { strokes, width } = drawDigit(Number(digit), style, height, rng, { slant: 20, rotation: 15 });
      const x = rng.uniform(0.02, 0.98) * Math.max(0, pad.width - width);
      const y = rng.uniform(0.02, 0.98) * (pad.height - height);
      await drawPadStrokes(page, strokes.map((s) => s.map(([px, py]) => [x + px, y + py])), how);
      await expect(page.getByTestId('prediction')).not.toHaveText('');
      const read = await page.getByTestId('prediction').textContent();
      if (read !== digit) misses.push(`${digit} ${style.name} (${how}) read as "${read}"`);
    }
  }
  return misses;
}

test('every style of every digit is read, drawn with the mouse at any size and place', async ({ page }) => {
  await openPage(page);
  expect(await drawEveryStyle(page, 41, 'mouse')).toEqual([]);
});

test('every style of every digit is read, drawn by touch on a phone at any size and place', async ({ browser, browserName }) => {
  test.skip(browserName !== 'chromium', CHROMIUM_ONLY);
  const context = await phoneContext(browser);
  const phone = await context.newPage();
  await openPage(phone);
  const touch = await drawEveryStyle(phone, 43, 'touch');
  await context.close();
  expect(touch).toEqual([]);
});

test('numbers drawn with the mouse are read, each digit boxed with its guess', async ({ page }) => {
  const watch = await openPage(page);
  const count = 34;  // 33 right is 0.97
  const right = await drawNumbers(page, count, 19, 'mouse');
  expect(right / count).toBeGreaterThanOrEqual(0.97);
  expect(watch.errors).toEqual([]);
  expect(watch.foreign).toEqual([]);
});

test('numbers drawn by touch on a phone are read, and the page does not scroll', async ({ browser, browserName }) => {
  test.skip(browserName !== 'chromium', CHROMIUM_ONLY);
  const context = await phoneContext(browser);
  const page = await context.newPage();
  const watch = await openPage(page);
  const scrollBefore = await page.evaluate(() => window.scrollY);
  const count = 34;  // 33 right is 0.97
  const right = await drawNumbers(page, count, 23, 'touch');
  expect(right / count).toBeGreaterThanOrEqual(0.97);
  expect(await page.evaluate(() => window.scrollY)).toBe(scrollBefore);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(watch.errors).toEqual([]);
  await context.close();
});

test('the reading is there within 100 ms of the last stroke, and choosing a digit shows its probabilities', async ({ page }) => {
  await openPage(page);
  const pad = await page.getByTestId('pad').boundingBox();
  const number = drawNumber('2857', makeRng(5), { x: 40, y: 40, height: Math.min(150, pad.height * 0.6) });
  // Times the last pointerup and the first change of the reading after it.
  await page.evaluate(() => {
    const target = document.querySelector('[data-testid=prediction]');
    window.__timing = {};
    document.querySelector('[data-testid=pad]').addEventListener('pointerup', () => { window.__timing.up = performance.now(); });
    new MutationObserver(() => {
      if (window.__timing.up && !window.__timing.shown && target.textContent === '2857') window.__timing.shown = performance.now();
    }).observe(target, { childList: true, characterData: true, subtree: true });
  });
  await drawPadStrokes(page, number.strokes, 'mouse');
  await expect(page.getByTestId('prediction')).toHaveText('2857');
  const timing = await page.evaluate(() => window.__timing);
  expect(timing.shown - timing.up).toBeLessThan(100);

  const items = page.getByTestId('digits').locator('li');
  await expect(items).toHaveCount(4);
  await expect(page.getByTestId('digits')).toBeVisible();
  await items.nth(2).locator('button').click();
  await expect(items.nth(2).locator('button')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('probabilities-title')).toContainText('third');
  const bars = await probabilities(page);
  const top = bars.reduce((a, b) => (b.p > a.p ? b : a));
  expect(String(top.digit)).toBe(await items.nth(2).getAttribute('data-digit'));
  expect(top.p).toBeCloseTo(Number(await items.nth(2).getAttribute('data-p')), 5);
  // Keyboard: the strip's buttons take focus and Enter chooses.
  await items.nth(0).locator('button').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('probabilities-title')).toContainText('first');
  await expect(page.getByTestId('announcement')).toContainText('2 8 5 7');
});

test('a photo of a number is read as the native tool reads it, with boxes over the photo', async ({ page }) => {
  const { rows, files, read: expected } = toolPhotos(path.resolve('test-results/number-photos'),
    ['--numbers', 'spaced', '--count', '4', '--seed', '9', '--format', 'png']);
  const watch = await openPage(page);
  let right = 0;
  for (const [i, file] of files.entries()) {
    const before = await page.getByTestId('photo-preview').getAttribute('src');
    await page.getByTestId('upload').setInputFiles(file);
    await expect(page.getByTestId('photo-preview')).toBeVisible();
    if (before) await expect(page.getByTestId('photo-preview')).not.toHaveAttribute('src', before);
    await expect(page.getByTestId('prediction')).toHaveText(expected[i].number);
    await expect(page.getByTestId('pad-boxes').locator('.digit-box')).toHaveCount(expected[i].digits.length);
    right += expected[i].number === rows[i][1];
  }
  expect(right).toBeGreaterThanOrEqual(files.length - 1);
  // Drawing replaces the photo.
  await drawPadStrokes(page, drawNumber('7', makeRng(1), { x: 50, y: 30, height: 120 }).strokes, 'mouse');
  await expect(page.getByTestId('photo-preview')).toBeHidden();
  await expect(page.getByTestId('prediction')).toHaveText('7');
  expect(watch.errors).toEqual([]);
});

test('scattered marks are not read as a long number', async ({ page }) => {
  const watch = await openPage(page);
  // Paper with ink dots of many sizes all over it.
  const file = await canvasPng(page, 'dots.png', 900, 700, (ctx, w, h) => {
    ctx.fillStyle = '#f2efe6';
    ctx.fillRect(0, 0, w, h);
    ctx.fillStyle = '#222';
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let k = 0; k < 300; k++) {
      ctx.beginPath();
      ctx.arc(random() * w, random() * h, 2 + random() * 14, 0, Math.PI * 2);
      ctx.fill();
    }
  });
  await page.getByTestId('upload').setInputFiles(file);
  await expect(page.getByTestId('photo-preview')).toBeVisible();
  await expect(page.getByTestId('verdict')).toContainText(/marks/);
  expect((await page.getByTestId('prediction').textContent()).length).toBeLessThanOrEqual(12);
  expect(watch.errors).toEqual([]);
});

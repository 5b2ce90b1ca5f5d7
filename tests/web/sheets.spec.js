// Every number on a sheet: a photo of a sheet on a table, seen at an angle,
// with three numbers on it, is read number by number in reading order with
// their sum; signs and decimal points drawn on the pad are read as written.
import { test, expect } from '@playwright/test';
import path from 'node:path';
import { drawNumber, makeRng } from '../shared/stroke_font.mjs';
import { CHROMIUM_ONLY, drawPadStrokes, isChromium, openPage, toolPhotos } from './helpers.js';

// The sum as a person would write it: as many decimals as the most precise number.
function expectedSum(numbers) {
  const decimals = Math.max(0, ...numbers.map((t) => (t.includes('.') ? t.split('.')[1].length : 0)));
  return (numbers.reduce((s, t) => s + Number(t), 0)).toFixed(decimals);
}

test('a photo of a sheet with three numbers lists them in reading order with their sum', async ({ page }) => {
  const dir = path.resolve('test-results/sheet-photos');
  const { rows, read } = toolPhotos(dir, ['--sheets', '3', '--count', '6', '--seed', '12', '--format', 'png']);
  // The page must read as the tool does; the tool reads most sheets right.
  const right = read.filter((r, i) => r.numbers.map((n) => n.number).join(' ') === rows[i][1]);
  expect(right.length, `the tool read ${right.length} of ${rows.length} sheets right`).toBeGreaterThanOrEqual(4);
  const watch = await openPage(page);
  for (const sheet of right.slice(0, 2)) {
    const written = sheet.numbers.map((n) => n.number);
    await page.getByTestId('upload').setInputFiles(sheet.file);
    await expect(page.getByTestId('prediction')).toHaveText(written[0]);
    await expect(page.getByTestId('numbers').locator('li')).toHaveCount(3);
    const shown = await page.getByTestId('numbers').locator('li').evaluateAll((items) =>
      items.map((li) => ({ number: li.dataset.number, box: li.dataset.box.split(',').map(Number) })));
    expect(shown.map((n) => n.number)).toEqual(written);
    for (const n of shown) expect(n.box[2] * n.box[3]).toBeGreaterThan(0);
    await expect(page.getByTestId('prediction')).toHaveText(written[0]);
    await expect(page.getByTestId('numbers-sum')).toHaveText(`Sum: ${expectedSum(written)}`);
    await expect(page.getByTestId('numbers-panel')).toBeVisible();
  }
  // A blank page of paper: no numbers.
  const blank = toolPhotos(path.join(path.dirname(dir), 'blank-sheet'), ['--sheets', '0', '--count', '1', '--seed', '3', '--format', 'png']);
  await page.getByTestId('upload').setInputFiles(blank.files[0]);
  await expect(page.getByTestId('numbers').locator('li')).toHaveCount(0);
  await expect(page.getByTestId('prediction')).toHaveText('');
  expect(watch.errors).toEqual([]);
});

// "-3.5", "0.25", "12.75" as a hand writes them: a dash at mid-height before
// the digits, a dot at the baseline in a gap.
function writtenOnPad(text, rng, { x, y, height }) {
  const strokes = [];
  let cursor = x;
  const parts = text.replace('-', '').split('.');
  if (text.startsWith('-')) {
    strokes.push([[cursor, y + 0.52 * height], [cursor + 0.22 * height, y + 0.5 * height], [cursor + 0.45 * height, y + 0.5 * height]]);
    cursor += 0.75 * height;
  }
  parts.forEach((digits, k) => {
    if (k === 1) {
      const px = cursor + 0.1 * height, py = y + 0.93 * height;
      strokes.push([[px, py], [px + 2, py + 1], [px + 1, py + 3]]);
      cursor += 0.35 * height;
    }
    const drawn = drawNumber(digits, rng, { x: cursor, y, height, slope: 0, gap: [0.3, 0.4] });
    strokes.push(...drawn.strokes);
    const last = drawn.boxes[drawn.boxes.length - 1];
    cursor = last[0] + last[2] + 0.2 * height;
  });
  return strokes;
}

for (const how of ['mouse', 'touch']) {
  test(`signs and decimal points drawn by ${how} are read as written`, async ({ page }) => {
    test.skip(how === 'touch' && !isChromium(page), CHROMIUM_ONLY);
    const watch = await openPage(page);
    const pad = await page.getByTestId('pad').boundingBox();
    const rng = makeRng(how === 'mouse' ? 35 : 36);
    for (const text of ['-3.5', '0.25', '12.75', '-8']) {
      await page.getByTestId('clear').click();
      await expect(page.getByTestId('prediction')).toHaveText('');
      const height = Math.min(110, pad.height * 0.5);
      await drawPadStrokes(page, writtenOnPad(text, rng, { x: pad.width * 0.05, y: pad.height * 0.2, height }), how);
      await expect(page.getByTestId('prediction')).toHaveText(text);
      await expect(page.getByTestId('numbers').locator('li')).toHaveCount(1);
      await expect(page.getByTestId('numbers').locator('li')).toHaveAttribute('data-number', text);
    }
    expect(watch.errors).toEqual([]);
  });
}

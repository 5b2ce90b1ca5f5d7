// Photos of handwritten digits on paper (synthetic, from MNIST test digits,
// made by the native tool), uploaded through the file input.
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DIGITS, canvasPng, drawWithMouse, openPage } from './helpers.js';

const dir = path.resolve('test-results/upload-photos');
let photos = [];

test.beforeAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  const made = spawnSync('build/native/mnist', ['make-photos', '--out', dir, '--count', '12', '--seed', '77']);
  expect(made.status, String(made.stderr)).toBe(0);
  const rows = fs.readFileSync(path.join(dir, 'labels.csv'), 'utf8').trim().split('\n').slice(1);
  photos = rows.map((r) => ({ file: path.join(dir, r.split(',')[0]), label: Number(r.split(',')[1]) }));
  const files = photos.map((p) => p.file);
  const native = spawnSync('build/native/mnist', ['predict', '--model', 'public/models/cnn.bin', '--json', ...files], { encoding: 'utf8' });
  expect(native.status, native.stderr).toBe(0);
  native.stdout.trim().split('\n').forEach((line, i) => { photos[i].native = JSON.parse(line).number; });
});

test('photos of digits on paper are recognised, as the native tool does', async ({ page }) => {
  const watch = await openPage(page);
  let correct = 0;
  const preview = page.getByTestId('photo-preview');
  for (const photo of photos) {
    // The preview stays visible from the last photo while this one decodes:
    // wait for its own (a new object URL), or a JPEG's prediction below
    // could be read from the photo before (CI saw 10 of 12 that way).
    const before = await preview.getAttribute('src');
    await page.getByTestId('upload').setInputFiles(photo.file);
    await expect(preview).toBeVisible();
    await expect(preview).toHaveAttribute('src', /^blob:/);
    if (before) await expect(preview).not.toHaveAttribute('src', before);
    // PNG decodes to identical pixels in both; JPEG decoders may differ by a level or two.
    if (photo.file.endsWith('.png')) {
      await expect(page.getByTestId('prediction'), photo.file).toHaveText(photo.native);
    } else {
      await expect(page.getByTestId('prediction')).not.toHaveText('');
    }
    correct += (await page.getByTestId('prediction').textContent()) === String(photo.label);
  }
  expect(correct, `${correct} of ${photos.length} photos right`).toBeGreaterThanOrEqual(photos.length - 1);
  expect(watch.errors).toEqual([]);
});

test('a file that is not an image gets a message and the drawing stays', async ({ page }) => {
  await openPage(page);
  await drawWithMouse(page, DIGITS[7], { x: 0.1, y: 0.1, size: 0.8 });
  await expect(page.getByTestId('prediction')).toHaveText('7');
  await page.getByTestId('upload').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') });
  await expect(page.getByTestId('upload-error')).toContainText('is not an image');
  await expect(page.getByTestId('prediction')).toHaveText('7');
  await expect(page.getByTestId('status')).toHaveText('Ready');
});

// Ends a stroke just after one of its live recognitions ran, so that the next
// one is still waiting for its turn, then hands the file input a file, all
// within one task. Returns what the page shows 200 ms (three turns of live
// recognition) after the file's message or photo appeared.
function strokeThenFile(page, file) {
  return page.evaluate(async ({ name, type, base64 }) => {
    const pad = document.querySelector('[data-testid=pad]');
    const box = pad.getBoundingClientRect();
    const pointer = (kind, u, v) => pad.dispatchEvent(new PointerEvent(kind, {
      pointerId: 1, pointerType: 'mouse', isPrimary: true, button: 0, buttons: 1, bubbles: true, cancelable: true,
      clientX: box.left + u * box.width, clientY: box.top + v * box.height,
    }));
    const runs = () => performance.getEntriesByName('recognize drawing').length;
    const before = runs();
    pointer('pointerdown', 0.5, 0.2);
    pointer('pointermove', 0.5, 0.5);
    while (runs() === before) await new Promise((next) => requestAnimationFrame(next));
    pointer('pointermove', 0.5, 0.8);  // its live recognition waits about 1/15 s
    pointer('pointerup', 0.5, 0.8);
    const input = document.querySelector('[data-testid=upload]');
    const files = new DataTransfer();
    files.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name, { type }));
    input.files = files.files;
    input.dispatchEvent(new Event('change'));
    const shown = (id) => !document.querySelector(`[data-testid=${id}]`).hidden;
    const pause = (ms) => new Promise((done) => setTimeout(done, ms));
    for (let waited = 0; !shown('upload-error') && !shown('photo-preview') && waited < 10_000; waited += 10) await pause(10);
    await pause(200);
    return {
      error: shown('upload-error') ? document.querySelector('[data-testid=upload-error]').textContent : '',
      photo: shown('photo-preview'),
      prediction: document.querySelector('[data-testid=prediction]').textContent,
    };
  }, { ...file, base64: file.bytes.toString('base64') });
}

test('a live recognition still waiting when a file arrives wipes neither its message nor the photo', async ({ page }) => {
  const watch = await openPage(page);
  const text = await strokeThenFile(page, { name: 'notes.txt', type: 'text/plain', bytes: Buffer.from('not a picture') });
  expect(text.error).toContain('is not an image');
  expect(text.photo).toBe(false);
  // A small photo (a PNG of the set is 1.8 MB, slow to hand to the page).
  const jpeg = photos.find((p) => p.file.endsWith('.jpg'));
  const photo = await strokeThenFile(page, { name: path.basename(jpeg.file), type: 'image/jpeg', bytes: fs.readFileSync(jpeg.file) });
  await page.getByTestId('upload').setInputFiles(jpeg.file);  // the same photo, with nothing waiting
  await expect(page.getByTestId('photo-preview')).toBeVisible();
  const alone = await page.getByTestId('prediction').textContent();
  expect(photo).toEqual({ error: '', photo: true, prediction: alone });
  expect(watch.errors).toEqual([]);
});

test('a huge image is shrunk before recognition', async ({ page }) => {
  const watch = await openPage(page);
  // A 6000x4500 photo-like PNG made in the browser: a dark "1" on light paper.
  const file = await canvasPng(page, 'huge.png', 6000, 4500, (ctx, w, h) => {
    ctx.fillStyle = '#e8e4da';
    ctx.fillRect(0, 0, w, h);
    ctx.strokeStyle = '#202028';
    ctx.lineWidth = 260;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(3100, 900);
    ctx.lineTo(2950, 3700);
    ctx.stroke();
  });
  await page.getByTestId('upload').setInputFiles(file);
  await expect(page.getByTestId('prediction')).toHaveText('1');
  await expect(page.getByTestId('upload-error')).toBeHidden();
  expect(watch.errors).toEqual([]);
});

// ONNX in the page: a model exported by PyTorch's way is loaded with "Load
// a model file", reads a drawn digit and is kept; the model in use and a
// kept one download as ONNX files the engine reads back.
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ONLY, DIGITS, drawWithMouse, isChromium, openPage } from './helpers.js';
import { pytorchCnn } from '../shared/onnx_builder.mjs';
import { layerWeights, readF32ModelFile } from '../shared/model_file.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function pytorchStyleFile() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-page-'));
  const f32 = path.join(dir, 'cnn_f32.bin');
  const r = spawnSync(path.join(root, 'build/native/mnist'), ['import', '--model', path.join(root, 'public/models/cnn.bin'), '--out', f32]);
  if (r.status !== 0) throw new Error(String(r.stderr));
  const file = path.join(dir, 'from_pytorch.onnx');
  fs.writeFileSync(file, pytorchCnn(layerWeights(readF32ModelFile(fs.readFileSync(f32)))));
  return file;
}

test('an ONNX file from PyTorch loads, reads a digit and is kept', async ({ page }) => {
  const watch = await openPage(page);
  await page.getByTestId('model-file').setInputFiles(pytorchStyleFile());
  await expect(page.getByTestId('model-select')).toHaveValue('yours');
  await expect(page.getByTestId('model-file-error')).toBeHidden();
  await drawWithMouse(page, DIGITS[4], { x: 0.3, y: 0.1, size: 0.8 });
  await expect(page.getByTestId('prediction')).toHaveText('4');
  await expect(page.getByTestId('saved-model-name')).toHaveValue('from_pytorch');
  // A file that is neither kind is refused, and the model in use stays.
  await page.getByTestId('model-file').setInputFiles({ name: 'notes.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from('just some text, not a model') });
  await expect(page.getByTestId('model-file-error')).toContainText('notes.onnx: not a model file');
  await expect(page.getByTestId('model-select')).toHaveValue('yours');
  expect(watch.errors).toEqual([]);
});

test('the model in use and a kept model download as ONNX, which loads back', async ({ page }) => {
  test.skip(!isChromium(page), CHROMIUM_ONLY);
  await openPage(page);
  const downloaded = async (click) => {
    const download = page.waitForEvent('download');
    await click();
    const d = await download;
    return { name: d.suggestedFilename(), bytes: fs.readFileSync(await d.path()) };
  };
  const shipped = await downloaded(() => page.getByTestId('download-onnx').click());
  expect(shipped.name).toBe('cnn.onnx');
  expect(shipped.bytes[0]).toBe(0x08);  // ModelProto field 1 (ir_version), a varint
  await page.getByTestId('model-file').setInputFiles({ name: 'cnn.onnx', mimeType: 'application/octet-stream', buffer: shipped.bytes });
  await expect(page.getByTestId('model-select')).toHaveValue('yours');
  await drawWithMouse(page, DIGITS[7], { x: 0.3, y: 0.1, size: 0.8 });
  await expect(page.getByTestId('prediction')).toHaveText('7');
  const kept = await downloaded(() => page.getByTestId('saved-model-onnx').click());
  expect(kept.name).toBe('cnn.onnx');
  expect(kept.bytes.equals(shipped.bytes)).toBe(true);
});

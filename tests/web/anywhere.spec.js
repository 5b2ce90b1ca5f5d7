// The page right after it says Ready, and with a full storage quota.
import { test, expect } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPage, refuseStorageWhenFull } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('the training form is disabled until it is set up, and a choice made right after is kept', async ({ page }) => {
  // Hold the training panel's module back, as a busy machine would.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(/training_panel.*\.js$/, async (route) => { await held; await route.continue(); });
  await page.goto('/');
  await expect(page.getByTestId('status')).toHaveText('Ready', { timeout: 30_000 });
  await expect(page.getByTestId('train-fields')).toHaveAttribute('disabled', '');
  await expect(page.getByTestId('train-start')).toBeDisabled();
  await expect(page.getByTestId('train-model')).toBeDisabled();
  release();
  await expect(page.getByTestId('train-model')).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId('train-preset').selectOption('tutorial-softmax');
  await page.getByTestId('train-steps').fill('123');
  await expect(page.locator('.train-panel')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await expect(page.getByTestId('train-model')).toHaveValue('softmax');
  await expect(page.getByTestId('train-steps')).toHaveValue('123');
});

test('a full storage quota says so and loses none of the models kept before', async ({ page }) => {
  // The browser refuses to store once the page says so, as a full quota does.
  await refuseStorageWhenFull(page);
  await openPage(page);
  const file = path.join(root, 'public/models/softmax.bin');
  await page.getByTestId('model-file').setInputFiles(file);
  await expect(page.getByTestId('saved-models').locator('li[data-model-id]')).toHaveCount(1);
  await page.evaluate(() => { window.__quotaFull = true; });
  await page.getByTestId('model-file').setInputFiles(path.join(root, 'public/models/cnn.bin'));
  await expect(page.getByTestId('model-file-error')).toContainText(/storage .* is full.*still there/);
  await expect(page.getByTestId('saved-models').locator('li[data-model-id]')).toHaveCount(1);
  await expect(page.getByTestId('saved-model-name')).toHaveValue('softmax');
  // The model loaded is still in use: a quota is no reason to refuse it.
  await expect(page.getByTestId('model-select')).toHaveValue('yours');
});

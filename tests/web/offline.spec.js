// The page anywhere: offline after a first visit, installable, from a
// sub-path of a plain static server that sends no special headers (where
// its service worker makes it cross-origin isolated), updated when a new
// build is deployed, and quick to its first recognition on slow networks.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ONLY, DIGITS, drawWithMouse, openPage, pinTrainingSeed } from './helpers.js';
import { servePlain } from '../shared/plain_server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
test.use({ serviceWorkers: 'allow' });

// dist/ copied under <tmp>/tools/digits/ and served by Python's plain static
// server (no COOP/COEP, no compression). Returns {url, dir, stop}.
async function servePlainCopy() {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-host-'));
  const dir = path.join(top, 'tools', 'digits');
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.cpSync(path.join(root, 'dist'), dir, { recursive: true });
  const server = await servePlain(top, 'tools/digits/');
  return { url: server.url, dir, stop: () => { server.stop(); fs.rmSync(top, { recursive: true, force: true }); } };
}

async function waitForServiceWorker(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
}

async function trainSoftmax(page, steps) {
  await page.getByTestId('train-preset').selectOption('tutorial-softmax');
  await page.getByTestId('train-steps').fill(String(steps));
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('test-accuracy')).not.toBeEmpty({ timeout: 180_000 });
  return Number(await page.getByTestId('test-accuracy').textContent());
}

test('after a first visit the page opens offline, reads a drawing and trains on the cached files', async ({ page, context }) => {
  await pinTrainingSeed(page);
  await openPage(page);
  await waitForServiceWorker(page);
  expect(await trainSoftmax(page, 100)).toBeGreaterThan(0.8);  // the MNIST files are now cached
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('status')).toHaveText('Ready', { timeout: 30_000 });
  await expect(page.locator('.train-panel')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await drawWithMouse(page, DIGITS[3], { x: 0.1, y: 0.1, size: 0.8 });
  await expect(page.getByTestId('prediction')).toHaveText('3');
  expect(await trainSoftmax(page, 1000)).toBeGreaterThanOrEqual(0.91);
  await context.setOffline(false);
});

test('Chromium finds the page installable', async ({ page, browserName }) => {
  test.skip(browserName !== 'chromium', CHROMIUM_ONLY);
  await openPage(page);
  await waitForServiceWorker(page);
  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  // A Playwright context is always incognito; nothing else may stand in the way.
  expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
  const manifest = await (await page.request.get('/manifest.webmanifest')).json();
  expect(manifest.display).toBe('standalone');
  expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
});

test('from a sub-path of a plain static server: isolated after the first load, training on two threads, and updated when a new build is deployed', async ({ page }) => {
  const host = await servePlainCopy();
  try {
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(host.url);
    await expect(page.getByTestId('status')).toHaveText('Ready', { timeout: 60_000 });
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(false);  // the server sends no headers
    await waitForServiceWorker(page);
    await expect(page.getByTestId('train-engine')).toContainText('reload it to train on more threads');
    await page.reload();
    await expect(page.getByTestId('status')).toHaveText('Ready', { timeout: 60_000 });
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    await expect(page.locator('.train-panel')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
    expect(await trainSoftmax(page, 200)).toBeGreaterThan(0.85);
    await expect(page.getByTestId('train-engine')).toHaveAttribute('data-build', 'threaded');
    await expect(page.getByTestId('train-engine')).toHaveAttribute('data-threads', String(Math.min(2, os.cpus().length)));

    // A new build is deployed: the page offers it and switches only when asked.
    await expect(page.getByTestId('update')).toBeHidden();
    fs.appendFileSync(path.join(host.dir, 'sw.js'), '\n// a new build\n');
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    await expect(page.getByTestId('update')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('update-reload')).toHaveText('Reload to update');
    await Promise.all([page.waitForEvent('load'), page.getByTestId('update-reload').click()]);
    await expect(page.getByTestId('status')).toHaveText('Ready', { timeout: 60_000 });
    await expect(page.getByTestId('update')).toBeHidden();
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).waiting)).toBeNull();
    expect(errors).toEqual([]);
  } finally {
    host.stop();
  }
});

for (const net of [{ name: '10 Mbit/s, 40 ms', mbps: 10, latency: 40, bound: 3000 }, { name: '4 Mbit/s, 150 ms', mbps: 4, latency: 150, bound: 7000 }]) {
  test(`cold load at ${net.name}: a drawing can be read soon, the CNN follows`, async ({ browser, browserName }) => {
    test.skip(browserName !== 'chromium', CHROMIUM_ONLY);
    const host = await servePlainCopy();
    const context = await browser.newContext({ serviceWorkers: 'allow' });
    try {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false, latency: net.latency, downloadThroughput: (net.mbps * 1e6) / 8, uploadThroughput: (net.mbps * 1e6) / 8,
      });
      await page.goto(host.url);
      await expect(page.getByTestId('status')).toHaveText(/^Ready/, { timeout: 60_000 });
      const readyAt = await page.evaluate(() => window.__digits.readyAt);
      await expect(page.getByTestId('status')).toHaveText('Ready', { timeout: 120_000 });
      const cnnAt = await page.evaluate(() => window.__digits.cnnAt);
      console.log(`cold load at ${net.name}: ready to read after ${readyAt.toFixed(0)} ms, the CNN in after ${cnnAt.toFixed(0)} ms`);
      expect(readyAt).toBeLessThan(net.bound);
      await expect(page.getByTestId('model-select')).toHaveValue('cnn');
    } finally {
      await context.close();
      host.stop();
    }
  });
}

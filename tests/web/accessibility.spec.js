// WCAG 2.1 A and AA, as axe-core checks them, on a desktop and a phone
// viewport: the page as it starts, and with a reading, a kept digit of the
// user's and a trained model's results on it.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { DIGITS, drawWithMouse, openPage } from './helpers.js';

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

async function violations(page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test(`no axe violation on a ${name}, before and after reading, teaching and training`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await openPage(page);
    expect(await violations(page)).toEqual([]);

    await drawWithMouse(page, DIGITS[4], { x: 0.3, y: 0.1, size: 0.8 });
    await expect(page.getByTestId('prediction')).toHaveText('4');
    await page.getByTestId('label-4').click();
    await expect(page.getByTestId('my-digits')).toHaveAttribute('data-count', '1');
    await drawWithMouse(page, DIGITS[7], { x: 0.3, y: 0.1, size: 0.8 });
    await page.getByTestId('train-preset').selectOption('tutorial-softmax');
    await page.getByTestId('train-steps').fill('50');
    await page.getByTestId('train-start').click();
    await expect(page.getByTestId('test-accuracy')).not.toBeEmpty({ timeout: 90_000 });
    await expect(page.getByTestId('saved-models').locator('li[data-model-id]')).toHaveCount(1);
    await page.getByTestId('adapt').click();  // too few digits: the message is shown
    await expect(page.getByTestId('adapt-status')).toContainText('more');
    expect(await violations(page)).toEqual([]);
  });
}

test('every control is reached with Tab, and the label buttons work from the keyboard', async ({ page }) => {
  await openPage(page);
  await drawWithMouse(page, DIGITS[3], { x: 0.3, y: 0.1, size: 0.8 });
  await page.getByTestId('label-3').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('my-digits')).toHaveAttribute('data-count', '1');
  await drawWithMouse(page, DIGITS[3], { x: 0.3, y: 0.1, size: 0.8 });
  await expect(page.getByTestId('label-3')).toBeEnabled();
  const controls = ['undo', 'clear', 'upload', 'model-select', 'guided', 'adapt', 'import-digits', 'clear-digits',
    'sample-label', 'sample-delete', 'train-preset', 'train-start', 'model-file', ...[...Array(10).keys()].map((n) => `label-${n}`)];
  const reached = new Set();
  await page.locator('body').focus();
  // Until every control has had the focus (past the last, Firefox moves it
  // out of the page).
  for (let i = 0; i < 150 && !controls.every((id) => reached.has(id)); i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => document.activeElement?.dataset?.testid ?? '');
    if (id) reached.add(id);
  }
  for (const id of controls) expect(reached, id).toContain(id);
});

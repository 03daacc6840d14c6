import { expect, test } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';

test('the URL hash restores the step after a reload', async ({ page }) => {
  const app = await new KubewirePage(page).open('#scenario=same-node&step=20');
  await expect(app.counter.locator('strong')).toHaveText('20');
  const explanation = await app.explanation.textContent();
  await app.stepForward();
  await expect(page).toHaveURL(/#scenario=same-node&step=21$/);
  await page.reload();
  await expect(app.counter.locator('strong')).toHaveText('21');
  await app.stepBack();
  await page.reload();
  await expect(app.counter.locator('strong')).toHaveText('20');
  await expect(app.explanation).toHaveText(explanation ?? '');
});

test('a step past the end gives a notice and step 0, never a blank page', async ({ page }) => {
  const app = await new KubewirePage(page).open('#scenario=same-node&step=9999');
  await expect(app.notice).toContainText('past the last step');
  await expect(app.counter.locator('strong')).toHaveText('0');
  await expect(app.topology).toContainText('pod-a');
});

test('a step that is not a number gives a notice and step 0', async ({ page }) => {
  const app = await new KubewirePage(page).open('#scenario=same-node&step=abc');
  await expect(app.notice).toContainText('not a number');
  await expect(app.counter.locator('strong')).toHaveText('0');
});

test('an unknown scenario falls back to the default with a notice', async ({ page }) => {
  const app = await new KubewirePage(page).open('#scenario=no-such-thing&step=4');
  await expect(app.notice).toContainText('no-such-thing');
  await expect(app.topology).toContainText('pod-b');
  await expect(page).toHaveURL(/#scenario=same-node&step=0$/);
  await app.button('Dismiss notice').click();
  await expect(app.notice).toHaveCount(0);
});

test('editing the hash by hand moves to that step', async ({ page }) => {
  const app = await new KubewirePage(page).open();
  await page.evaluate(() => (window.location.hash = '#scenario=same-node&step=12'));
  await expect(app.counter.locator('strong')).toHaveText('12');
});

test('a bad step in the link is replaced in the URL by the step shown', async ({ page }) => {
  const app = await new KubewirePage(page).open('#scenario=same-node&step=1e12');
  await expect(app.notice).toContainText('not a number');
  await expect(app.counter.locator('strong')).toHaveText('0');
  await expect(page).toHaveURL(/#scenario=same-node&step=0$/);
  await page.evaluate(() => (window.location.hash = '#scenario=same-node&step=999999'));
  await expect(app.notice).toContainText('past the last step');
  await expect(page).toHaveURL(/#scenario=same-node&step=0$/);
});

test('a good link after a bad one clears the stale notice', async ({ page }) => {
  const app = await new KubewirePage(page).open('#scenario=same-node&step=abc');
  await expect(app.notice).toContainText('not a number');
  await page.evaluate(() => (window.location.hash = '#scenario=same-node&step=7'));
  await expect(app.counter.locator('strong')).toHaveText('7');
  await expect(app.notice).toHaveCount(0);
});

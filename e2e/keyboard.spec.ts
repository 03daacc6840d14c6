import { expect, test } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';

test('arrow keys step and space plays and pauses', async ({ page }) => {
  const app = await new KubewirePage(page).open('#scenario=same-node&step=0');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(app.counter.locator('strong')).toHaveText('2');
  await page.keyboard.press('ArrowLeft');
  await expect(app.counter.locator('strong')).toHaveText('1');

  await page.keyboard.press('Space');
  await expect(app.button('Pause (space)')).toBeVisible();
  await expect.poll(() => app.currentStep(), { timeout: 5000 }).toBeGreaterThan(2);
  await page.keyboard.press('Space');
  await expect(app.button('Play (space)')).toBeVisible();
  const paused = await app.currentStep();
  await page.waitForTimeout(1500);
  expect(await app.currentStep()).toBe(paused);
});

test('space still plays after clicking a tab or a transport button', async ({ page }) => {
  const app = await new KubewirePage(page).open();
  await app.showTab('Routes');
  await app.stepForward();
  await page.keyboard.press('Space');
  await expect(app.button('Pause (space)')).toBeVisible();
  await page.keyboard.press('Space');
  await expect(app.button('Play (space)')).toBeVisible();
  // ← → after clicking a tab step the timeline rather than switching tabs.
  const at = await app.currentStep();
  await page.keyboard.press('ArrowRight');
  await expect(app.counter.locator('strong')).toHaveText(String(at + 1));
  await expect(page.getByRole('tab', { name: 'Routes' })).toHaveAttribute('aria-selected', 'true');
});

test('keys typed into the YAML editor do not move the timeline', async ({ page }) => {
  const app = await new KubewirePage(page).open('#scenario=same-node&step=3');
  await app.openEditor();
  await app.editor.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Space');
  await expect(app.counter.locator('strong')).toHaveText('3');
  await expect(app.button('Play (space)')).toBeVisible();
});

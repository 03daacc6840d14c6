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

test('[UI1] the headline is large, M and "More" show the full explanation, and the choice is kept', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=same-node&step=12');
  const headline = page.getByTestId('headline');
  expect(
    await headline.evaluate((el) => parseFloat(getComputedStyle(el).fontSize)),
  ).toBeGreaterThanOrEqual(22);
  // The headline is one line of at most 12 words (NAR1); the explanation is hidden until asked for.
  expect((await headline.textContent())!.trim().split(/\s+/).length).toBeLessThanOrEqual(12);
  await expect(app.explanation).toBeHidden();
  const more = app.button(/^More/);
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('m');
  await expect(app.explanation).toBeVisible();
  await expect(app.button(/^Less/)).toHaveAttribute('aria-expanded', 'true');
  // Longer than the headline, and not the same words.
  const [h, x] = [await headline.textContent(), await app.explanation.textContent()];
  expect(x!.length).toBeGreaterThan(h!.length);
  await page.reload();
  await expect(app.topology).toBeVisible({ timeout: 20_000 });
  await expect(app.explanation).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('kubewire-pref.narration-more'))).toBe(
    'true',
  );
  await app.button(/^Less/).click();
  await expect(app.explanation).toBeHidden();
  // The step list's details give the selected step's full explanation too.
  const details = page.locator('.step-details');
  await expect(details.locator('summary')).toContainText(`Step 12: ${h}`);
  await details.locator('summary').click();
  await expect(page.getByTestId('step-explanation')).toHaveText(x!);
});

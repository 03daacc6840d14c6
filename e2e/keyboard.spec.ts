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

test('[UI6] with the step list focused ↑/↓, PgUp/PgDn and Home/End move through it, as in Wireshark', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=same-node&step=12');
  const list = page.getByRole('listbox', { name: 'Steps' });
  await app.stepRows.nth(12).click();
  await expect(list).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(app.counter.locator('strong')).toHaveText('14');
  await expect(app.stepRows.nth(14)).toHaveAttribute('aria-selected', 'true');
  await expect(list).toHaveAttribute('aria-activedescendant', 'step-option-14');
  await page.keyboard.press('ArrowUp');
  await expect(app.counter.locator('strong')).toHaveText('13');
  // A page is the rows in view, less two for context: more than one step.
  await page.keyboard.press('PageDown');
  const paged = await app.currentStep();
  expect(paged).toBeGreaterThan(14);
  await page.keyboard.press('PageUp');
  await expect(app.counter.locator('strong')).toHaveText('13');
  await page.keyboard.press('End');
  const count = await app.stepRows.count();
  await expect(app.counter.locator('strong')).toHaveText(String(count - 1));
  // The selected row is scrolled into the list's view.
  const [row, box] = [await app.stepRows.nth(count - 1).boundingBox(), await list.boundingBox()];
  expect(row!.y + row!.height).toBeLessThanOrEqual(box!.y + box!.height + 1);
  await page.keyboard.press('Home');
  await expect(app.counter.locator('strong')).toHaveText('0');
  // Still the timeline's keys: → steps from the list too.
  await page.keyboard.press('ArrowRight');
  await expect(app.counter.locator('strong')).toHaveText('1');
});

test('[UI7] every row of the packet tree takes focus from the keys, and a leaf like TTL highlights its byte', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=same-node&step=0');
  await app.goToStep(await app.findStep(/Echo \(ping\) request/));
  const at = await app.currentStep();
  await app.showTab('Packet');
  const tree = page.getByRole('tree', { name: 'Packet details' });
  // One tab stop: Tab from the tab panel lands on the tree's first layer.
  await expect(tree.locator('[role=treeitem][tabindex="0"]')).toHaveCount(1);
  await tree.getByRole('treeitem', { name: /^Ethernet II/ }).focus();
  // Down through Ethernet's fields (layers start open) and IPv4's, to the TTL leaf.
  for (let i = 0; i < 30; i++) {
    if (((await page.locator(':focus').textContent()) ?? '').startsWith('Time to Live')) break;
    await page.keyboard.press('ArrowDown');
  }
  const ttl = page.locator(':focus');
  await expect(ttl).toHaveText('Time to Live: 64');
  await expect(ttl).toHaveAttribute('role', 'treeitem');
  // Its one byte, at offset 22 of the Ethernet frame (14 + 8), is 0x40 = 64, highlighted alone.
  await expect(app.hex.locator('.hex-bytes .hi')).toHaveText(['40']);
  await expect(app.hex.locator('.hex-bytes [data-o="22"]')).toHaveClass(/hi/);
  // ← on a leaf goes to its layer; ← again closes it; → opens it again.
  await page.keyboard.press('ArrowLeft');
  const ip = tree.getByRole('treeitem', { name: /^Internet Protocol Version 4/ });
  await expect(ip).toBeFocused();
  await expect(ip).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(ip).toHaveAttribute('aria-expanded', 'false');
  await expect(tree.getByRole('treeitem', { name: /^Time to Live/ })).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expect(ip).toHaveAttribute('aria-expanded', 'true');
  // The arrows moved through the tree, not the timeline.
  await expect(app.counter.locator('strong')).toHaveText(String(at));
});

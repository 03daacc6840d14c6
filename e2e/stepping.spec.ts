import { expect, test } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';

const POD_A = 'node-1/default/pod-a';
const MAC_A = '0a:58:0a:f4:00:02';
const MAC_B = '0a:58:0a:f4:00:03';

test('stepping forward changes the narration and fills the tables; stepping back empties them', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=same-node&step=0');
  // Picked, so the strip stays on it instead of following each hop's deciding table.
  await app.showTab('Neighbours');
  const neighA = app.table('neigh', POD_A);
  await expect(neighA).toContainText('no neighbours yet');

  // Walk forward until pod-a has resolved pod-b, checking the narration moves with every step.
  const narration = async () =>
    `${await page.locator('.narration-where').textContent()} ${await app.explanation.textContent()}`;
  let previous = await narration();
  let reachableAt = -1;
  for (let i = 1; i < 40 && reachableAt < 0; i++) {
    await app.stepForward();
    await expect(app.counter.locator('strong')).toHaveText(String(i));
    const now = await narration();
    expect(now, `narration at step ${i}`).not.toBe(previous);
    previous = now;
    if (/REACHABLE/.test((await neighA.textContent()) ?? '')) reachableAt = i;
  }
  expect(reachableAt).toBeGreaterThan(0);
  const row = neighA.locator('.terminal-row', { hasText: '10.244.0.3' });
  await expect(row).toContainText(`lladdr ${MAC_B}`);
  await expect(row).toContainText('REACHABLE');
  await expect(row.locator('.mark')).toHaveText('updated');

  await app.showTab('Bridge FDB');
  const fdb = app.table('fdb', 'node-1');
  for (const mac of [MAC_A, MAC_B]) {
    const learned = fdb.locator('.terminal-row', { hasText: mac }).filter({ hasText: 'learned' });
    await expect(learned).toHaveCount(1);
    await expect(learned).toContainText('master cni0');
  }

  // One step back: the neighbour entry is INCOMPLETE again, not REACHABLE.
  await app.showTab('Neighbours');
  await app.stepBack();
  await expect(neighA).not.toContainText('REACHABLE');
  await expect(neighA).toContainText('INCOMPLETE');

  // Back to the start: nothing learned anywhere.
  await app.button(/^First step/).click();
  await expect(neighA).toContainText('no neighbours yet');
  await app.showTab('Bridge FDB');
  await expect(fdb.locator('.pill.learned')).toHaveCount(0);
});

test('the step that learns a MAC marks the FDB row as added and the tab as changed', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open();
  const learn = await app.findStep(/cni0 learns 0a:58:0a:f4:00:02/);
  await app.goToStep(learn);
  await expect(page.getByRole('tab', { name: /Bridge FDB/ })).toHaveClass(/touched/);
  await app.showTab('Bridge FDB');
  const row = app.table('fdb', 'node-1').locator('.terminal-row.change-added');
  await expect(row).toContainText(MAC_A);
  await expect(row.locator('.mark')).toHaveText('added');
});

test('clicking a row in the step list selects that step', async ({ page }) => {
  const app = await new KubewirePage(page).open();
  await app.goToStep(5);
  await expect(app.stepRows.nth(5)).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(/step=5$/);
});

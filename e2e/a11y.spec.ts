/**
 * Accessibility as axe-core measures it (WCAG 2.1 A/AA rules), on the views a
 * student sees most: the default scenario mid-trace with each panel open, in
 * the light and the dark theme (the system's preference, and the header's toggle).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';

const tabs = ['Neighbours', 'Bridge FDB', 'Routes', 'IPAM', 'Packet'] as const;

async function violations(page: Page, where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${where}: ${v.id} (${v.impact}) ${v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1] ?? ''}`)
          .join(', ')}`,
    );
}

for (const scheme of ['light', 'dark'] as const)
  test(`no serious or critical axe violations on the default scenario, in any panel (${scheme} system theme)`, async ({
    page,
  }) => {
    // axe takes seconds per panel, and CI machines are shared: a budget, not a timing assertion.
    test.setTimeout(300_000);
    await page.emulateMedia({ colorScheme: scheme });
    const app = await new KubewirePage(page).open();
    await expect(page.getByRole('button', { name: 'Dark theme' })).toHaveAttribute(
      'aria-pressed',
      String(scheme === 'dark'),
    );
    await app.goToStep(await app.findStep(/\[SYN, ACK\]/));
    for (const tab of tabs) {
      await app.showTab(tab);
      expect(await violations(page, `${scheme} ${tab}`)).toEqual([]);
    }
  });

test('the dark theme chosen with the toggle passes axe on a Services scenario and is remembered', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.emulateMedia({ colorScheme: 'light' });
  const app = await new KubewirePage(page).open('#scenario=service-clusterip');
  await app.button('Dark theme').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  // What the user sees changes: the page's background is dark.
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(await bg()).toBe('rgb(14, 18, 25)');
  for (const tab of ['iptables', 'conntrack', 'Services'] as const) {
    await page.getByRole('tab', { name: tab }).click();
    await app.stepForward(4);
    expect(await violations(page, `dark toggle ${tab}`)).toEqual([]);
  }
  await page.reload();
  await expect(app.topology).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await bg()).toBe('rgb(14, 18, 25)');
  // Back to what the system shows: the choice is forgotten, the page follows the system again.
  await app.button('Dark theme').click();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  expect(await page.evaluate(() => localStorage.getItem('kubewire.theme'))).toBeNull();
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(bg).toBe('rgb(14, 18, 25)');
});

for (const scheme of ['light', 'dark'] as const)
  test(`[UI5] presenter mode has no serious or critical axe violations (${scheme})`, async ({
    page,
  }) => {
    test.setTimeout(300_000);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.emulateMedia({ colorScheme: scheme });
    const app = await new KubewirePage(page).open('#scenario=cross-node-vxlan&step=0');
    const encap = await app.findStep(/VXLAN VNI 1 →/);
    await app.button('Present').click();
    await expect(page.locator('.presenter-main')).toBeVisible();
    await app.goToStepByKeys(encap);
    await page.keyboard.press('m'); // the explanation too
    await page.mouse.move(400, 300); // and the laser
    for (const key of ['1', '2', '3']) {
      await page.keyboard.press(key);
      expect(await violations(page, `${scheme} presenter ${key}`)).toEqual([]);
    }
  });

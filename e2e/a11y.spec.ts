/**
 * Accessibility as axe-core measures it (WCAG 2.1 A/AA rules), on the views a
 * student sees most: the default scenario mid-trace with each panel open.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';

const tabs = ['Neighbours', 'Bridge FDB', 'Routes', 'IPAM', 'Packet'] as const;

test('no serious or critical axe violations on the default scenario, in any panel', async ({
  page,
}) => {
  // axe takes seconds per panel, and CI machines are shared: a budget, not a timing assertion.
  test.setTimeout(300_000);
  const app = await new KubewirePage(page).open();
  await app.goToStep(await app.findStep(/\[SYN, ACK\]/));
  for (const tab of tabs) {
    await app.showTab(tab);
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    const bad = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${tab}: ${v.id} (${v.impact}) ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(', ')}`,
      );
    expect(bad).toEqual([]);
  }
});

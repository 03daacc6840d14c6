/**
 * Big clusters with Services on the topology, into test-results/gallery/ for a human to
 * compare before and after a drawing change (KUBEWIRE_SHOTS_LABEL names the set, e.g.
 * `before`): a 200-pod cluster with 200 Services at the map's zoom, stepped to a NAT, and
 * followed into its detail; and the bench's Services cluster (2 501 pods, 2 000 Services)
 * at the three window sizes.
 */
import { expect, test, type Page } from '@playwright/test';
import { servicesScenario } from '../sim-core/bench/services-scenario.ts';
import { KubewirePage } from './pages/KubewirePage.ts';
import { SHOT_SIZES } from './pages/gallery.ts';

const LABEL = process.env.KUBEWIRE_SHOTS_LABEL ?? 'now';
const shot = (what: string, size: { width: number; height: number }) =>
  `test-results/gallery/topo-perf-${what}-${size.width}x${size.height}-${LABEL}.png`;

async function openText(page: Page, text: string, pods: number): Promise<KubewirePage> {
  await page.addInitScript((t) => window.localStorage.setItem('kubewire:custom', t), text);
  await page.goto('/#scenario=custom');
  await page
    .getByRole('group', { name: new RegExp(`${pods} pod\\(s\\)`) })
    .waitFor({ timeout: 300_000 });
  return new KubewirePage(page);
}

/** Steps forward until the step list's selected row matches `summary`. */
async function stepTo(app: KubewirePage, summary: RegExp): Promise<void> {
  const selected = app.page.locator('.step-list tr[aria-selected="true"] td.summary');
  for (let i = 0; i < 400 && !summary.test((await selected.textContent()) ?? ''); i++)
    await app.page.keyboard.press('ArrowRight');
  await expect(selected).toHaveText(summary);
}

for (const size of SHOT_SIZES) {
  test(`a 200-pod cluster with Services at ${size.width}×${size.height}`, async ({ page }) => {
    test.setTimeout(300_000);
    await page.setViewportSize(size);
    const text = servicesScenario({
      nodes: 10,
      deployments: 40,
      replicas: 5,
      services: 200,
      mode: 'iptables',
      targets: [0, 199],
    });
    const app = await openText(page, text, 201);
    await page.waitForTimeout(1000);
    await page.screenshot({ path: shot('mid-open', size) });
    await stepTo(app, /DNAT/);
    await page.waitForTimeout(1500);
    await page.screenshot({ path: shot('mid-dnat', size) });
    await app.button('Follow').click();
    await page.waitForTimeout(1500);
    await page.locator('.topology-frame').screenshot({ path: shot('mid-follow', size) });
    await app.button('Follow').click();
    await app.button('Reset zoom').click();
    await page.locator('[data-testid="vip"]').first().hover();
    await page.waitForTimeout(500);
    await page.locator('.topology-frame').screenshot({ path: shot('mid-vip-open', size) });
  });
}

test('the Services bench cluster at three sizes', async ({ page }) => {
  test.setTimeout(600_000);
  const text = servicesScenario({
    nodes: 50,
    deployments: 500,
    replicas: 5,
    services: 2_000,
    mode: 'iptables',
    targets: [0, 1_000, 1_999],
  });
  const app = await openText(page, text, 2_501);
  await stepTo(app, /DNAT/);
  for (const size of SHOT_SIZES) {
    await page.setViewportSize(size);
    await page.waitForTimeout(1500);
    await page.screenshot({ path: shot('services', size) });
  }
});

/**
 * Services on the topology at three window sizes, into test-results/gallery/ for a
 * human to look at: the VIP badges with one open, the DNAT and the reply's un-DNAT
 * with the inspector's before/after, NodePort from the laptop, IPVS's kube-ipvs0,
 * and a Service with 120 endpoints.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { createSimulation } from '../sim-core/index.ts';
import { KubewirePage } from './pages/KubewirePage.ts';
import { SHOT_SIZES, galleryPath, seekByHash } from './pages/gallery.ts';

/** A step's index from the simulation itself: a long trace's step list shows only rows in view. */
function stepOf(scenario: string, summary: RegExp): number {
  const text = readFileSync(
    new URL(`../public/scenarios/${scenario}.yaml`, import.meta.url),
    'utf8',
  );
  const result = createSimulation(text);
  if (!result.ok) throw new Error(`${scenario}: ${result.errors[0]?.message}`);
  const i = result.sim.steps.findIndex((s) => summary.test(s.summary));
  expect(i, `${scenario}: a step matching ${summary}`).toBeGreaterThanOrEqual(0);
  return i;
}

for (const size of SHOT_SIZES) {
  test(`services at ${size.width}×${size.height}`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.setViewportSize(size);
    const name = (what: string) => galleryPath(what, size);
    const topo = page.locator('.topology-frame');
    const app = await new KubewirePage(page).open(
      `#scenario=service-clusterip&step=${stepOf('service-clusterip', /nat PREROUTING: DNAT/)}`,
    );
    await app.showTab('Packet');
    await page.waitForTimeout(2000);
    await page.screenshot({ path: name('services-dnat') });
    await topo.screenshot({ path: name('services-dnat-topology') });
    await page.locator('[data-service="default/web"]').focus();
    await page.waitForTimeout(200);
    await topo.screenshot({ path: name('services-vip-open') });
    await seekByHash(page, stepOf('service-clusterip', /conntrack un-NATs source/));
    await page.waitForTimeout(2000);
    await page.screenshot({ path: name('services-undnat') });
    // Leave the badge: its endpoints list would stay open in the next pictures.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

    await app.open(
      `#scenario=service-nodeport&step=${stepOf('service-nodeport', /40904 → 30080 \[SYN\]/)}`,
    );
    await page.waitForTimeout(2000);
    await page.screenshot({ path: name('services-nodeport-laptop') });
    await seekByHash(page, stepOf('service-nodeport', /MASQUERADE/));
    await page.waitForTimeout(2000);
    await topo.screenshot({ path: name('services-nodeport-masquerade') });

    await app.open(`#scenario=service-ipvs&step=${stepOf('service-ipvs', /IPVS masquerades/)}`);
    await page.waitForTimeout(2000);
    await page.screenshot({ path: name('services-ipvs') });

    await app.open(
      `#scenario=service-many-endpoints&step=${stepOf('service-many-endpoints', /nat PREROUTING: DNAT/)}`,
    );
    await page.locator('[data-testid="vip"]').last().hover();
    await page.waitForTimeout(2000);
    await page.screenshot({ path: name('services-many-endpoints') });
  });
}

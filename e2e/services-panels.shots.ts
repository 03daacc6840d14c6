/**
 * The Services half's panels at three window sizes, into test-results/gallery/ for a human
 * to look at: the iptables tree at a Service's DNAT, the EndpointSlice written, IPVS's pick,
 * the Scaling chart, and the 370-rule table of service-many-endpoints.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createSimulation } from '../sim-core/index.ts';
import { KubewirePage } from './pages/KubewirePage.ts';
import { SHOT_SIZES, galleryPath, seekByHash } from './pages/gallery.ts';

/** A step of a built-in by its summary, found in the simulation (the step list is windowed). */
function stepOf(scenario: string, summary: RegExp): number {
  const r = createSimulation(readFileSync(`public/scenarios/${scenario}.yaml`, 'utf8'));
  if (!r.ok) throw new Error(`${scenario} does not load`);
  const i = r.sim.steps.findIndex((s) => summary.test(s.summary));
  if (i < 0) throw new Error(`no step ${summary} in ${scenario}`);
  return i;
}

/** Another scenario: a hash change alone keeps the old step list a moment; load afresh. */
async function reopen(page: Page, hash: string) {
  await page.goto(`about:blank`);
  return new KubewirePage(page).open(hash);
}

for (const size of SHOT_SIZES) {
  test(`services panels at ${size.width}×${size.height}`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.setViewportSize(size);
    const name = (what: string) => galleryPath(what, size);
    let app = await new KubewirePage(page).open('#scenario=service-clusterip');
    await seekByHash(page, await app.findStep(/nat PREROUTING: DNAT/));
    await page.waitForTimeout(300);
    await page.screenshot({ path: name('svc-iptables-tree') });
    await page.getByTestId('iptables-node-1').screenshot({ path: name('svc-iptables-card') });
    await seekByHash(page, await app.findStep(/EndpointSlice web-\w+: create/));
    await page.waitForTimeout(200);
    await page.screenshot({ path: name('svc-endpointslices') });
    await page.getByRole('tab', { name: /^Services/ }).click();
    await page.screenshot({ path: name('svc-services') });
    await page.getByRole('tab', { name: /^Scaling/ }).click();
    await expect(page.getByText('Computing the larger clusters…')).toHaveCount(0, {
      timeout: 120_000,
    });
    await page.screenshot({ path: name('svc-scaling') });

    app = await reopen(page, '#scenario=service-ipvs');
    await seekByHash(page, await app.findStep(/IPVS rr:/));
    await page.waitForTimeout(200);
    await page.screenshot({ path: name('svc-ipvs') });

    app = await reopen(page, '#scenario=service-many-endpoints');
    await seekByHash(page, stepOf('service-many-endpoints', /nat PREROUTING: DNAT/));
    await page.waitForTimeout(300);
    await page.screenshot({ path: name('svc-many-endpoints') });
  });
}

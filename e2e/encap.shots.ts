/**
 * The VXLAN encap and decap steps and a ClusterIP DNAT, at three window sizes, into
 * test-results/gallery/ for a human to look at: the inspector's before and after, the
 * packet's envelope, the table that decided the hop.
 */
import { test } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';
import { SHOT_SIZES, galleryPath, seekByHash } from './pages/gallery.ts';

for (const size of SHOT_SIZES) {
  test(`encap, decap and DNAT at ${size.width}×${size.height}`, async ({ page }) => {
    await page.setViewportSize(size);
    const name = (what: string) => galleryPath(what, size);
    const app = await new KubewirePage(page).open('#scenario=cross-node-vxlan&step=0');
    const encap = await app.findStep(/VXLAN VNI 1 →/);
    await seekByHash(page, encap);
    await page.waitForTimeout(300);
    await page.screenshot({ path: name('encap-table') });
    await app.showTab('Packet');
    await page.waitForTimeout(300);
    await page.screenshot({ path: name('encap-packet') });
    await seekByHash(page, await app.findStep(/decapsulated from/));
    await app.showTab('Packet');
    await page.waitForTimeout(300);
    await page.screenshot({ path: name('decap-packet') });
    await seekByHash(page, await app.findStep(/switch forwards/));
    await page.waitForTimeout(300);
    await page.screenshot({ path: name('fdb-forward') });
    const cip = await new KubewirePage(page).open('#scenario=clusterip&step=0');
    await seekByHash(page, await cip.findStep(/DNAT/));
    await cip.showTab('Packet');
    await page.waitForTimeout(300);
    await page.screenshot({ path: name('dnat-packet') });
  });
}

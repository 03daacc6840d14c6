/**
 * The VXLAN encap and decap steps and a ClusterIP DNAT, at three window sizes, into
 * test-results/gallery/ for a human to look at: the inspector's before and after, the
 * packet's envelope, the table that decided the hop.
 */
import { expect, test, type Page } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';

async function seek(page: Page, index: number) {
  await page.evaluate((i) => {
    window.location.hash = window.location.hash.replace(/step=\d+/, `step=${i}`);
  }, index);
  await expect(page.getByRole('status', { name: 'Current step' }).locator('strong')).toHaveText(
    String(index),
  );
}

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1280, height: 720 },
  { width: 800, height: 500 },
] as const;

for (const size of SIZES) {
  test(`encap, decap and DNAT at ${size.width}×${size.height}`, async ({ page }) => {
    await page.setViewportSize(size);
    const name = (what: string) => `test-results/gallery/${what}-${size.width}x${size.height}.png`;
    const app = await new KubewirePage(page).open('#scenario=cross-node-vxlan&step=0');
    const encap = await app.findStep(/VXLAN VNI 1 →/);
    await seek(page, encap);
    await page.waitForTimeout(300);
    await page.screenshot({ path: name('encap-table') });
    await app.showTab('Packet');
    await page.waitForTimeout(300);
    await page.screenshot({ path: name('encap-packet') });
    await seek(page, await app.findStep(/decapsulated from/));
    await app.showTab('Packet');
    await page.waitForTimeout(300);
    await page.screenshot({ path: name('decap-packet') });
    await seek(page, await app.findStep(/switch forwards/));
    await page.waitForTimeout(300);
    await page.screenshot({ path: name('fdb-forward') });
    const cip = await new KubewirePage(page).open('#scenario=clusterip&step=0');
    await seek(page, await cip.findStep(/DNAT/));
    await cip.showTab('Packet');
    await page.waitForTimeout(300);
    await page.screenshot({ path: name('dnat-packet') });
  });
}

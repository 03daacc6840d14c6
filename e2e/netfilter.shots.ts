/**
 * The iptables, conntrack and Sockets panels at the ClusterIP DNAT, at three window
 * sizes, into test-results/gallery/ for a human to look at.
 */
import { test } from '@playwright/test';
import { openClusterIp } from './pages/clusterip.ts';
import { KubewirePage } from './pages/KubewirePage.ts';
import { SHOT_SIZES, galleryPath, seekByHash } from './pages/gallery.ts';

for (const size of SHOT_SIZES) {
  test(`netfilter panels at ${size.width}×${size.height}`, async ({ page }) => {
    await page.setViewportSize(size);
    const app = await openClusterIp(page);
    const name = (what: string) => galleryPath(what, size);
    await seekByHash(page, await app.findStep(/nat PREROUTING: DNAT/));
    await page.getByRole('tab', { name: 'iptables' }).click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: name('iptables-dnat') });
    await page
      .getByTestId(/^iptables-/)
      .first()
      .screenshot({ path: name('iptables-card') });
    await page.getByRole('button', { name: 'iptables-save' }).click();
    await page.screenshot({ path: name('iptables-save') });
    await page.getByRole('button', { name: '-L -v -n' }).click();
    await seekByHash(page, await app.findStep(/conntrack confirms/));
    await page.getByRole('tab', { name: 'conntrack' }).click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: name('conntrack-confirm') });
    await seekByHash(page, await app.findStep(/conntrack un-NATs/));
    await page.screenshot({ path: name('conntrack-unnat') });
    await page.getByRole('tab', { name: 'Sockets' }).click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: name('sockets') });
  });
}

test('netfilter panels: hairpin MASQUERADE and no br_netfilter', async ({ page }) => {
  const app = await new KubewirePage(page).open('#scenario=clusterip-hairpin&step=0');
  const name = (what: string) => `test-results/gallery/${what}-1440x900.png`;
  await seekByHash(page, await app.findStep(/nat POSTROUTING: MASQUERADE/));
  await app.showTab('iptables');
  await page.waitForTimeout(300);
  await page.screenshot({ path: name('iptables-hairpin-masquerade') });
  await seekByHash(page, await app.findStep(/conntrack confirms/));
  await app.showTab('conntrack');
  await page.screenshot({ path: name('conntrack-hairpin') });
  await app.open('#scenario=clusterip-no-br-netfilter&step=0');
  await seekByHash(page, await app.findStep(/nat PREROUTING: DNAT/));
  await app.showTab('iptables');
  await page.waitForTimeout(300);
  await page.screenshot({ path: name('iptables-no-br-netfilter') });
  await app.open('#scenario=cross-node-vxlan&step=0');
  await seekByHash(page, await app.findStep(/VXLAN VNI 1/));
  await app.showTab('Sockets');
  await page.waitForTimeout(300);
  await page.screenshot({ path: name('sockets-vxlan') });
  await app.showTab('conntrack');
  await page.screenshot({ path: name('conntrack-empty') });
});

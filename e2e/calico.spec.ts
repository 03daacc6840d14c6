/**
 * Calico's panels (issue 8): the BIRD tab with birdcl's sessions and routes, and the IPAM
 * tab showing calico-ipam's blocks instead of host-local's files; axe in light and dark;
 * screenshots at the three sizes into test-results/gallery/.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';
import { SHOT_SIZES, galleryPath } from './pages/gallery.ts';

test('[CAL11] a Calico BGP cluster has a BIRD tab: the mesh session Established and the peer block learned from it', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=calico-bgp');
  await app.goToStep(await app.findStep(/Echo \(ping\) reply/));
  await page.getByRole('tab', { name: 'BIRD' }).click();
  const protocols = page.getByTestId('bird-protocols-node-1');
  await expect(protocols).toContainText('birdcl show protocols');
  await expect(protocols).toContainText(/Mesh_172_18_0_11 BGP\s+master\s+up\s+\S+\s+Established/);
  await expect(page.getByTestId('bird-route-node-1')).toContainText(
    '10.244.0.64/26     via 172.18.0.11 on eth0 [Mesh_172_18_0_11',
  );
  await expect(page.getByTestId('bird-route-node-2')).toContainText('blackhole [static1');
});

test('[CAL12] the IPAM tab shows calico-ipam: calicoctl ipam show --show-blocks and each block’s allocations', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=calico-ipip');
  await app.goToStep(await app.findStep(/Echo \(ping\) reply/));
  await page.getByRole('tab', { name: 'IPAM' }).click();
  await expect(page.getByTestId('ipam-show-blocks')).toContainText(
    '| Block    | 10.244.0.64/26 |        64 | 2 (3%)     | 62 (97%)     |',
  );
  const n1 = page.getByTestId('ipam-node-1');
  await expect(n1).toContainText('affinity host:node-1');
  await expect(n1).toContainText('ipip-tunnel-addr-node-1');
  await expect(n1).toContainText('pod=pod-a');
  // flannel keeps host-local's files and has no BIRD tab.
  await new KubewirePage(page).open('#scenario=cross-node-vxlan');
  await expect(page.getByRole('tab', { name: 'BIRD' })).toHaveCount(0);
});

for (const scheme of ['light', 'dark'] as const)
  test(`the BIRD and Calico IPAM tabs pass axe (${scheme})`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: scheme });
    const app = await new KubewirePage(page).open('#scenario=calico-bgp');
    await app.goToStep(await app.findStep(/Echo \(ping\) reply/));
    for (const tab of ['BIRD', 'IPAM'] as const) {
      await page.getByRole('tab', { name: tab }).click();
      const result = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      const bad = result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${tab}: ${v.id} ${v.nodes[0]?.target.join(' ')}`);
      expect(bad).toEqual([]);
    }
  });

test('Calico panels at three window sizes (gallery)', async ({ page }) => {
  test.setTimeout(180_000);
  for (const size of SHOT_SIZES) {
    await page.setViewportSize(size);
    const app = await new KubewirePage(page).open('#scenario=calico-bgp');
    await app.goToStep(await app.findStep(/Echo \(ping\) reply/));
    await page.getByRole('tab', { name: 'BIRD' }).click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: galleryPath('calico-bird', size) });
    await page.getByRole('tab', { name: 'IPAM' }).click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: galleryPath('calico-ipam', size) });
  }
});

/**
 * Cilium's BPF maps tab (issue 8): cilium bpf endpoint list / ipcache list / lb list per
 * node, shown by itself at a step an eBPF program decided, with the row it looked up
 * marked; axe in light and dark; screenshots at the three sizes into test-results/gallery/.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';
import { SHOT_SIZES, galleryPath } from './pages/gallery.ts';

test('[CIL19] at cil_from_container sending into the tunnel, the BPF maps tab opens on its own with the ipcache prefix it read marked', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=cilium-vxlan');
  await app.goToStep(await app.findStep(/cil_from_container on lxc\w+: tunnel/));
  await expect(page.getByRole('tab', { name: /BPF maps/ })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  const ipcache = page.getByTestId('bpf-ipcache-node-1');
  await expect(ipcache).toContainText('cilium bpf ipcache list');
  await expect(ipcache).toContainText('IP PREFIX/ADDRESS');
  const read = ipcache.locator('.change-read');
  await expect(read).toHaveCount(1);
  await expect(read).toContainText(/tunnelendpoint=172\.18\.0\.11 flags=hastunnel/);
  await expect(page.getByTestId('bpf-endpoint-node-1')).toContainText('(localhost)');
  // No service map without kubeProxyReplacement.
  await expect(page.getByTestId('bpf-lb-node-1')).toHaveCount(0);
  // flannel has no BPF maps tab.
  await new KubewirePage(page).open('#scenario=cross-node-vxlan');
  await expect(page.getByRole('tab', { name: /BPF maps/ })).toHaveCount(0);
});

test('[CIL20] at cil_sock4_connect the service map is shown with the frontend it translated marked', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=cilium-socket-lb');
  await app.goToStep(await app.findStep(/cil_sock4_connect: .* → /));
  await expect(page.getByRole('tab', { name: /BPF maps/ })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  const lb = page.getByTestId('bpf-lb-node-1');
  await expect(lb).toContainText('cilium bpf lb list');
  await expect(lb).toContainText('SERVICE ADDRESS');
  const read = lb.locator('.change-read');
  // The frontend's slot 0 and its three backend slots.
  await expect(read).toHaveCount(4);
  await expect(read.first()).toContainText(
    /:80\/TCP\s+0\.0\.0\.0:0 \(2\) \(0\) \[ClusterIP, non-routable\]/,
  );
});

for (const scheme of ['light', 'dark'] as const)
  test(`the BPF maps tab passes axe (${scheme})`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: scheme });
    const app = await new KubewirePage(page).open('#scenario=cilium-socket-lb');
    await app.goToStep(await app.findStep(/cil_sock4_connect: .* → /));
    await page.getByRole('tab', { name: /BPF maps/ }).click();
    await expect(page.getByTestId('bpf-lb-node-1')).toBeVisible();
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    const bad = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} ${v.nodes[0]?.target.join(' ')}`);
    expect(bad).toEqual([]);
  });

test('the BPF maps tab at three window sizes (gallery)', async ({ page }) => {
  test.setTimeout(180_000);
  for (const size of SHOT_SIZES) {
    await page.setViewportSize(size);
    const app = await new KubewirePage(page).open('#scenario=cilium-socket-lb');
    await app.goToStep(await app.findStep(/cil_sock4_connect: .* → /));
    await page.getByRole('tab', { name: /BPF maps/ }).click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: galleryPath('cilium-bpf-maps', size) });
  }
});

/**
 * Issue 9 items 1–2 as a student meets them: at the VXLAN encap step the inspector shows the
 * frame before (98 bytes, as on the pod's side of the reference capture) and after (148, as
 * on the node network), the packet wears its envelope from encap to decap, the FDB tab comes
 * up by itself at a forwarding step with the deciding row marked, and a ClusterIP DNAT shows
 * the destination old → new.
 */
import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { KubewirePage } from './pages/KubewirePage.ts';
import { seekByHash } from './pages/gallery.ts';

const open = (page: Page) => new KubewirePage(page).open('#scenario=cross-node-vxlan&step=0');

test('at the encap step: the FDB row that decided it, then both frames and the envelope', async ({
  page,
}) => {
  const app = await open(page);
  const encap = await app.findStep(/VXLAN VNI 1 →/);
  await seekByHash(page, encap);
  // The table that decided the hop is shown without a click: flannel.1's fdb entry naming node-2.
  await expect(page.getByRole('tab', { name: /Bridge FDB/ })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  const vtep = page.getByTestId('fdb-node-1-flannel.1');
  await expect(vtep).toContainText('bridge fdb show dev flannel.1');
  const row = vtep.locator('.terminal-row.change-read');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('6e:00:0a:f4:01:00 dst 192.168.1.11 self permanent');
  // A lookup, not a change: the tab carries a ring.
  await expect(page.getByRole('tab', { name: /Bridge FDB/ }).locator('.tab-dot.read')).toHaveCount(
    1,
  );

  await app.showTab('Packet');
  const pair = page.getByTestId('inspector-pair');
  await expect(pair).toHaveAttribute('data-kind', 'encap');
  const before = page.getByRole('tree', { name: 'Frame before' });
  const after = page.getByRole('tree', { name: 'Frame after' });
  await expect(before).toContainText('98 bytes');
  await expect(after).toContainText('148 bytes (+50 bytes');
  // The four outer headers are marked added; the inner frame's three are not.
  const added = after.locator('.tree-row.layer.added');
  await expect(added).toHaveCount(4);
  await expect(added.nth(2)).toContainText('User Datagram Protocol');
  await expect(added.nth(2)).toContainText('8472');
  await expect(added.nth(3)).toContainText('Virtual eXtensible Local Area Network');
  await expect(after.locator('.tree-row.layer:not(.added)')).toContainText([
    'Ethernet II',
    'Internet Protocol Version 4, Src: 10.244.0.2',
    'Internet Control Message Protocol',
  ]);
  // The glyph wears its envelope, labelled with the tunnel.
  const packet = app.overlay.locator('.packet');
  await expect(packet).toHaveAttribute('data-envelope', 'gain');
  await expect(packet.locator('.envelope')).toBeVisible();
  await expect(packet.locator('.envelope text')).toHaveText('VXLAN · UDP 8472');

  const axe = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    axe.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
});

test('at the decap step the envelope comes off and the headers show as stripped', async ({
  page,
}) => {
  const app = await open(page);
  await seekByHash(page, await app.findStep(/decapsulated from/));
  const packet = app.overlay.locator('.packet');
  await expect(packet).toHaveAttribute('data-envelope', 'lose');
  // At the end of the step (a seek shows the end) the envelope is gone.
  await expect(packet.locator('.envelope')).toBeHidden();
  await app.showTab('Packet');
  await expect(page.getByRole('tree', { name: 'Frame before' })).toContainText('148 bytes');
  await expect(page.getByRole('tree', { name: 'Frame after' })).toContainText('98 bytes');
  await expect(
    page.getByRole('tree', { name: 'Frame before' }).locator('.tree-row.layer.removed'),
  ).toHaveCount(4);
  // Between encap and decap the envelope travels with the packet.
  await seekByHash(page, await app.findStep(/switch forwards port-node-1/));
  await expect(packet).toHaveAttribute('data-envelope', 'kept');
});

test('at an FDB-forward step the FDB tab marks the forwarding row', async ({ page }) => {
  const app = await open(page);
  await seekByHash(page, await app.findStep(/cni0 → local stack/));
  // No tab picked yet: the strip follows the packet to the table that decided the hop.
  await expect(page.getByRole('tab', { name: /Bridge FDB/ })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  // cni0's own address: the bridge hands the frame up to node-1's stack.
  const row = app.table('fdb', 'node-1').locator('.terminal-row.change-read');
  await expect(row).toContainText('0a:58:0a:f4:00:01 dev cni0 master cni0 permanent');
  // On the node network the switch's MAC table decides.
  await seekByHash(page, await app.findStep(/switch forwards port-node-1/));
  await expect(app.table('fdb', '@network').locator('.terminal-row.change-read')).toContainText(
    '52:54:00:a8:01:0b dev port-node-2',
  );
  // A tab the user picks (here pinned too) stays.
  await app.showTab('Routes');
  await page.getByRole('button', { name: 'Pin the tab' }).click();
  await seekByHash(page, await app.findStep(/cni0 → local stack/));
  await expect(page.getByRole('tab', { name: 'Routes' })).toHaveAttribute('aria-selected', 'true');
});

test('on the ClusterIP built-in the DNAT step shows the destination old → new', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=clusterip&step=0');
  await seekByHash(page, await app.findStep(/nat PREROUTING: DNAT/));
  await expect(app.overlay.getByTestId('nat-swap')).toContainText('10.96.0.50:80');
  await expect(app.overlay.getByTestId('nat-swap')).toContainText('→ 10.244.0.3:8080');
  await app.showTab('Packet');
  const before = page.getByRole('tree', { name: 'Packet before the rewrite' });
  const after = page.getByRole('tree', { name: 'Packet after the rewrite' });
  await expect(
    before.locator('.tree-row.changed', { hasText: 'Destination Address' }),
  ).toContainText('10.96.0.50');
  await expect(
    after.locator('.tree-row.changed', { hasText: 'Destination Address' }),
  ).toContainText('10.244.0.3');
});

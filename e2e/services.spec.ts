/**
 * Services on the topology: the VIP badge of a ClusterIP Service, its
 * endpoints on focus, the DNAT seen happening (the packet's destination
 * swapped, a line from the VIP to the chosen endpoint), the inspector's
 * before and after, the reply's un-DNAT swapping the source back, and a
 * machine outside the cluster (NodePort from a laptop) drawn on the node
 * network with the packet starting there.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';

const ENDPOINT = /^10\.244\.\d+\.\d+:8080$/;

async function openServiceClusterIp(page: Page) {
  const app = await new KubewirePage(page).open('#scenario=service-clusterip&step=0');
  const web = page.locator('[data-testid="vip"][data-service="default/web"]');
  await expect(web).toBeVisible();
  const address = (await web.locator('.vip-address').textContent()) ?? '';
  expect(address).toMatch(/^10\.\d+\.\d+\.\d+:80\/TCP$/);
  return { app, web, vip: address.replace('/TCP', '') };
}

test('a ClusterIP Service is a VIP badge of its own, with its endpoints on focus', async ({
  page,
}) => {
  const { app, web } = await openServiceClusterIp(page);
  // The badge is in the Services band, not inside any node.
  await expect(page.locator('.node [data-testid="vip"]')).toHaveCount(0);
  await expect(web.locator('.vip-type')).toHaveText('ClusterIP');
  // The API server allocated the ClusterIP at load; the EndpointSlice controller writes later.
  await expect(web.locator('.vip-count')).toHaveText('no endpoints');
  await app.goToStep(await app.findStep(/EndpointSlice web-\w+: create, 3 endpoints/));
  await expect(web.locator('.vip-count')).toHaveText('3 endpoints');
  await expect(page.locator('[data-service="default/kubernetes"]')).toHaveClass(/quiet/);

  await web.focus();
  await expect(web).toHaveAttribute('aria-expanded', 'true');
  const rows = page.locator('.vip-list-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: 'node-1' })).toHaveCount(2);
  await expect(rows.filter({ hasText: 'node-2' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'ready' })).toHaveCount(3);
  await expect(page.locator('.endpoint-ring')).toHaveCount(3);
  await page.keyboard.press('Escape');
  await expect(page.locator('.vip-list')).toHaveCount(0);
});

test('the DNAT swaps the destination, ties the VIP to the endpoint, and the inspector shows before and after', async ({
  page,
}) => {
  const { app, vip } = await openServiceClusterIp(page);
  const dnat = await app.findStep(/nat PREROUTING: DNAT/);
  // A step before: no swap yet.
  await app.goToStep(dnat - 1);
  await expect(page.getByTestId('nat-swap')).toHaveCount(0);

  await app.goToStep(dnat);
  const swap = page.getByTestId('nat-swap');
  await expect(swap).toHaveAttribute('data-what', 'destination');
  await expect(swap.locator('.nat-old .nat-addr')).toHaveText(vip);
  const endpoint = ((await swap.locator('.nat-new').textContent()) ?? '').replace('→', '').trim();
  expect(endpoint).toMatch(ENDPOINT);
  await expect(page.getByTestId('nat-link')).toHaveCount(1);
  await expect(page.getByTestId('nat-link')).not.toHaveClass(/reply/);

  await app.showTab('Packet');
  await expect(page.getByTestId('inspector-pair')).toBeVisible();
  const before = page.getByRole('tree', { name: 'Packet before the rewrite' });
  const after = page.getByRole('tree', { name: 'Packet after the rewrite' });
  const vipIp = vip.replace(/:\d+$/, '');
  const epIp = endpoint.replace(/:\d+$/, '');
  await expect(before.locator('.tree-row.changed', { hasText: 'Destination Address' })).toHaveText(
    new RegExp(`Destination Address: ${vipIp.replace(/\./g, '\\.')}$`),
  );
  await expect(after.locator('.tree-row.changed', { hasText: 'Destination Address' })).toHaveText(
    new RegExp(`Destination Address: ${epIp.replace(/\./g, '\\.')}$`),
  );
  // The source is not rewritten by a DNAT.
  await expect(after.locator('.tree-row.changed', { hasText: 'Source Address' })).toHaveCount(0);
  await expect(
    after.locator('.tree-row.changed', { hasText: 'Destination Port: 8080' }),
  ).toHaveCount(1);
  await expect(page.getByTestId('hex').locator('.hex-bytes span.diff').first()).toBeVisible();

  // The reply: conntrack un-DNATs the source back to the VIP.
  await app.goToStep(await app.findStep(/conntrack un-NATs source/, dnat));
  await expect(swap).toHaveAttribute('data-what', 'source');
  await expect(swap.locator('.nat-old .nat-addr')).toHaveText(endpoint);
  await expect(swap.locator('.nat-new')).toHaveText(`→ ${vip}`);
  await expect(page.getByTestId('nat-link')).toHaveClass(/reply/);
  await expect(before.locator('.tree-row.changed', { hasText: 'Source Address' })).toHaveText(
    new RegExp(`Source Address: ${epIp.replace(/\./g, '\\.')}$`),
  );
  await expect(after.locator('.tree-row.changed', { hasText: 'Source Address' })).toHaveText(
    new RegExp(`Source Address: ${vipIp.replace(/\./g, '\\.')}$`),
  );
});

test('NodePort from a laptop: the laptop is a machine on the node network, and the packet starts there', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=service-nodeport&step=0');
  const laptop = page.locator('[data-external="laptop"]');
  await expect(laptop).toBeVisible();
  await expect(laptop).toContainText('outside the cluster');
  await expect(laptop.locator('.chip')).toContainText('eth0');
  await expect(laptop.locator('.chip')).toContainText('192.168.1.50/24');
  await expect(page.locator('[data-service="default/web"] .vip-type')).toHaveText('NodePort 30080');

  // The laptop's first frame (its ARP request) leaves its eth0 for the switch port.
  await app.goToStep(await app.findStep(/Who has 192\.168\.1\.10\? Tell 192\.168\.1\.50/));
  const box = laptop.locator('.external-box');
  const [x, y, w, h] = await Promise.all(
    ['x', 'y', 'width', 'height'].map(async (a) => Number(await box.getAttribute(a))),
  );
  const d = (await page.locator('.hop-trail path').first().getAttribute('d')) ?? '';
  const [sx, sy] = d.replace(/^M/, '').split(/[ ,L]/).map(Number);
  expect(sx).toBeGreaterThanOrEqual(x);
  expect(sx).toBeLessThanOrEqual(x + w);
  // It rests just above the laptop's eth0 chip (20 units), not on its address (VIS1): at most
  // the glyph's half height (14) above the box's top edge.
  expect(sy).toBeGreaterThanOrEqual(y - 14);
  expect(sy).toBeLessThanOrEqual(y + h);
  await expect(laptop.locator('.chip')).toHaveClass(/active/);

  // At node-1 the NodePort is DNATed to an endpoint; the badge is tied to it.
  await app.goToStep(await app.findStep(/nat PREROUTING: DNAT destination 192\.168\.1\.10:30080/));
  await expect(page.getByTestId('nat-swap').locator('.nat-old .nat-addr')).toHaveText(
    '192.168.1.10:30080',
  );
  await expect(page.getByTestId('nat-link')).toHaveCount(1);
});

test('NodePort from a laptop: the tables list the laptop as a machine outside the cluster, after the nodes', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=service-nodeport');
  await app.goToStep(await app.findStep(/Who has 192\.168\.1\.10\? Tell 192\.168\.1\.50/));
  await app.showTab('Neighbours');
  const laptop = app.table('neigh', 'laptop');
  await expect(laptop.locator('h3')).toHaveText('laptop');
  await expect(laptop).toContainText('outside the cluster · on the node network');
  await expect(laptop).not.toContainText('pod ·');
  // Its ARP request left an INCOMPLETE entry for node-1 in its own table.
  await expect(laptop).toContainText('192.168.1.10');
  const ids = await page
    .locator('[data-testid^="neigh-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
  expect(ids[0]).toBe('neigh-node-1');
  expect(ids.at(-1)).toBe('neigh-laptop');
});

test('no serious axe violations with the Services band and the before/after inspector', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const { app, web } = await openServiceClusterIp(page);
  await app.goToStep(await app.findStep(/nat PREROUTING: DNAT/));
  await app.showTab('Packet');
  await web.focus();
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id}: ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    );
  expect(bad).toEqual([]);
});

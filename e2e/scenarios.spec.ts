import { expect, test } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';

test('the scenario picker switches between the built-in scenarios', async ({ page }) => {
  const app = await new KubewirePage(page).open();
  const picker = page.getByRole('combobox', { name: 'Scenario' });
  expect(await picker.locator('option').count()).toBeGreaterThan(1);
  await picker.selectOption({ label: 'Pods, pause containers and IPs' });
  await expect(page).toHaveURL(/#scenario=pod-lifecycle&step=\d+$/);
  await expect(app.topology).toContainText('batch');
  await expect(
    page.getByRole('heading', { name: /pods, pause containers and ips/i }),
  ).toBeVisible();
});

test('the picker groups the built-ins by the topic they teach, in the source material’s order', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open();
  const picker = page.getByRole('combobox', { name: 'Scenario' });
  const groups = await picker
    .locator('optgroup')
    .evaluateAll((gs) => gs.map((g) => (g as HTMLOptGroupElement).label));
  // The source material's topics in its order (the flat network is every built-in's second
  // topic, no one's first, so it has no group of its own); every built-in sits in one.
  expect(groups.slice(0, 5)).toEqual([
    'Three ranges that must not overlap',
    'Pause, crash isolation and the shared loopback',
    'veth pairs, the cni0 bridge and ARP',
    'CNI ADD/DEL and host-local IPAM',
    'Across nodes: VXLAN and the CNI modes',
  ]);
  // fault-ipam-exhausted teaches host-local first: a /24 (here a /28) runs out.
  await expect(
    picker.locator('optgroup[label="CNI ADD/DEL and host-local IPAM"] > option'),
  ).toHaveCount(1);
  expect(groups).toContain('Ingress and TLS termination');
  expect(await picker.locator('option').count()).toBe(
    await picker.locator('optgroup > option').count(),
  );
  await expect(
    picker.locator('optgroup[label="veth pairs, the cni0 bridge and ARP"] > option'),
  ).toHaveText(['Two pods on one node']);

  await picker.selectOption({ label: 'Three ranges, and an address no interface has' });
  await expect(page).toHaveURL(/#scenario=three-ranges&step=\d+$/);
  // The hand-picked ClusterIP is DNATed to the pod on node-2: no interface holds it.
  await app.goToStep(await app.findStep(/DNAT destination 10\.100\.200\.7:80 → 10\.244\.1\.2:80/));
  await expect(app.topology).toContainText('server');
});

test('a crash keeps the IP and bumps the restart count; a delete releases the IP file', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=pod-lifecycle&step=0');
  const web = app.topology.locator('[data-pod="default/web"]');
  await app.goToStep(await app.findStep(/restarted, same IP/));
  await expect(web).toContainText('↻ 1');
  await expect(web).toContainText('10.244.0.2');

  await app.goToStep(await app.findStep(/batch deleted/));
  const batch = app.topology.locator('[data-pod="default/batch"]');
  await expect(batch).toHaveClass(/deleted/);
  await app.showTab('IPAM');
  const ipam = app.table('ipam', 'node-1');
  await expect(ipam.locator('.terminal-row.ghost')).toContainText('10.244.0.4');
  await expect(ipam.locator('.terminal-row', { hasText: 'last_reserved_ip.0' })).toContainText(
    '10.244.0.4',
  );
});

test('across nodes the tunnel packet travels in a VXLAN envelope', async ({ page }) => {
  const app = await new KubewirePage(page).open('#scenario=cross-node-vxlan&step=0');
  await expect(app.topology.locator('[data-node]')).toHaveCount(2);
  const onWire = await app.findStep(/Echo \(ping\) request/, await app.findStep(/VXLAN VNI 1/));
  await app.goToStep(onWire);
  await expect(app.overlay.locator('.packet .envelope')).toBeVisible();
  await app.showTab('Packet');
  await expect(page.getByRole('tree', { name: 'Packet details' })).toContainText(
    /Virtual eXtensible Local Area Network|VXLAN/,
  );
});

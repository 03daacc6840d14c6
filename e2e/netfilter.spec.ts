/**
 * The kernel's netfilter tables in the panels, always at the current step: the ClusterIP
 * DNAT's rules highlighted with their counters, the counters as they were a step back,
 * the conntrack entry once confirmed, and each table's tab marked when it moved.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';
import { openClusterIp } from './pages/clusterip.ts';

test('the DNAT step highlights the KUBE-SVC rule and counts one packet; a step back counts none', async ({
  page,
}) => {
  const app = await openClusterIp(page);
  await app.goToStep(await app.findStep(/nat PREROUTING: DNAT/));
  await expect(page.getByRole('tab', { name: /^iptables/ })).toHaveClass(/touched/);
  await app.showTab('iptables');
  const nat = app.table('iptables', 'node-1');
  await expect(nat).toContainText('iptables -t nat -L -v -n');
  const svc = nat.locator('.terminal-row.change-read[data-key^="nat/KUBE-SVC-"]');
  await expect(svc).toHaveCount(1);
  await expect(svc).toContainText('KUBE-SEP-');
  await expect(svc.locator('.mark')).toHaveText('matched');
  const dnat = nat.locator('.terminal-row.ipt-rule.change-read', { hasText: /DNAT .* to:/ });
  await expect(dnat).toHaveCount(1);
  await expect(dnat.locator('.ipt-count.counted')).toHaveText(/^\s*1\s+\d+\s*$/);
  await expect(nat.locator('.terminal-row.walked[data-key^="chain nat/KUBE-SVC-"]')).toContainText(
    'jumped to',
  );
  await expect(nat.getByRole('group', { name: 'Rules the packet matched' })).toContainText(
    /PREROUTING 1\s+→ KUBE-SERVICES 1\s+→ KUBE-SVC-\w+ \d\s+→ KUBE-SEP-\w+ 2\s+DNAT/,
  );

  // The same rules a step back: nothing matched yet, every counter at 0.
  const key = await dnat.getAttribute('data-key');
  await app.stepBack();
  const before = nat.locator(`.terminal-row[data-key="${key}"]`);
  await expect(before.locator('.ipt-count')).toHaveText(/^\s*0\s+0\s*$/);
  await expect(before).not.toHaveClass(/change-read/);
  await expect(nat.locator('.change-read, .ipt-count.counted')).toHaveCount(0);
});

test('iptables-save shows the same table; the matched rules stay highlighted', async ({ page }) => {
  const app = await openClusterIp(page);
  await app.goToStep(await app.findStep(/nat PREROUTING: DNAT/));
  await app.showTab('iptables');
  await app.button('iptables-save').click();
  const nat = app.table('iptables', 'node-1');
  await expect(nat).toContainText('iptables-save -c -t nat');
  await expect(nat.locator('.terminal-row').first()).toHaveText('*nat');
  await expect(nat.locator('.terminal-row.change-read', { hasText: '-A KUBE-SVC-' })).toContainText(
    /^\[1:\d+\] -A KUBE-SVC-/,
  );
  await expect(app.button('iptables-save')).toHaveAttribute('aria-pressed', 'true');
});

test('conntrack lists the entry from its confirmation on, marked at that step', async ({
  page,
}) => {
  const app = await openClusterIp(page);
  const confirm = await app.findStep(/conntrack confirms/);
  await app.goToStep(confirm - 1);
  await app.showTab('conntrack');
  const ct = app.table('conntrack', 'node-1');
  await expect(ct.locator('.terminal-row')).toHaveCount(0);

  await app.goToStep(confirm);
  await expect(page.getByRole('tab', { name: /^conntrack/ })).toHaveClass(/touched/);
  const entry = ct.locator('.terminal-row.change-added');
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText(/tcp +6 \d+ SYN_SENT src=10\.244\.0\.4 dst=10\.96\.0\.50/);
  await expect(entry).toContainText('[UNREPLIED]');
  await expect(entry.locator('.ct-reply')).toContainText('dst=10.244.0.4 sport=8080');

  // The reply un-NATed by that entry: the entry is the one marked.
  await app.goToStep(await app.findStep(/conntrack un-NATs/));
  await expect(ct.locator('.terminal-row.change-read, .terminal-row.change-updated')).toHaveCount(
    1,
  );
});

test('hook steps have a badge on the map and in the step list', async ({ page }) => {
  const app = await openClusterIp(page);
  const dnat = await app.findStep(/nat PREROUTING: DNAT/);
  await expect(app.stepRows.nth(dnat).locator('td').nth(3)).toHaveText('NAT');
  await app.goToStep(dnat);
  await expect(app.overlay.getByTestId('hook-badge')).toHaveText('NAT');
  await expect(page.locator('.narration .kind-badge')).toHaveText('NAT');
  await app.goToStep(await app.findStep(/conntrack confirms/));
  await expect(app.overlay.getByTestId('hook-badge')).toHaveText('conntrack');
  await app.goToStep(dnat - 2);
  await expect(app.overlay.getByTestId('hook-badge')).toHaveCount(0);
});

test('Sockets shows ss -tan per namespace with the owner', async ({ page }) => {
  const app = await openClusterIp(page);
  await app.goToStep(await app.findStep(/nat PREROUTING: DNAT/));
  await app.showTab('Sockets');
  const listeners = page.locator('.panel-body .terminal-row', { hasText: /^LISTEN\s+0\s+4096/ });
  await expect(listeners.first()).toContainText('0.0.0.0:8080');
  await expect(listeners.first().locator('.pill.owner')).toHaveText(/\w/);
  await expect(page.locator('.panel-body .terminal-row', { hasText: /^SYN-SENT/ })).toContainText(
    '10.96.0.50:80',
  );
});

test('without iptables rules the panel says how a scenario loads them', async ({ page }) => {
  const app = await new KubewirePage(page).open('#scenario=same-node&step=20');
  await app.showTab('iptables');
  await expect(page.getByTestId('iptables-empty')).toContainText('iptables: |');
});

test('no serious or critical axe violations in the new panels', async ({ page }) => {
  test.setTimeout(300_000); // axe takes seconds per panel, on a shared machine
  const app = await openClusterIp(page);
  await app.goToStep(await app.findStep(/nat PREROUTING: DNAT/));
  for (const tab of ['iptables', 'conntrack', 'Sockets'] as const) {
    await app.showTab(tab);
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    const bad = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${tab}: ${v.id} ${v.nodes.slice(0, 3).map((n) => n.target.join(' '))}`);
    expect(bad).toEqual([]);
  }
});

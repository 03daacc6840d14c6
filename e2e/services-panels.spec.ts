/**
 * The Services half in the panels: the iptables tree walked by a Service's DNAT, the
 * EndpointSlice the controller writes (created with three endpoints, updated to two when
 * a pod is deleted), IPVS's virtual and real server, the Scaling chart; axe on each.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';

// axe over the Services panels' hundreds of rows takes over a minute on a loaded 2-core CI box.
test.describe.configure({ timeout: 180_000 });

const tab = (page: Page, name: string) => page.getByRole('tab', { name: new RegExp(`^${name}`) });

/** Select a tab of the Services half (KubewirePage.showTab knows the kernel's tabs). */
async function show(page: Page, name: string) {
  await tab(page, name).click();
  await expect(tab(page, name)).toHaveAttribute('aria-selected', 'true');
}

async function axe(page: Page, what: string) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${what}: ${v.id} ${v.nodes.slice(0, 3).map((n) => n.target.join(' '))}`);
}

test('service-clusterip: the DNAT step opens iptables on the walk, rule by rule, to the KUBE-SEP- chain picked', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=service-clusterip');
  const dnat = await app.findStep(/nat PREROUTING: DNAT/);
  await app.goToStep(dnat);
  // The step's facts name the nat table: the strip follows it.
  await expect(tab(page, 'iptables')).toHaveAttribute('aria-selected', 'true');
  const nat = app.table('iptables', 'node-1');
  const narration = (await app.explanation.textContent()) ?? '';
  const sep = /KUBE-SEP-\w+/.exec(narration.slice(narration.lastIndexOf('KUBE-SVC-')))?.[0];
  expect(sep, 'the narration names the KUBE-SEP- chain').toBeTruthy();
  // Matched: PREROUTING's jump, KUBE-SERVICES' rule for web, the KUBE-SVC- rule, the DNAT.
  const matched = nat.locator('.terminal-row.change-read');
  await expect(matched.first()).toBeVisible();
  // The rows arrive as the list renders: wait for the walk's rows, then none of them lacks its mark.
  await expect.poll(() => matched.count()).toBeGreaterThanOrEqual(3);
  await expect(
    matched.filter({ hasNot: page.locator('.mark', { hasText: /^matched$/ }) }),
  ).toHaveCount(0);
  await expect(nat.locator(`.terminal-row.change-read[data-key^="nat/${sep}/"]`)).toContainText(
    'DNAT',
  );
  await expect(nat.locator(`.terminal-row.walked[data-key="chain nat/${sep}"]`)).toContainText(
    'jumped to',
  );
  // Rules before the one that matched in KUBE-SERVICES were tested and missed (kubernetes' first?).
  await expect(nat.locator('.terminal-row.missed').first()).toContainText(/./);
  await expect(nat.locator('.terminal-row.missed .mark').first()).toHaveText('not matched');
  await expect(nat.getByRole('group', { name: 'Rules the packet matched' })).toContainText(
    new RegExp(`KUBE-SERVICES \\d+\\s+→ KUBE-SVC-\\w+ \\d\\s+→ ${sep} \\d\\s+DNAT`),
  );
  // A chain folds, and a jump target opens it again.
  const svcHead = nat.locator('.terminal-row.ipt-chain[data-key^="chain nat/KUBE-SVC-"]').first();
  const svcName = ((await svcHead.getAttribute('data-key')) ?? '').replace('chain nat/', '');
  await svcHead.getByRole('button').click();
  await expect(svcHead.getByRole('button')).toHaveAttribute('aria-expanded', 'false');
  await expect(nat.locator(`.terminal-row[data-key^="nat/${svcName}/"]`)).toHaveCount(0);
  await nat.locator('.ipt-jump', { hasText: svcName }).first().click();
  await expect(svcHead.getByRole('button')).toHaveAttribute('aria-expanded', 'true');
  await expect(nat.locator(`.terminal-row[data-key^="nat/${svcName}/"]`).first()).toBeVisible();
  expect(await axe(page, 'iptables tree')).toEqual([]);
});

test('service-clusterip: EndpointSlices shows the slice with three endpoints, marked at its write', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=service-clusterip');
  const write = await app.findStep(/EndpointSlice web-\w+: create, 3 endpoints/);
  await app.goToStep(write);
  await expect(tab(page, 'EndpointSlices')).toHaveAttribute('aria-selected', 'true');
  const list = page.getByTestId('endpointslices');
  const row = list.locator('.terminal-row.change-added', { hasText: /^default\s+web-\w+/ });
  await expect(row).toHaveCount(1);
  await expect(row.locator('.mark')).toHaveText('created');
  const slice = page.locator('[data-testid^="eps-default/web-"]');
  await expect(slice.locator('.terminal-row', { hasText: '- Addresses:' })).toHaveCount(3);
  await expect(slice.locator('.terminal-row.kube-name.change-added')).toContainText('Name:');
  await expect(slice).toContainText(/TargetRef:\s+Pod\/web-/);
  await expect(slice).toContainText(/NodeName:\s+node-2/);
  await expect(slice.locator('[data-cond="serving"]').first()).toHaveText('serving true');
  await expect(slice.locator('[data-cond="terminating"]').first()).toHaveText('terminating false');
  expect(await axe(page, 'EndpointSlices')).toEqual([]);

  await show(page, 'Services');
  await expect(page.getByTestId('services')).toContainText(/web\s+ClusterIP\s+10\.\d+\.\d+\.\d+/);
  await expect(page.getByTestId('services')).toContainText('app=web');
  // Picked at this step: the pick wins here; the next step (kube-proxy's sync) names iptables.
  await app.stepForward();
  await expect(tab(page, 'iptables')).toHaveAttribute('aria-selected', 'true');
  // Pinned: it stays.
  await show(page, 'Services');
  await page.getByRole('button', { name: 'Pin the tab' }).click();
  await app.stepForward();
  await expect(tab(page, 'Services')).toHaveAttribute('aria-selected', 'true');
  expect(await axe(page, 'Services')).toEqual([]);
});

test('service-pod-dies: after the update the slice has two endpoints, the lost one struck through', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=service-pod-dies');
  await app.goToStep(await app.findStep(/EndpointSlice web-\w+: update, 2 endpoints/));
  await expect(tab(page, 'EndpointSlices')).toHaveAttribute('aria-selected', 'true');
  const slice = page.locator('[data-testid^="eps-default/web-"]');
  await expect(slice.locator('.terminal-row:not(.ghost)', { hasText: '- Addresses:' })).toHaveCount(
    2,
  );
  await expect(slice.locator('.terminal-row.ghost', { hasText: '- Addresses:' })).toHaveCount(1);
  await expect(slice.locator('.terminal-row.kube-name .mark')).toHaveText('updated');
  const list = page.getByTestId('endpointslices');
  await expect(list.locator('.terminal-row.change-updated')).toContainText(/web-\w+\s+IPv4\s+8080/);
});

test('service-ipvs: the IPVS panel marks the virtual server and the real server rr picked', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=service-ipvs');
  const step = await app.findStep(/IPVS rr: 10\.100\.6\.156:80\/TCP → /);
  const summary = await app.stepRows.nth(step).locator('td.summary').textContent();
  const dest = /→ (\S+)$/.exec(summary ?? '')?.[1] ?? '';
  await app.goToStep(step);
  await expect(tab(page, 'IPVS')).toHaveAttribute('aria-selected', 'true');
  const ipvs = page.getByTestId('ipvs-node-1');
  await expect(ipvs).toContainText('ipvsadm -Ln');
  await expect(ipvs.locator('.terminal-row.change-read.ipvs-service')).toContainText(
    'TCP  10.100.6.156:80 rr',
  );
  const rs = ipvs.locator('.terminal-row.ipvs-server.change-added');
  await expect(rs).toHaveCount(1);
  await expect(rs).toContainText(`-> ${dest}`);
  await expect(rs.locator('.mark')).toHaveText('real server');
  await page.getByRole('button', { name: '-Lnc' }).click();
  await expect(ipvs).toContainText('ipvsadm -Lnc');
  await expect(ipvs.locator('.terminal-row.change-added')).toContainText(
    `10.100.6.156:80    ${dest}`,
  );
  await page.getByRole('button', { name: '--stats' }).click();
  await expect(ipvs).toContainText('InPkts');
  expect(await axe(page, 'IPVS')).toEqual([]);
  await show(page, 'ipsets');
  await expect(page.getByTestId('ipset-node-1')).toContainText('Name: KUBE-CLUSTER-IP');
  await expect(page.getByTestId('ipset-node-1')).toContainText('10.100.6.156,tcp:80');
});

test('the Services tabs show only on a cluster with Services; IPVS only in IPVS mode', async ({
  page,
}) => {
  await new KubewirePage(page).open('#scenario=same-node');
  await expect(tab(page, 'Services')).toHaveCount(0);
  await expect(tab(page, 'IPVS')).toHaveCount(0);
  await expect(tab(page, 'Scaling')).toHaveCount(1);
  await new KubewirePage(page).open('#scenario=service-clusterip');
  await expect(tab(page, 'Services')).toHaveCount(1);
  await expect(tab(page, 'IPVS')).toHaveCount(0);
});

test('Scaling: iptables grows with the Services, IPVS stays flat; this cluster is marked', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=service-clusterip');
  await app.goToStep(await app.findStep(/connect default\/client/));
  await show(page, 'Scaling');
  const chart = page.getByTestId('scaling');
  await expect(chart.getByTestId('scaling-here')).toBeVisible();
  await expect(chart.getByText('Computing the larger clusters…')).toHaveCount(0, {
    timeout: 90_000,
  });
  await expect(chart.getByTestId('scaling-iptables').locator('circle')).toHaveCount(9);
  await expect(chart.getByTestId('scaling-ipvs').locator('circle')).toHaveCount(9);
  const rows = chart.locator('.scaling-table tbody tr');
  const last = rows.last();
  await expect(last.locator('th')).toHaveText('5,000');
  // Half of 5,000 KUBE-SERVICES rules and more; IPVS a handful whatever the size.
  const ipt = Number((await last.locator('td').first().textContent())?.replace(/,/g, ''));
  expect(ipt).toBeGreaterThan(2500);
  expect(await last.locator('td').nth(1).textContent()).toBe(
    await rows.nth(1).locator('td').nth(1).textContent(),
  );
  expect(await axe(page, 'Scaling')).toEqual([]);
});

/**
 * Faults as buttons on the picture (issue 10): each button writes its action
 * into the scenario at the current step, simulates again and lands on the
 * fault's first step — its narration, the pod's new state, the EndpointSlice
 * and iptables panels, the drop. Clicking a packet opens the inspector on it.
 * Keyboard only works; axe finds nothing in light and dark.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';

async function axe(page: Page, where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const headline = (page: Page) => page.getByTestId('headline');
const tab = (page: Page, name: string) => page.getByRole('tab', { name });

/** Waits for the re-simulated scenario: the notice that says which action was added. */
async function faultAdded(app: KubewirePage, action: RegExp | string) {
  await expect(app.notice).toContainText(/Fault added as action \d+/, { timeout: 60_000 });
  await expect(app.notice).toContainText(action);
}

test('crash a container: the fault step says so, the restart count rises and the IP stays', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=cross-node-vxlan');
  const pod = app.topology.locator('[data-pod="default/pod-b"]');
  const ip = await pod.locator('.pod-ip').textContent();
  await pod.locator('.pod-box').click();
  const card = page.getByTestId('pod-card');
  await expect(card).toBeVisible();
  await expect(card).toContainText(/veth\s*eth0 ↔ veth\w+ \(on cni0\)/);
  await expect(card.getByTestId('pod-ready')).toHaveText('True · 1/1');
  await card.getByRole('button', { name: 'Crash web' }).click();
  await faultAdded(app, '- crash: {pod: pod-b, container: web}');
  console.log('crash', await headline(page).textContent());
  await expect(headline(page)).toContainText(/web/);
  // The scenario is the user's now, saved and shareable; its text has the action.
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('custom');
  await app.openEditor();
  await app.expectEditorText(/\n {4}- crash: \{pod: pod-b, container: web\}\n/);
  const last = (await app.stepRows.count()) - 1;
  await app.goToStep(last);
  await expect(pod.locator('.restarts')).toHaveText('↻ 1');
  await expect(pod.locator('.pod-ip')).toHaveText(ip ?? '');
});

test('delete a pod: its endpoint leaves the EndpointSlice, the pod is gone; Undo brings the built-in back', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=service-clusterip');
  const steps = await app.stepRows.count();
  const pod = app.topology.locator('[data-pod^="default/web-"]').first();
  const name = (await pod.getAttribute('data-pod'))!.slice('default/'.length);
  await pod.locator('.pod-box').click();
  await page.getByTestId('pod-card').getByRole('button', { name: 'Delete pod' }).click();
  await faultAdded(app, new RegExp(`- delete: \\{pod: ${name}\\}`));
  await expect(headline(page)).toContainText(name);
  console.log('delete', await headline(page).textContent());
  await app.goToStep(await app.findStep(/EndpointSlice web-\w+: update, 2 endpoints/));
  const slice = page.locator('[data-testid^="eps-default/web-"]');
  await expect(slice.locator('.terminal-row:not(.ghost)', { hasText: '- Addresses:' })).toHaveCount(
    2,
  );
  await app.goToStep((await app.stepRows.count()) - 1);
  await expect(app.topology.locator(`[data-pod="default/${name}"]`)).toHaveClass(/deleted/);

  await page.getByRole('button', { name: 'Undo the fault' }).click();
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('service-clusterip');
  await expect(app.stepRows).toHaveCount(steps);
  await expect(app.topology.locator(`[data-pod="default/${name}"]`)).not.toHaveClass(/deleted/);
});

test('fail readiness: the endpoint turns not ready in its EndpointSlice', async ({ page }) => {
  const app = await new KubewirePage(page).open('#scenario=service-clusterip');
  const pod = app.topology.locator('[data-pod^="default/web-"]').first();
  const name = (await pod.getAttribute('data-pod'))!.slice('default/'.length);
  await pod.locator('.pod-box').click();
  await page.getByTestId('pod-card').getByRole('button', { name: 'Fail readiness' }).click();
  await faultAdded(app, new RegExp(`- ready: \\{pod: ${name}, ready: false\\}`));
  console.log('ready', await headline(page).textContent());
  await expect(headline(page)).toContainText(name);
  await app.goToStep(await app.findStep(/EndpointSlice web-\w+: update/, await app.currentStep()));
  const slice = page.locator('[data-testid^="eps-default/web-"]');
  await expect(slice.locator('[data-cond="ready"]', { hasText: 'ready false' })).toHaveCount(1);
  await pod.locator('.pod-box').click();
  await expect(page.getByTestId('pod-ready')).toHaveText(
    /^False · 0\/1 \(readiness probe failing\)/,
  );
});

test('drop UDP 8472 between the nodes: the ping vanishes at the outer hop, at filter INPUT', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=cross-node-vxlan');
  await app.goToStep(0);
  await app.topology.locator('.bus-face').first().click();
  const card = page.getByTestId('network-card');
  await card.getByRole('button', { name: 'Drop UDP 8472 node-1 ↔ node-2' }).click();
  await faultAdded(app, /- iptables: \{node: node-2, args: -I INPUT -s 192\.168\.1\.10 -p udp/);
  await expect(app.counter.locator('strong')).not.toHaveText('0');
  console.log('drop', await headline(page).textContent());
  await expect(headline(page)).toContainText(/iptables/);
  const drop = await app.findStep(/filter INPUT: DROP/);
  await app.goToStep(drop);
  await expect(headline(page)).toContainText(/DROP|drop/);
  console.log('dropstep', await headline(page).textContent());
  // Nothing reaches pod-b: no echo request is delivered into its namespace.
  const summaries = await app.stepRows.locator('td.summary').allTextContents();
  expect(summaries.filter((s) => /Echo \(ping\) reply/.test(s))).toEqual([]);
});

test('drain a node from its card: cordoned, its Deployment pods evicted and recreated on the others', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=service-clusterip');
  await app.goToStep(0);
  await app.topology.locator('.node-face .node-name', { hasText: 'node-2' }).click();
  const card = page.getByTestId('node-card');
  await card.getByRole('button', { name: 'Drain node-2' }).click();
  await faultAdded(app, '- drain: {node: node-2}');
  await expect(headline(page)).toContainText('kubectl drain node-2');
  await app.goToStep(await app.findStep(/node\/node-2 cordoned/));
  await expect(headline(page)).toContainText('nothing new is scheduled there');
  await app.goToStep(await app.findStep(/node\/node-2 drained/));
  await expect(headline(page)).toHaveText(/node\/node-2 drained/);
});

test('power a node off from its card: the trace says so, frames to it are lost and no reply comes back', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=cross-node-vxlan');
  await app.goToStep(0);
  await app.topology.locator('.node-face .node-name', { hasText: 'node-2' }).click();
  await page.getByTestId('node-card').getByRole('button', { name: 'Power off node-2' }).click();
  await faultAdded(app, '- node-down: {node: node-2}');
  await app.goToStep(await app.findStep(/node-2 \(192\.168\.1\.11\) is down/));
  await expect(headline(page)).toContainText('nothing on 192.168.1.11 answers now');
  await app.goToStep(await app.findStep(/node-2 is down: frame lost at eth0/));
  // No echo reply comes back from the dead node's pod.
  const summaries = await app.stepRows.locator('td.summary').allTextContents();
  expect(summaries.filter((s) => /Echo \(ping\) reply/.test(s))).toEqual([]);
});

test('scale a Deployment from a pod card: one more pod is scheduled, started and added to the EndpointSlice', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=service-clusterip');
  await app.goToStep(0);
  const web = app.topology.locator('[data-pod^="default/web-"]');
  await expect(web).toHaveCount(3);
  await web.first().locator('.pod-box').click();
  const card = page.getByTestId('pod-card');
  await expect(card.getByRole('button', { name: 'Scale web to 2' })).toBeVisible();
  await card.getByRole('button', { name: 'Scale web to 4' }).click();
  await faultAdded(app, '- scale: {deployment: web, replicas: 4}');
  await expect(headline(page)).toContainText('kubectl scale deployment');
  // kubectl scale's own answer, "deployment.apps/web scaled"; the ReplicaSet makes the fourth pod.
  await app.goToStep(await app.findStep(/deployment\.apps\/web scaled/));
  await app.goToStep(
    await app.findStep(/Successfully assigned default\/web-5b8cff8d54-\w{5} to node-\d/),
  );
  await app.goToStep(await app.findStep(/EndpointSlice web-\w+: update, 4 endpoints/));
  const slice = page.locator('[data-testid^="eps-default/web-"]');
  await expect(slice.locator('.terminal-row:not(.ghost)', { hasText: '- Addresses:' })).toHaveCount(
    4,
  );
  await app.goToStep((await app.stepRows.count()) - 1);
  await expect(app.topology.locator('[data-pod^="default/web-"]:not(.deleted)')).toHaveCount(4);
  // The card of a pod at this step offers 5 and 3 now.
  await web.first().locator('.pod-box').click();
  await expect(card.getByRole('button', { name: 'Scale web to 5' })).toBeVisible();
  await expect(card.getByRole('button', { name: 'Scale web to 3' })).toBeVisible();
});

test("delete a kube-proxy rule by hand: the Service's KUBE-SERVICES rule goes, the next connection is not DNATed", async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=service-clusterip');
  // The first connection's DNAT: the KUBE-SERVICES rule it matched is the one for web.
  await app.goToStep(await app.findStep(/nat PREROUTING: DNAT/));
  await app.showTab('iptables');
  const nat = app.table('iptables', 'node-1');
  const rule = nat.locator('.terminal-row.change-read[data-key^="nat/KUBE-SERVICES/"]');
  await expect(rule).toHaveCount(1);
  await expect(rule).toContainText('default/web:http cluster IP');
  const n = /\/(\d+)$/.exec((await rule.getAttribute('data-key')) ?? '')?.[1];
  expect(n, 'the rule has a number').toBeTruthy();
  await rule.hover();
  await rule.getByRole('button', { name: `Delete rule ${n} of KUBE-SERVICES on node-1` }).click();
  await faultAdded(app, `- iptables: {node: node-1, args: -t nat -D KUBE-SERVICES ${n}}`);
  await expect(headline(page)).toContainText('iptables by hand on node-1');
  // The first connection still went through the DNAT; the one after the deletion does not.
  const deleted = await app.currentStep();
  const summaries = await app.stepRows.locator('td.summary').allTextContents();
  expect(summaries.slice(0, deleted).filter((s) => /nat PREROUTING: DNAT/.test(s)).length).toBe(1);
  const after = summaries.slice(deleted);
  expect(after.filter((s) => /nat PREROUTING: DNAT/.test(s))).toEqual([]);
  expect(after).toContainEqual(expect.stringMatching(/nat PREROUTING: no NAT/));
  // No route to the ClusterIP without kube-proxy's rule: connect(2) fails with ENETUNREACH.
  expect(after).toContainEqual(expect.stringMatching(/connect: Network is unreachable/));
});

test('keyboard only: Tab to a pod, Enter opens its card, a fault button, Enter; the packet opens the inspector', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=cross-node-vxlan');
  await app.goToStep(await app.findStep(/Echo \(ping\) request/));
  const focused = () =>
    page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
  const tabTo = async (name: RegExp) => {
    for (let i = 0; i < 80 && !name.test(await focused()); i++) await page.keyboard.press('Tab');
    expect(await focused()).toMatch(name);
  };
  await tabTo(/^Packet: /);
  await page.keyboard.press('Enter');
  await expect(tab(page, 'Packet')).toHaveAttribute('aria-selected', 'true');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await tabTo(/^Pod default\/pod-b 10\.244\.\d+\.\d+, Running$/);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('pod-card')).toBeFocused();
  // Esc closes it and gives focus back to the pod; Enter opens it again.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('pod-card')).toBeHidden();
  expect(await focused()).toMatch(/^Pod default\/pod-b/);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('pod-card')).toBeFocused();
  await page.keyboard.press('Tab'); // the close button
  await page.keyboard.press('Tab'); // Crash web
  await expect(page.getByRole('button', { name: 'Crash web' })).toBeFocused();
  await page.keyboard.press('Enter');
  await faultAdded(app, '- crash: {pod: pod-b, container: web}');
});

for (const scheme of ['light', 'dark'] as const)
  test(`axe: the pod, node and network cards with their fault buttons (${scheme})`, async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    const app = await new KubewirePage(page).open('#scenario=service-clusterip');
    await app.topology.locator('[data-pod="default/client"] .pod-box').click();
    await expect(page.getByTestId('pod-card')).toBeVisible();
    expect(await axe(page, 'pod card')).toEqual([]);
    await page.keyboard.press('Escape');
    await app.topology.locator('.node-face .node-name').first().click();
    await expect(page.getByTestId('node-card')).toBeVisible();
    expect(await axe(page, 'node card')).toEqual([]);
  });

for (const [w, h] of [
  [1440, 900],
  [1280, 720],
  [800, 500],
] as const)
  test(`screenshots: the pod card's fault buttons at ${w}×${h}`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    const app = await new KubewirePage(page).open('#scenario=service-clusterip');
    await app.topology.locator('[data-pod^="default/web-"] .pod-box').first().click();
    const card = page.getByTestId('pod-card');
    await expect(card.getByRole('button', { name: 'Delete pod' })).toBeInViewport();
    await page.screenshot({ path: `test-results/gallery/faults-pod-card-${w}x${h}.png` });
    await page.keyboard.press('Escape');
    await app.topology.locator('.node-face .node-name').first().click();
    await expect(page.getByTestId('node-card')).toBeVisible();
    await page.screenshot({ path: `test-results/gallery/faults-node-card-${w}x${h}.png` });
  });

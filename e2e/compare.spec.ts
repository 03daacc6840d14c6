/**
 * Compare mode (issue 8): the flannel VXLAN built-in beside the same scenario
 * under host-gw. Two panes step together — the right one at the step that
 * corresponds to the left's (CMP3), a VXLAN-only step (the encap) holding the
 * right side at the last step both have, and the packet's milestones (leaves
 * node-1) shown on both sides at once (CMP4). The stats strip holds the real
 * overhead: VXLAN's outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8 = 50 bytes,
 * so flannel sets the pod MTU to 1450 and the SYN says MSS 1410 (linux-reference
 * §2's capture of a real SYN through flannel.1 says the same), against 0 bytes,
 * 1500 and 1460 for host-gw's plain routing. The URL holds the comparison.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

const pane = (page: Page, side: 'primary' | 'other') => page.locator(`.compare-${side}`);
const stepOf = (page: Page, side: 'primary' | 'other') => page.getByTestId(`compare-${side}-step`);
const stat = (page: Page, key: string, row: 0 | 1) => page.locator(`[data-stat="${key}-${row}"]`);
const counter = (page: Page) =>
  page.getByRole('status', { name: 'Current step' }).locator('strong');

async function openVxlan(page: Page, hash = '#scenario=cross-node-vxlan') {
  await page.goto(`/${hash}`);
  await expect(page.locator('svg.topology:not(.topology-overlay)').first()).toBeVisible({
    timeout: 20_000,
  });
}

const rows = (page: Page) => page.getByRole('listbox', { name: 'Steps' }).getByRole('option');

/** The step list's row whose Info matches (the n-th such). */
async function stepIndex(page: Page, info: RegExp, nth = 0): Promise<number> {
  const texts = await rows(page).locator('td.summary').allTextContents();
  const all = texts.flatMap((t, i) => (info.test(t) ? [i] : []));
  expect(all.length, `a step matching ${info}`).toBeGreaterThan(nth);
  return all[nth];
}

/** A hand-edited hash, once the app has written its own (a write pending would replace it). */
async function setHash(page: Page, hash: string) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100))));
  await page.evaluate((h) => (window.location.hash = h), hash);
}

async function goTo(page: Page, index: number) {
  await rows(page).nth(index).click();
  await expect(counter(page)).toHaveText(String(index));
}

test('[CMP6] Compare… opens host-gw beside vxlan; both panes step together and milestones line up', async ({
  page,
}) => {
  await openVxlan(page);
  await page.getByTestId('compare-picker').selectOption({ label: 'vs flannel host-gw' });
  await expect(page.getByTestId('compare-primary-mode')).toHaveText('flannel vxlan');
  await expect(page.getByTestId('compare-other-mode')).toHaveText('flannel host-gw');
  await expect(page.locator('svg.topology:not(.topology-overlay)')).toHaveCount(2);
  await expect(page).toHaveURL(/compare=cni:flannel\/host-gw&cstep=\d+/);

  // The ping's request leaving node-1: a milestone on both sides, inside VXLAN on the left only.
  const leaves = await stepIndex(page, /Echo \(ping\) request .*ttl=63/);
  await goTo(page, leaves);
  await expect(page.getByTestId('compare-primary-milestone')).toHaveText('leaves node-1');
  await expect(page.getByTestId('compare-other-milestone')).toHaveText('leaves node-1');
  // host-gw: node-1 routed the packet straight onto eth0 (TTL 64 → 63), no tunnel.
  await expect(page.getByTestId('compare-other-headline')).toContainText('TTL 64 → 63');

  // The encap has no counterpart in host-gw: the right side shows node-1's cni0 handing the
  // packet to its own stack to be routed (host-gw routes it straight to eth0 from there).
  const encap = await stepIndex(page, /flannel\.1: VXLAN VNI 1 → 192\.168\.1\.11:8472/);
  await goTo(page, encap);
  await expect(pane(page, 'primary').locator('.compare-headline')).toContainText(/VXLAN|VNI/);
  await expect(page.getByTestId('compare-other-note')).toContainText('has no counterpart');
  await expect(page.getByTestId('compare-other-headline')).toContainText(/cni0/);
  const held = await stepOf(page, 'other').textContent();

  // Stepping the left (the keyboard, like the timeline) moves the right: the route into flannel.1
  // and the encap hold it; the ARP for node-2 that both modes send moves it on.
  await page.keyboard.press('ArrowRight');
  await expect(counter(page)).toHaveText(String(encap + 1));
  await expect(stepOf(page, 'other')).not.toHaveText(held ?? '');
  await expect(page.getByTestId('compare-other-note')).toHaveText('The same step as on the left.');
  await expect(page.getByTestId('compare-other-headline')).toContainText(/192\.168\.1\.11/);
  await page.keyboard.press('ArrowLeft');
  await expect(stepOf(page, 'other')).toHaveText(held ?? '');

  // The right side can be stepped on its own; the left's next step brings it back to follow.
  await page
    .getByRole('button', { name: 'Step the flannel host-gw side forward on its own' })
    .click();
  await expect(page.getByTestId('compare-other-note')).toContainText('on its own');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('compare-other-note')).toHaveText('The same step as on the left.');
});

test('[CMP7] the stats strip: 50 vs 0 bytes of overhead, MTU 1450 vs 1500, MSS 1410 vs 1460', async ({
  page,
}) => {
  await openVxlan(page, '#scenario=cross-node-vxlan&compare=host-gw');
  const strip = page.getByTestId('compare-stats');
  await expect(strip).toBeVisible({ timeout: 20_000 });
  await expect(stat(page, 'overhead', 0)).toHaveText('50 B');
  await expect(stat(page, 'overhead', 1)).toHaveText('0 B (−50)');
  await expect(stat(page, 'mtu', 0)).toHaveText('1450');
  await expect(stat(page, 'mtu', 1)).toHaveText('1500 (+50)');
  await expect(stat(page, 'mss', 0)).toHaveText('1410');
  await expect(stat(page, 'mss', 1)).toHaveText('1460 (+50)');
  // Both route twice (node-1, node-2: TTL 64 → 62): the same, not highlighted.
  await expect(stat(page, 'routed', 0)).toHaveText('2');
  await expect(stat(page, 'routed', 1)).toHaveText('2');
  await expect(stat(page, 'routed', 1)).not.toHaveClass(/differs/);
  for (const key of ['overhead', 'mtu', 'mss', 'tables'])
    for (const row of [0, 1] as const) await expect(stat(page, key, row)).toHaveClass(/differs/);
  // VXLAN adds flannel.1's FDB on each node: two more tables than host-gw's plain routes.
  const tables = (row: 0 | 1) =>
    stat(page, 'tables', row)
      .textContent()
      .then((t) => Number(t?.split(' ')[0]));
  expect((await tables(0)) - (await tables(1))).toBe(2);
});

test('[CMP8] the URL holds the comparison: a link restores both sides; leaving restores the normal view', async ({
  page,
}) => {
  await openVxlan(page, '#scenario=cross-node-vxlan&step=22&compare=cni:flannel/host-gw&cstep=25');
  await expect(stepOf(page, 'other')).toHaveText(/^step 25 of/, { timeout: 20_000 });
  await expect(counter(page)).toHaveText('22');
  await expect(page.getByTestId('compare-other-note')).toContainText('on its own');
  await expect(page).toHaveURL(/step=22&compare=cni:flannel\/host-gw&cstep=25$/);

  // Without cstep the right side follows; the link written back says where it is.
  await setHash(page, '#scenario=cross-node-vxlan&step=32&compare=host-gw');
  await expect(page.getByTestId('compare-other-milestone')).toHaveText('leaves node-1');
  await expect(page).toHaveURL(/step=32&compare=cni:flannel\/host-gw&cstep=\d+$/);

  await page.getByRole('button', { name: 'Leave compare' }).click();
  await expect(page.getByTestId('compare-view')).toHaveCount(0);
  await expect(page.locator('svg.topology:not(.topology-overlay)')).toHaveCount(1);
  await expect(page.getByRole('tablist')).toBeVisible();
  await expect(page).toHaveURL(/#scenario=cross-node-vxlan&step=32$/);
});

test('[CMP8] bad comparison values in the link give a notice and the scenario alone, never a blank page', async ({
  page,
}) => {
  await openVxlan(page, '#scenario=cross-node-vxlan&compare=cni:flanel/host-gw');
  await expect(page.locator('.notice')).toContainText(
    'compare "cni:flanel/host-gw" in the link: cni plugin "flanel" is not one of flannel, calico, cilium (at character 5)',
  );
  await expect(page.getByTestId('compare-view')).toHaveCount(0);
  await expect(page).not.toHaveURL(/compare=/);

  await setHash(page, '#scenario=cross-node-vxlan&compare=vxlan');
  await expect(page.locator('.notice')).toContainText('the scenario already runs flannel vxlan');
  await setHash(page, '#scenario=cross-node-vxlan&compare=ipvs');
  await expect(page.locator('.notice')).toContainText('has no Service');

  await setHash(page, '#scenario=cross-node-vxlan&compare=host-gw&cstep=99999');
  await expect(page.locator('.notice')).toContainText(
    "cstep 99999 in the link is past the other side's last step",
  );
  await expect(page.getByTestId('compare-view')).toBeVisible();
  await expect(page.getByTestId('compare-other-note')).not.toContainText('on its own');
});

test('[CMP9] compare mode passes axe in the light and the dark theme, and stacks at 800×500', async ({
  page,
}) => {
  test.setTimeout(180_000);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await openVxlan(page, '#scenario=cross-node-vxlan&step=22&compare=host-gw');
    await expect(page.getByTestId('compare-stats')).toBeVisible({ timeout: 20_000 });
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${scheme}: ${v.id} ${v.nodes[0]?.target.join(' ')}`)).toEqual([]);
  }
  await page.setViewportSize({ width: 800, height: 500 });
  const a = await pane(page, 'primary').boundingBox();
  const b = await pane(page, 'other').boundingBox();
  expect(a && b && b.y >= a.y + a.height - 1).toBe(true);
  expect(a && a.width).toBeGreaterThan(600);
});

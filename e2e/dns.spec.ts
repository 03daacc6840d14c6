/**
 * The DNS panel (issue 7's app section): the ndots built-in's search walk
 * listed in the order glibc sends it, a row that jumps to its step, the
 * current step's row highlighted, the panel chosen at a DNS step, the cache's
 * answer marked, the Corefile, and the pod card's /etc/resolv.conf.
 */
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createSimulation } from '../sim-core/index.ts';
import { KubewirePage } from './pages/KubewirePage.ts';

/** A step of a built-in by its summary, found in the simulation (the step list is windowed). */
function stepOf(scenario: string, summary: RegExp): number {
  const r = createSimulation(readFileSync(`public/scenarios/${scenario}.yaml`, 'utf8'));
  if (!r.ok) throw new Error(`${scenario} does not load`);
  const i = r.sim.steps.findIndex((s) => summary.test(s.summary));
  if (i < 0) throw new Error(`no step ${summary} in ${scenario}`);
  return i;
}

/**
 * The names glibc's res_search (resolv/res_query.c, __res_context_search) asks, in order:
 * a name with fewer dots than ndots and no trailing dot tries each search domain first and
 * the name as written last; getaddrinfo sends A then AAAA for each (send_dg, two queries).
 */
function glibcOrder(name: string, resolvConf: string): string[] {
  const search = /^search (.*)$/m.exec(resolvConf)?.[1].split(' ') ?? [];
  const ndots = Number(/ndots:(\d+)/.exec(resolvConf)?.[1] ?? 1);
  const dots = name.split('.').length - 1;
  const names =
    dots >= ndots
      ? [`${name}.`, ...search.map((d) => `${name}.${d}.`)]
      : [...search.map((d) => `${name}.${d}.`), `${name}.`];
  return names.flatMap((n) => [`${n} A`, `${n} AAAA`]);
}

async function openNdots(page: Page, step = 0) {
  const app = await new KubewirePage(page).open(`#scenario=dns-ndots&step=${step}`);
  await page.getByRole('tab', { name: /^DNS/ }).click();
  return app;
}

const queries = (page: Page) => page.getByTestId('dns-rows').locator('[data-kind="query"]');

test('[DNSAPP1] the ndots built-in lists its search-path queries in the order glibc sends them', async ({
  page,
}) => {
  await openNdots(page);
  // The client's resolv.conf, as the pod card shows it, gives the walk.
  await page.getByRole('button', { name: 'resolv.conf' }).first().click();
  const card = page.getByTestId('pod-card');
  await expect(card).toContainText('default/client');
  const resolv = (await card.getByTestId('resolv-conf').textContent()) ?? '';
  expect(resolv).toBe(
    'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
  );
  const expected = glibcOrder('example.com', resolv);
  expect(expected.slice(0, 2)).toEqual([
    'example.com.default.svc.cluster.local. A',
    'example.com.default.svc.cluster.local. AAAA',
  ]);
  expect(expected).toHaveLength(8);
  await card.getByRole('button', { name: 'Close the pod card' }).click();
  await expect(card).toHaveCount(0);

  const panel = page.getByTestId('dns-panel');
  await expect(panel.locator('.dns-call').first()).toHaveText('getaddrinfo("example.com")');
  // getaddrinfo's 8 queries, then dig's one (dig does not search).
  const asked = await queries(page).evaluateAll((rows) =>
    rows.map((r) => r.getAttribute('data-q')),
  );
  expect(asked).toEqual([...expected, 'example.com. A']);
  // What the row says, in words: the qname and type as Wireshark's Info column has them.
  await expect(queries(page).first()).toContainText(
    'Query 0xb58f example.com.default.svc.cluster.local. A',
  );
  // Every search-suffix name is NXDOMAIN; the name as written answers, and is the one used.
  const replies = panel.locator('[data-kind="response"]');
  await expect(replies.filter({ hasText: 'NXDOMAIN' })).toHaveCount(6);
  const used = panel.locator('[data-kind="response"].winner');
  await expect(used.first()).toContainText('93.184.215.14 (TTL 30)');
  await expect(panel.locator('[data-kind="result"]').first()).toContainText(
    'example.com → 93.184.215.14',
  );
  // dig a moment later (the list scrolled to its end): CoreDNS's cache answers, its TTL counted down.
  await page.getByTestId('dns-rows').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(replies.last()).toContainText('from cache');
  await expect(replies.last()).toContainText('TTL 29');
});

test('[DNSAPP2] a row jumps to its step, and the current step’s row is highlighted', async ({
  page,
}) => {
  const app = await openNdots(page);
  const before = await app.explanation.textContent();
  // The third name's A query: example.com.cluster.local.
  const row = queries(page).and(page.locator('[data-q="example.com.cluster.local. A"]'));
  await row.getByRole('button').first().click();
  const step = stepOf('dns-ndots', /^Standard query 0x[0-9a-f]+ A example\.com\.cluster\.local$/);
  await expect(app.counter.locator('strong')).toHaveText(String(step));
  await expect(app.explanation).not.toHaveText(before ?? '');
  await expect(app.explanation).toContainText('name 3 of 4: example.com.cluster.local.');
  await expect(row).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('dns-rows').locator('[aria-current="true"]')).toHaveCount(1);
});

test('[DNSAPP3] a DNS step brings the DNS panel up unless a tab is pinned; the Corefile is one click away', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=dns-ndots&step=0');
  await app.showTab('Neighbours');
  const answer = stepOf('dns-ndots', /^A example\.com\.default\.svc\.cluster\.local\. → NXDOMAIN$/);
  await page.evaluate((i) => {
    window.location.hash = `#scenario=dns-ndots&step=${i}`;
  }, answer);
  await expect(app.counter.locator('strong')).toHaveText(String(answer));
  await expect(page.getByRole('tab', { name: /^DNS/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('dns-rows').locator('[aria-current="true"]')).toContainText(
    'NXDOMAIN',
  );
  await page.getByRole('button', { name: 'Corefile' }).click();
  const corefile = page.getByTestId('corefile');
  await expect(corefile).toContainText('kubernetes cluster.local in-addr.arpa ip6.arpa {');
  await expect(corefile).toContainText('forward . /etc/resolv.conf');
  await expect(corefile).toContainText('cache 30');
});

test('[DNSAPP4] clicking a pod in the topology shows its resolv.conf as its dnsPolicy gives it', async ({
  page,
}) => {
  await new KubewirePage(page).open('#scenario=dns-ndots&step=0');
  // CoreDNS's own pods run with dnsPolicy Default: the node's resolv.conf, the upstream resolver.
  await page.locator('[data-pod^="kube-system/coredns-"]').first().click();
  const card = page.getByTestId('pod-card');
  await expect(card).toContainText('dnsPolicy');
  await expect(card).toContainText('Default');
  await expect(card.getByTestId('resolv-conf')).toHaveText('nameserver 192.168.1.53\n');
  await card.press('Escape');
  await expect(card).toHaveCount(0);
});

const SIZES = [
  [1440, 900],
  [1280, 720],
  [800, 500],
] as const;

test('dns panel and pod card screenshots at 1440×900, 1280×720 and 800×500', async ({ page }) => {
  const answer = stepOf('dns-ndots', /^A example\.com\. → NOERROR/);
  await openNdots(page, answer);
  for (const [w, h] of SIZES) {
    await page.setViewportSize({ width: w, height: h });
    await page
      .getByRole('button', { name: 'Close the pod card' })
      .click({ timeout: 500 })
      .catch(() => {});
    await expect(page.getByTestId('dns-rows').locator('[aria-current="true"]')).toHaveCount(1);
    // A small window stacks the panels under the topology: bring the DNS panel into view.
    await page.getByTestId('dns-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/gallery/dns-panel-${w}x${h}.png` });
    // The lookup in view (the list keeps the current row in sight): dig's, the same pod.
    await page.getByRole('button', { name: 'resolv.conf' }).last().click();
    await expect(page.getByTestId('pod-card')).toBeVisible();
    await page.getByTestId('pod-card').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/gallery/dns-pod-card-${w}x${h}.png` });
  }
});

test('no serious or critical axe violations with the DNS panel, the Corefile and the pod card open', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const axe = async (what: string) => {
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    const bad = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${what}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(bad).toEqual([]);
  };
  const answer = stepOf('dns-ndots', /^A example\.com\. → NOERROR/);
  await openNdots(page, answer);
  await page.getByRole('button', { name: 'resolv.conf' }).last().click();
  await expect(page.getByTestId('pod-card')).toBeVisible();
  await axe('DNS panel and pod card');
  await page.getByRole('button', { name: 'Corefile' }).click();
  await axe('Corefile');
});

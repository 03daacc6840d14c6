/**
 * The Ingress panel (ING9): the rules table of a scenario with Ingresses, a
 * request typed in (Host and path) highlighting the rule that wins with the
 * reason, the certificate per TLS host, and nginx's server blocks; screenshots
 * at 1440×900, 1280×720 and 800×500.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { createSimulation } from '../sim-core/index.ts';
import { KubewirePage } from './pages/KubewirePage.ts';

const shop = readFileSync(
  new URL('../sim-core/test/fixtures/ingress/shop.yaml', import.meta.url),
  'utf8',
);

async function openShop(page: Page) {
  const app = await new KubewirePage(page).open();
  await page.getByTestId('file-input').setInputFiles({
    name: 'shop.yaml',
    mimeType: 'text/yaml',
    buffer: Buffer.from(shop),
  });
  await expect(page).toHaveURL(/#scenario=custom/);
  await page.getByRole('tab', { name: /^Ingress/ }).click();
  return app;
}

test('[ING9] the Ingress panel lists the rules and highlights the one a request matches, with why', async ({
  page,
}) => {
  await openShop(page);
  const panel = page.getByTestId('ingress-panel');
  const rules = panel.getByRole('table');
  await expect(rules.getByRole('row')).toHaveCount(5); // header, defaultBackend, 3 paths
  await panel.getByLabel('Host').fill('shop.example.com');
  await panel.getByLabel('Path').fill('/api/v1/items');
  const winner = rules.locator('tr[aria-current="true"]');
  await expect(winner).toHaveCount(1);
  await expect(winner).toContainText('/api');
  await expect(winner).toContainText('Prefix');
  await expect(winner).toContainText('api');
  await expect(panel.getByTestId('ingress-why')).toContainText('default/api:http');
  await expect(panel.getByTestId('ingress-why')).toContainText('longest of 2 matching prefixes');
  // /apiary is not under /api: the / prefix wins, and the panel says why.
  await panel.getByLabel('Path').fill('/apiary');
  await expect(winner).toContainText('web');
  await expect(panel.getByTestId('ingress-why')).toContainText(
    'a prefix matches whole path elements',
  );
  // Another host: the catch-all Ingress's defaultBackend.
  await panel.getByLabel('Host').fill('other.test');
  await expect(winner).toContainText('(defaultBackend)');
  await expect(panel.locator('.ingress-conf')).toContainText('location "/api/" {');
  await expect(panel.locator('.ingress-conf')).toContainText('location = "/healthz" {');
  await expect(panel.getByRole('region', { name: 'Certificates' })).toContainText(
    'shop.example.com',
  );
});

for (const [w, h] of [
  [1440, 900],
  [1280, 720],
  [800, 500],
] as const) {
  test(`ingress panel screenshot ${w}x${h}`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await openShop(page);
    const panel = page.getByTestId('ingress-panel');
    await panel.getByLabel('Host').fill('shop.example.com');
    await panel.getByLabel('Path').fill('/api/v1/items');
    await expect(panel.locator('tr[aria-current="true"]')).toHaveCount(1);
    await page.screenshot({ path: `test-results/ingress-${w}x${h}.png` });
  });
}

/** A step of a built-in by its summary, found in the simulation (the step list is windowed). */
function stepOf(scenario: string, summary: RegExp): number {
  const r = createSimulation(readFileSync(`public/scenarios/${scenario}.yaml`, 'utf8'));
  if (!r.ok) throw new Error(`${scenario} does not load`);
  const i = r.sim.steps.findIndex((s) => summary.test(s.summary));
  if (i < 0) throw new Error(`no step ${summary} in ${scenario}`);
  return i;
}

test('[ING9] the Ingress built-in highlights the winning rule at the step where the controller routes, with why', async ({
  page,
}) => {
  // shop.example has two Prefix paths, /cart and /. The spec: the longest matching prefix
  // wins, so GET /cart goes to cart; GET / only matches /; blog.example has no rule: 404.
  const cart = stepOf('ingress-https', /^ingress-nginx: rule → default\/cart:80$/);
  const app = await new KubewirePage(page).open(`#scenario=ingress-https&step=${cart}`);
  const tab = page.getByRole('tab', { name: /^Ingress/ });
  // The controller's routing step brings the Ingress tab up by itself.
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  const panel = page.getByTestId('ingress-panel');
  const winner = panel.getByRole('table').locator('tr[aria-current="true"]');
  await expect(winner).toHaveCount(1);
  await expect(winner).toContainText('shop.example');
  await expect(winner).toContainText('/cart');
  await expect(winner).toContainText('Prefix');
  await expect(winner).toContainText('cart');
  await expect(panel.getByTestId('ingress-why')).toContainText('This step → default/cart:80');
  await expect(panel.getByTestId('ingress-why')).toContainText('Prefix /cart matches /cart');

  const root = stepOf('ingress-https', /^ingress-nginx: rule → default\/storefront:80$/);
  await page.evaluate((i) => {
    window.location.hash = `#scenario=ingress-https&step=${i}`;
  }, root);
  await expect(app.counter.locator('strong')).toHaveText(String(root));
  await expect(winner).toContainText('storefront');
  await expect(winner.locator('td').nth(1)).toHaveText('/');
  await expect(panel.getByTestId('ingress-why')).toContainText('Prefix / is location /');

  const none = stepOf('ingress-https', /^ingress-nginx: no rule, no defaultBackend → its own 404$/);
  await page.evaluate((i) => {
    window.location.hash = `#scenario=ingress-https&step=${i}`;
  }, none);
  await expect(app.counter.locator('strong')).toHaveText(String(none));
  await expect(winner).toHaveCount(0);
  await expect(panel.getByTestId('ingress-why')).toContainText('This step → 404');
  await expect(panel.getByTestId('ingress-why')).toContainText('no server_name is blog.example');
});

test('[DNSAPP5] a trace with HTTPS offers its TLS keys beside the pcap, for Wireshark', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=ingress-https');
  const [pcap] = await Promise.all([
    page.waitForEvent('download'),
    app.button('Export pcap').click(),
  ]);
  const capture = readFileSync((await pcap.path()) ?? '').toString('hex');
  const [keys] = await Promise.all([
    page.waitForEvent('download'),
    app.button('TLS keys (SSLKEYLOGFILE)').click(),
  ]);
  expect(keys.suggestedFilename()).toBe('ingress-https.keys');
  const lines = readFileSync((await keys.path()) ?? '', 'utf8')
    .trimEnd()
    .split('\n');
  // NSS key log format for TLS 1.3: label, the ClientHello's random, the secret (SHA-384 here).
  const labels = new Set<string>();
  for (const line of lines) {
    const m =
      /^(CLIENT_HANDSHAKE_TRAFFIC_SECRET|SERVER_HANDSHAKE_TRAFFIC_SECRET|CLIENT_TRAFFIC_SECRET_0|SERVER_TRAFFIC_SECRET_0|EXPORTER_SECRET) ([0-9a-f]{64}) ([0-9a-f]{64}|[0-9a-f]{96})$/.exec(
        line,
      );
    expect(m, line).not.toBeNull();
    labels.add(m![1]);
    // The random is a ClientHello's in the capture: these keys are this pcap's.
    expect(capture).toContain(m![2]);
  }
  expect(labels).toContain('CLIENT_TRAFFIC_SECRET_0');
  await expect(app.notice).toContainText(
    'Preferences → Protocols → TLS → (Pre)-Master-Secret log filename',
  );
  // A trace without HTTPS has no keys to offer.
  await page.goto('about:blank');
  await new KubewirePage(page).open('#scenario=dns-ndots');
  await expect(page.getByRole('button', { name: 'TLS keys (SSLKEYLOGFILE)' })).toHaveCount(0);
});

test('the inspector shows the request before and after ingress-nginx, with the headers it added marked', async ({
  page,
}) => {
  // The segment the controller sends upstream: the request curl sent (decrypted from TLS) and
  // the one nginx writes to the pod, with X-Forwarded-For and the others nginx.tmpl adds.
  const r = createSimulation(readFileSync('public/scenarios/ingress-https.yaml', 'utf8'));
  if (!r.ok) throw new Error('ingress-https does not load');
  const i = r.sim.steps.findIndex(
    (s) => (s.facts as { cause?: { type?: string } }).cause?.type === 'ingress.proxy',
  );
  expect(i).toBeGreaterThan(0);
  const upstream = (r.sim.steps[i].facts as unknown as { cause: { upstream: string } }).cause
    .upstream;
  await new KubewirePage(page).open(`#scenario=ingress-https&step=${i}`);
  await page.getByRole('tab', { name: /^Packet/ }).click();
  const pair = page.getByTestId('http-rewrite');
  const before = pair.getByRole('region', { name: 'Request before the controller' });
  const after = pair.getByRole('region', { name: 'Request after the controller' });
  await expect(before).toContainText('GET /cart HTTP/1.1');
  await expect(before).not.toContainText('X-Forwarded-For');
  await expect(after).toContainText('GET /cart HTTP/1.1');
  await expect(after.locator('mark.added', { hasText: /^X-Forwarded-For: / })).toHaveCount(1);
  await expect(after.locator('mark.added', { hasText: /^X-Real-IP: / })).toHaveCount(1);
  await expect(after).toContainText(upstream);
});

/**
 * The Ingress panel (ING9): the rules table of a scenario with Ingresses, a
 * request typed in (Host and path) highlighting the rule that wins with the
 * reason, the certificate per TLS host, and nginx's server blocks; screenshots
 * at 1440×900, 1280×720 and 800×500.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
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

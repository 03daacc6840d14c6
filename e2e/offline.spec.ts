/** The app talks only to its own origin, and keeps working offline once loaded. */
import { expect, test } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';

test('no request leaves the page’s own origin while a user works', async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const foreign: string[] = [];
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin + '/') && !/^(data|blob):/.test(url)) foreign.push(url);
  });
  const app = await new KubewirePage(page).open('#scenario=service-clusterip');
  await app.stepForward(3);
  for (const name of ['iptables', 'conntrack', 'Packet'] as const) await app.showTab(name);
  await app.openEditor();
  await page.getByRole('radio', { name: '4×' }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: /^Play/ }).click();
  await page.waitForTimeout(1500);
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('same-node');
  await expect(app.topology).toContainText('pod-a');
  expect(foreign).toEqual([]);
});

test('once loaded, stepping, the panels and switching built-ins work offline', async ({
  page,
  context,
}) => {
  const app = await new KubewirePage(page).open();
  const catalog = (await (await page.request.get('/scenarios/index.json')).json()) as unknown[];
  // The built-ins are fetched in the background after the first paint.
  await expect
    .poll(
      () =>
        page.evaluate(
          () =>
            performance
              .getEntriesByType('resource')
              .filter((e) => /\/scenarios\/[^/]+\.yaml$/.test(e.name)).length,
        ),
      { timeout: 30_000 },
    )
    .toBe(catalog.length);
  await context.setOffline(true);
  await app.stepForward(2);
  await app.showTab('Routes');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('service-clusterip');
  await expect(app.topology).toContainText('client', { timeout: 20_000 });
  await expect(app.notice).toHaveCount(0);
  await app.stepForward();
});

test('Share copies a link to the step on screen', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const app = await new KubewirePage(page).open('#scenario=same-node&step=12');
  await app.stepForward();
  await app.button('Share').click();
  await expect(app.notice).toContainText('Link to step 13 copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/\/#scenario=same-node&step=13$/);
  // The link opens that step.
  const other = await context.newPage();
  await other.goto(copied);
  await expect(new KubewirePage(other).counter.locator('strong')).toHaveText('13', {
    timeout: 20_000,
  });
});

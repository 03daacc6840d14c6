import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';

test('embed mode hides the header and editor but keeps the picture and the timeline', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=same-node&step=10', '?embed=1');
  await expect(page.locator('.app-header')).toHaveCount(0);
  await expect(app.button('Edit YAML')).toHaveCount(0);
  await expect(app.button('Export pcap')).toHaveCount(0);
  await expect(app.topology).toContainText('pod-a');
  await expect(app.counter.locator('strong')).toHaveText('10');
  await expect(app.button(/^Step forward/)).toBeVisible();
});

test('Export pcap downloads a classic pcap of the trace', async ({ page }) => {
  const app = await new KubewirePage(page).open();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    app.button('Export pcap').click(),
  ]);
  expect(download.suggestedFilename()).toBe('same-node.pcap');
  const bytes = readFileSync((await download.path()) ?? '');
  // Classic pcap magic, little- or big-endian, and LINKTYPE_ETHERNET.
  expect(['d4c3b2a1', 'a1b2c3d4']).toContain(bytes.subarray(0, 4).toString('hex'));
  expect(bytes.length).toBeGreaterThan(24 + 16 + 42);
});

test('nothing logs an error while a user plays, steps, scrubs and inspects', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  const app = await new KubewirePage(page).open();
  await page.getByRole('radio', { name: '4×' }).click();
  await page.keyboard.press('Space');
  await page.waitForTimeout(2500);
  await page.keyboard.press('Space');
  for (const tab of ['Neighbours', 'Bridge FDB', 'Routes', 'IPAM', 'Packet'] as const) {
    await app.showTab(tab);
    await app.stepForward();
  }
  await page.getByRole('slider', { name: 'Scrub through the steps' }).fill('30');
  await expect(app.counter.locator('strong')).toHaveText('30');
  await app.hex.locator('span[data-o="14"]').first().hover();
  await app.button(/^Last step/).click();
  await app.button(/^First step/).click();
  expect(problems).toEqual([]);
});

test('controls have accessible names and the focus ring is visible', async ({ page }) => {
  const app = await new KubewirePage(page).open();
  for (const name of [/^First step/, /^Step back/, /^Play/, /^Step forward/, /^Last step/])
    await expect(app.button(name)).toBeVisible();
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(
    () => getComputedStyle(document.activeElement as Element).outlineStyle,
  );
  expect(outline).not.toBe('none');
});

test('the topology zooms with the buttons and resets', async ({ page }) => {
  const app = await new KubewirePage(page).open();
  const layer = app.topology.locator('> g').first();
  await app.button('Zoom in').click();
  await expect(layer).toHaveAttribute('transform', /scale\(1\.4\)/);
  await app.button('Reset zoom').click();
  await expect(layer).toHaveAttribute('transform', /scale\(1\)/);
});

test('presenter mode drops the step list and enlarges the narration', async ({ page }) => {
  const app = await new KubewirePage(page).open();
  const size = async () =>
    Number.parseFloat(await app.explanation.evaluate((el) => getComputedStyle(el).fontSize));
  const before = await size();
  await app.button('Present').click();
  await expect(page.locator('.step-list')).toHaveCount(0);
  expect(await size()).toBeGreaterThan(before);
  await expect(page.locator('.app-header')).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expect(app.explanation).not.toBeEmpty();
  await page.keyboard.press('Escape');
  await expect(page.locator('.app-header')).toBeVisible();
  await expect(page.locator('.step-list')).toBeVisible();
});

test('the header fits at 1440, 1280, 1100 and 768 px: the brand uncovered, every button on screen', async ({
  page,
}) => {
  await new KubewirePage(page).open('#scenario=cross-node-vxlan&step=0');
  for (const width of [1440, 1280, 1100, 768]) {
    await page.setViewportSize({ width, height: 800 });
    await page.waitForTimeout(200);
    const brand = (await page.locator('.brand-name').boundingBox())!;
    const picker = (await page.getByRole('combobox', { name: 'Scenario' }).boundingBox())!;
    expect(brand.x + brand.width, `${width}: brand name clear of the picker`).toBeLessThanOrEqual(
      picker.x,
    );
    const buttons = page.locator('.header-actions button');
    for (let i = 0; i < (await buttons.count()); i++) {
      const b = (await buttons.nth(i).boundingBox())!;
      expect(b.x + b.width, `${width}: header button ${i} on screen`).toBeLessThanOrEqual(width);
    }
  }
});

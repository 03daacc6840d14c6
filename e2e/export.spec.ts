/**
 * Picture → SVG and PNG: the topology as on screen, as files a docs author can
 * drop into slides. The SVG stands alone (styles inlined, no class left to
 * resolve), the PNG is twice the view's size.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';

async function download(page: Page, item: RegExp): Promise<{ name: string; bytes: Buffer }> {
  await page.getByRole('button', { name: 'Picture' }).click();
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: item }).click(),
  ]);
  return { name: file.suggestedFilename(), bytes: readFileSync((await file.path()) ?? '') };
}

/** The fill a text with exactly `label` is painted with, in the page's document. */
const fillOf = (page: Page, label: string) =>
  page.evaluate((l) => {
    const t = [...document.querySelectorAll('text')].find((e) => e.textContent === l);
    return t ? getComputedStyle(t).fill : null;
  }, label);

for (const scheme of ['light', 'dark'] as const)
  test(`Picture → SVG is a standalone SVG of the view with its labels, in the ${scheme} theme`, async ({
    page,
    browser,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const app = await new KubewirePage(page).open('#scenario=same-node&step=32');
    const { name, bytes } = await download(page, /^Topology as SVG/);
    expect(name).toBe('same-node-step-32.svg');
    const svg = bytes.toString('utf8');
    expect(svg).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/,
    );
    expect(svg).not.toMatch(/\sclass="/);
    // Parsed by the browser's XML parser, with no stylesheet: the labels are there, painted as in the app.
    const blank = await browser.newPage();
    await blank.setContent('<!doctype html><body></body>');
    const parsed = await blank.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      if (doc.querySelector('parsererror')) return null;
      document.body.append(document.importNode(doc.documentElement, true));
      return [...document.querySelectorAll('text')].map((t) => t.textContent);
    }, svg);
    expect(parsed).not.toBeNull();
    for (const label of ['node-1', '192.168.1.10', 'veth274cc8f0', 'node network 192.168.1.0/24'])
      expect(parsed).toContain(label);
    expect(parsed!.some((t) => t?.includes('pod-a'))).toBe(true);
    for (const label of ['node-1', '192.168.1.10', 'veth274cc8f0']) {
      const inApp = await fillOf(page, label);
      expect(inApp).toBeTruthy();
      expect(await fillOf(blank, label)).toBe(inApp);
    }
    // The packet on the wire is in the picture too (the overlay is drawn over the map).
    const glyph = await app.overlay.locator('.packet text').first().textContent();
    expect(parsed).toContain(glyph);
    await blank.close();
  });

test('Picture → PNG is a PNG twice the size of the view on screen', async ({ page }) => {
  const app = await new KubewirePage(page).open('#scenario=same-node&step=32');
  const box = (await app.topology.boundingBox())!;
  const { name, bytes } = await download(page, /^Topology as PNG/);
  expect(name).toBe('same-node-step-32.png');
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  expect(bytes.readUInt32BE(16)).toBe(2 * Math.round(box.width));
  expect(bytes.readUInt32BE(20)).toBe(2 * Math.round(box.height));
  // Not a blank canvas: a picture of this size with text compresses to well over a few KiB.
  expect(bytes.length).toBeGreaterThan(20_000);
});

test('the Picture menu closes with Escape and is reachable by keyboard', async ({ page }) => {
  await new KubewirePage(page).open();
  const menu = page.getByRole('button', { name: 'Picture' });
  await menu.focus();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('button', { name: /^Topology as SVG/ })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
});

/**
 * The README's screenshot (public/screenshot.png): the default scenario in
 * the middle of the TCP handshake, with the packet inspector open. A few
 * more views go to test-results/ for a human to look at.
 */
import { test } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';

test.use({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });

const still = (page: import('@playwright/test').Page) =>
  page.addStyleTag({
    content: '*, *::before, *::after { animation: none !important; transition: none !important; }',
  });

test('README screenshot: mid-handshake with the inspector open', async ({ page }) => {
  const app = await new KubewirePage(page).open();
  await app.goToStep(await app.findStep(/\[SYN, ACK\]/));
  await app.stepForward(); // the SYN-ACK crossing cni0
  await app.showTab('Packet');
  await page.waitForTimeout(1600); // let the hop animation land
  const flags = page.getByRole('treeitem', { name: /^Flags: .*SYN, ACK/ });
  await flags.scrollIntoViewIfNeeded();
  await flags.hover();
  await still(page);
  await page.screenshot({ path: 'public/screenshot.png' });
});

test('gallery: other steps, panels and embed mode', async ({ page }) => {
  const app = await new KubewirePage(page).open();
  await still(page);
  const shots: [string, () => Promise<void>][] = [
    ['flood', async () => app.goToStep(await app.findStep(/Who has/, 11))],
    ['arp-reachable-neigh', async () => app.goToStep(await app.findStep(/REACHABLE/))],
    ['fdb', async () => app.showTab('Bridge FDB')],
    ['routes', async () => app.showTab('Routes')],
    ['ipam', async () => app.goToStep(2).then(() => app.showTab('IPAM'))],
    ['editor-errors', async () => app.applyYaml('apiVersion: v1\nkind: [unclosed\n')],
  ];
  for (const [name, go] of shots) {
    await go();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `test-results/gallery/${name}.png` });
  }
  await app.open('#scenario=same-node&step=21', '?embed=1');
  await page.setViewportSize({ width: 960, height: 600 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'test-results/gallery/embed.png' });
});

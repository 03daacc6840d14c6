/**
 * The README's classroom screenshots (issue 9): the app at 1440×900 in the
 * light and the dark theme, a tablet at 768×1024, presenter mode on a
 * 1280×720 projector, and the embed in an 800×500 iframe-sized window. Each
 * is written to public/ and looked at before it is committed.
 */
import { test, type Page } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';
import { present } from './pages/presenter.ts';
import { seekByHash } from './pages/gallery.ts';

test.use({ deviceScaleFactor: 1 });

const still = (page: Page) =>
  page.addStyleTag({
    content: '*, *::before, *::after { animation: none !important; transition: none !important; }',
  });

async function atEncap(page: Page, query = '') {
  const app = await new KubewirePage(page).open('#scenario=cross-node-vxlan&step=0');
  const step = await app.findStep(/VXLAN VNI 1 →/);
  if (query) await app.open(`#scenario=cross-node-vxlan&step=${step}`, query);
  else await app.goToStep(step);
  await page.waitForTimeout(1600);
  await still(page);
  return app;
}

for (const scheme of ['light', 'dark'] as const) {
  test(`1440×900, ${scheme}: the VXLAN encap step with the deciding FDB row`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1440, height: 900 });
    await atEncap(page);
    await page.screenshot({ path: `public/classroom-1440-${scheme}.png` });
  });
}

test('768×1024 tablet', async ({ page }) => {
  await page.setViewportSize({ width: 768, height: 1024 });
  await atEncap(page);
  // Stepping scrolled the step list's row into view: the picture is what the shot is of.
  await page.evaluate(() => {
    window.scrollTo(0, 0);
    for (const el of document.querySelectorAll<HTMLElement>('.workspace')) el.scrollTop = 0;
  });
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'public/classroom-tablet-768.png' });
});

test('presenter mode at 1280×720', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const { steps } = await present(page, '#scenario=cross-node-vxlan&step=0', [/VXLAN VNI 1 →/]);
  await seekByHash(page, steps[0]);
  await page.waitForTimeout(2000);
  await page.mouse.move(400, 300);
  await still(page);
  await page.screenshot({ path: 'public/classroom-presenter-1280.png' });
});

test('embed at 800×500', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 500 });
  await atEncap(page, '?embed=1');
  await page.screenshot({ path: 'public/classroom-embed-800.png' });
});

/**
 * Compare mode for the README (public/compare-1440x900.png, public/compare-1280x720.png)
 * and the gallery (all three sizes): flannel vxlan beside host-gw as the ping's request
 * leaves node-1 — inside VXLAN on the left, plain on the right — with the stats strip.
 */
import { expect, test } from '@playwright/test';
import { SHOT_SIZES, galleryPath } from './pages/gallery.ts';

const still = (page: import('@playwright/test').Page) =>
  page.addStyleTag({
    content: '*, *::before, *::after { animation: none !important; transition: none !important; }',
  });

for (const size of SHOT_SIZES)
  for (const scheme of ['light', 'dark'] as const)
    test(`compare at ${size.width}×${size.height} (${scheme})`, async ({ page }) => {
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto('/#scenario=cross-node-vxlan&step=32&compare=cni:flannel/host-gw');
      await expect(page.getByTestId('compare-stats')).toBeVisible({ timeout: 30_000 });
      await expect(page.getByTestId('compare-other-milestone')).toHaveText('leaves node-1');
      await still(page);
      await page.waitForTimeout(1200);
      const readme = size.height !== 500 && scheme === 'light';
      await page.screenshot({
        path: readme
          ? `public/compare-${size.width}x${size.height}.png`
          : galleryPath(`compare-${scheme}`, size),
      });
    });

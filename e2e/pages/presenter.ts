/**
 * Presenter mode as the e2e specs see it: entering it, and what a projector shows — the size
 * on screen of every topology label in view, the caption and the table beside it.
 */
import { expect, type Page } from '@playwright/test';
import { KubewirePage } from './KubewirePage.ts';

export const PROJECTOR = { width: 1280, height: 720 } as const;

export interface Label {
  readonly text: string;
  /** Font size on screen: the computed size times the svg's scale (its screen CTM). */
  readonly px: number;
}

/** Opens `hash`, finds steps by their Info text (the step list is gone in presenter mode), presents. */
export async function present(page: Page, hash: string, find: RegExp[] = []) {
  const app = await new KubewirePage(page).open(hash);
  const steps: number[] = [];
  for (const info of find) steps.push(await app.findStep(info));
  await app.button('Present').click();
  await expect(page.locator('.presenter-main')).toBeVisible();
  return { app, steps };
}

/** Every topology <text> with a box inside the topology's frame, as the screen shows it. */
export async function labelsInView(page: Page): Promise<Label[]> {
  return page.evaluate(() => {
    const frame = document.querySelector('.topology-frame')!.getBoundingClientRect();
    const out: { text: string; px: number }[] = [];
    for (const t of document.querySelectorAll<SVGTextElement>('svg.topology text')) {
      const r = t.getBoundingClientRect();
      if (!r.width || !r.height || getComputedStyle(t).visibility === 'hidden') continue;
      const inside =
        r.right > frame.left &&
        r.left < frame.right &&
        r.bottom > frame.top &&
        r.top < frame.bottom;
      if (!inside) continue;
      const m = t.getScreenCTM();
      const scale = m ? Math.hypot(m.a, m.b) : 1;
      out.push({ text: t.textContent ?? '', px: parseFloat(getComputedStyle(t).fontSize) * scale });
    }
    return out;
  });
}

/**
 * Presenter mode on a 1280×720 projector (issue 9.4): the topology fills most of the screen
 * with every label in view at 18 px or more, the step's headline is a caption that is neither
 * cut nor covered, one table beside it is large, the keys work, the laser follows the mouse
 * and the leave button covers no table row.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { labelsInView, present, PROJECTOR } from './pages/presenter.ts';
import { seekByHash } from './pages/gallery.ts';

test.use({ viewport: PROJECTOR });

const box = async (l: Locator) => (await l.boundingBox())!;

async function expectLegible(page: Page, where: string) {
  // The zoom follows the packet: wait for it to settle at the step.
  await page.waitForTimeout(400);
  const labels = await labelsInView(page);
  expect(labels.length, `${where}: labels in view`).toBeGreaterThan(5);
  const small = labels.filter((l) => l.px < 17.95).map((l) => `${l.text} ${l.px.toFixed(1)}px`);
  expect(small, `${where}: labels under 18 px`).toEqual([]);
}

test('[UI2] at 1280×720 the topology fills most of the screen and every label in view is ≥ 18 px', async ({
  page,
}) => {
  const { steps } = await present(page, '#scenario=cross-node-vxlan&step=0', [
    /Who has 10\.244\.0\.1\?/,
    /VXLAN VNI 1 →/,
    /Echo \(ping\) reply/,
  ]);
  const frame = await box(page.locator('.presenter-main .topology-frame'));
  // Most of the screen: over 60% of its width and 75% of its height.
  expect(frame.width).toBeGreaterThan(0.6 * PROJECTOR.width);
  expect(frame.height).toBeGreaterThan(0.75 * PROJECTOR.height);
  await expectLegible(page, 'step 0');
  for (const step of steps) {
    await seekByHash(page, step);
    await expectLegible(page, `step ${step}`);
  }
  // At the encap step the packet's envelope label is among them, at 18 px too.
  await seekByHash(page, steps[1]);
  await page.waitForTimeout(1600); // the envelope closes around the packet during the hop
  const envelope = (await labelsInView(page)).find((l) => l.text === 'VXLAN · UDP 8472');
  expect(envelope?.px).toBeGreaterThanOrEqual(17.95);
});

test('[UI2] the caption is the whole headline, large, and M adds the explanation under it', async ({
  page,
}) => {
  await present(page, '#scenario=same-node&step=14');
  const headline = page.getByTestId('headline');
  await expect(headline).toBeVisible();
  const size = await headline.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(size).toBeGreaterThanOrEqual(24);
  // Not clipped: as wide and tall as its text, and on screen.
  const clipped = await headline.evaluate(
    (el) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1,
  );
  expect(clipped).toBe(false);
  const b = await box(headline);
  expect(b.y + b.height).toBeLessThanOrEqual(PROJECTOR.height);
  expect(b.x + b.width).toBeLessThanOrEqual(PROJECTOR.width);
  await expect(page.getByTestId('explanation')).toBeHidden();
  await page.keyboard.press('m');
  await expect(page.getByTestId('explanation')).toBeVisible();
  const text = await page.getByTestId('explanation').textContent();
  expect(text!.length).toBeGreaterThan((await headline.textContent())!.length);
  // The bigger caption still leaves the picture most of the height, and the bar on screen.
  expect((await box(page.locator('.presenter-main .topology-frame'))).height).toBeGreaterThan(
    0.4 * PROJECTOR.height,
  );
  const exit = await box(page.getByRole('button', { name: /Leave presenter mode/ }));
  expect(exit.y + exit.height).toBeLessThanOrEqual(PROJECTOR.height);
});

test('[UI2] one table at a time, its rows at 18 px, and the leave button covers none of it', async ({
  page,
}) => {
  await present(page, '#scenario=service-clusterip&step=60');
  const body = page.locator('.presenter-table .panel-body');
  const exit = page.getByRole('button', { name: /Leave presenter mode/ });
  for (const key of ['1', '2', '3', '4', '5', '6', '7', '8', '9']) {
    await page.keyboard.press(key);
    await page.waitForTimeout(100);
    await expect(page.locator('.presenter-table [role=tabpanel]')).toHaveCount(1);
    // Every line of the table: its text on screen at 18 px or more (the panel is zoomed).
    const sizes = await body.evaluate((el) =>
      [...el.querySelectorAll<HTMLElement>('*')]
        .filter(
          (r) =>
            r.getBoundingClientRect().height > 0 &&
            [...r.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim()),
        )
        .map((r) => ({
          text: r.textContent!.trim().slice(0, 30),
          px: parseFloat(getComputedStyle(r).fontSize) * r.currentCSSZoom,
        })),
    );
    expect(sizes.length, `table ${key} has rows`).toBeGreaterThan(0);
    const small = sizes.filter((t) => t.px < 17.95).map((t) => `${t.text} ${t.px.toFixed(1)}`);
    expect(small, `table ${key}: text under 18 px`).toEqual([]);
    // The pill sits below the table, not over it.
    const [p, t] = [await box(exit), await box(body)];
    const overlap =
      p.x < t.x + t.width && t.x < p.x + p.width && p.y < t.y + t.height && t.y < p.y + p.height;
    expect(overlap, `the leave button over table ${key}`).toBe(false);
  }
});

test('[UI3] keys only: space, ←/→, Home/End, 1–9, F, M, L and Esc', async ({ page }) => {
  await present(page, '#scenario=same-node&step=10');
  const counter = page.getByRole('status', { name: 'Current step' }).locator('strong');
  await page.keyboard.press('ArrowRight');
  await expect(counter).toHaveText('11');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(counter).toHaveText('9');
  await page.keyboard.press('End');
  const last = (await page.getByRole('status', { name: 'Current step' }).textContent())!;
  await expect(counter).toHaveText(last.split('/')[1].trim());
  await page.keyboard.press('Home');
  await expect(counter).toHaveText('0');
  await page.keyboard.press('Space');
  await expect(page.locator('.presenter-playing')).toBeVisible();
  await expect
    .poll(async () => Number(await counter.textContent()), { timeout: 5000 })
    .toBeGreaterThan(1);
  await page.keyboard.press('Space');
  await expect(page.locator('.presenter-playing')).toHaveCount(0);
  // 1–9 pick the tabs in their order on the strip.
  await page.keyboard.press('3');
  await expect(page.getByRole('tab', { name: /Routes/ })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('1');
  await expect(page.getByRole('tab', { name: /Neighbours/ })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  // Present opened full screen; F leaves it and comes back, presenter mode either way.
  const fullscreen = () => page.evaluate(() => !!document.fullscreenElement);
  await expect.poll(fullscreen).toBe(true);
  await page.keyboard.press('f');
  await expect.poll(fullscreen).toBe(false);
  await expect(page.locator('.presenter-main')).toBeVisible();
  await page.keyboard.press('f');
  await expect.poll(fullscreen).toBe(true);
  // L: the laser off and on.
  await page.mouse.move(300, 300);
  await expect(page.getByTestId('laser')).toBeVisible();
  await page.keyboard.press('l');
  await expect(page.getByTestId('laser')).toHaveCount(0);
  await page.keyboard.press('l');
  await page.mouse.move(310, 300);
  await expect(page.getByTestId('laser')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('.presenter-main')).toHaveCount(0);
  await expect(page.locator('.app-header')).toBeVisible();
});

test('[UI4] the laser pointer follows the mouse and takes no clicks', async ({ page }) => {
  await present(page, '#scenario=same-node&step=14');
  const laser = page.getByTestId('laser');
  await expect(laser).toBeHidden(); // until the mouse moves
  for (const [x, y] of [
    [200, 150],
    [640, 400],
    [1100, 300],
  ]) {
    await page.mouse.move(x, y);
    await expect
      .poll(async () => {
        const b = await box(laser);
        return Math.hypot(b.x + b.width / 2 - x, b.y + b.height / 2 - y);
      })
      .toBeLessThan(2);
  }
  expect(await laser.evaluate((el) => getComputedStyle(el).pointerEvents)).toBe('none');
  // A click through it still reaches what is under it: a tab.
  const tab = page.getByRole('tab', { name: /Routes/ });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
});

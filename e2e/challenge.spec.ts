/**
 * Challenge mode (predict the next hop) on the flannel VXLAN built-in: a wrong
 * answer scores nothing and shows the right one, a right answer scores, the
 * final score is the sum of the verdicts, and the URL brings the mode back.
 * The right answers are flannel's: node-1 routes 10.244.1.0/24 into flannel.1,
 * whose fdb sends the VTEP's MAC to node-2's IP.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';

const score = (page: Page) => page.getByTestId('challenge-score');
const devices = (page: Page) => page.getByTestId('challenge-devices').getByRole('button');
const reasons = (page: Page) => page.getByTestId('challenge-reasons').getByRole('button');

/** The number key of the choice whose text matches. */
async function keyOf(choices: ReturnType<typeof devices>, text: RegExp): Promise<string> {
  const texts = await choices.allTextContents();
  const i = texts.findIndex((t) => text.test(t));
  expect(i, `a choice matching ${text} in ${texts.join(' | ')}`).toBeGreaterThanOrEqual(0);
  return String(i + 1);
}

test('a wrong answer scores 0 and shows the right one; a right one scores; the final score adds up', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=cross-node-vxlan&step=18&challenge=1');
  // Before pod-a's ping leaves: pod-a's own route (the /16 over the default), then cni0 hands it up.
  await expect(page.getByTestId('challenge-prompt')).toHaveText(
    /pod-a has a packet for 10\.244\.1\.2/,
  );
  await page.keyboard.press(await keyOf(devices(page), /eth0 of pod-a/));
  await page.keyboard.press(
    await keyOf(reasons(page), /10\.244\.0\.0\/16 via 10\.244\.0\.1 dev eth0/),
  );
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('challenge-prompt')).toHaveText(/cni0 on node-1/);
  await page.keyboard.press(await keyOf(devices(page), /cni0 itself/));
  await page.keyboard.press(
    await keyOf(reasons(page), /0a:58:0a:f4:00:01 dev cni0 master cni0 permanent/),
  );
  await expect(score(page)).toHaveAttribute('data-devices', '2');
  await expect(score(page)).toHaveAttribute('data-reasons', '2');
  await page.keyboard.press('ArrowRight');

  // Paused before node-1's routing step: the question is there, the hop is not shown yet.
  await expect(page.getByTestId('challenge-prompt')).toHaveText(
    /node-1 has a packet for 10\.244\.1\.2/,
  );
  expect(await app.currentStep()).toBe(20);
  await page.keyboard.press('ArrowRight');
  expect(await app.currentStep()).toBe(20);

  // Wrong on both parts: cni0, and the neighbour row (not the route).
  await page.keyboard.press(await keyOf(devices(page), /^\d?cni0 of node-1/));
  await page.keyboard.press(await keyOf(reasons(page), /ip neigh/));
  await expect(score(page)).toHaveAttribute('data-answered', '3');
  await expect(score(page)).toHaveAttribute('data-devices', '2');
  await expect(score(page)).toHaveAttribute('data-reasons', '2');
  const right = page.locator('.challenge-choice.right');
  await expect(right).toHaveCount(2);
  await expect(right.first()).toContainText('flannel.1 of node-1');
  await expect(right.nth(1)).toContainText('10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink');
  await expect(page.getByTestId('challenge-why')).toContainText('✗ wrong');
  // The hop is shown: the packet is on flannel.1.
  await expect.poll(() => app.currentStep()).toBe(21);

  // The next question is the encap: right on both parts, by keyboard.
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('challenge-prompt')).toHaveText(/flannel\.1 on node-1/);
  await page.keyboard.press(await keyOf(devices(page), /eth0 of node-1/));
  await page.keyboard.press(await keyOf(reasons(page), /dev flannel\.1 dst 192\.168\.1\.11/));
  await expect(score(page)).toHaveAttribute('data-answered', '4');
  await expect(score(page)).toHaveAttribute('data-devices', '3');
  await expect(score(page)).toHaveAttribute('data-reasons', '3');

  // Every other question answered with key 1; the verdicts seen add up to the final score.
  let points = 6;
  const total = Number(await score(page).getAttribute('data-total'));
  for (let guard = 0; guard < 400; guard++) {
    if (Number(await score(page).getAttribute('data-answered')) === total) break;
    const open = page.locator('[data-testid="challenge-devices"] button:enabled');
    if ((await open.count()) > 0) {
      await page.keyboard.press('1');
      await page.keyboard.press('1');
      const verdict = await page
        .getByTestId('challenge-why')
        .locator('.challenge-verdict')
        .textContent();
      points += (verdict!.match(/✓/g) ?? []).length;
    } else {
      await page.keyboard.press('ArrowRight');
    }
  }
  await expect(score(page)).toHaveAttribute('data-answered', String(total));
  await expect(score(page)).toContainText(`Final score`);
  await expect(score(page)).toContainText(`All ${total} answered`);
  const d = Number(await score(page).getAttribute('data-devices'));
  const r = Number(await score(page).getAttribute('data-reasons'));
  expect(d + r).toBe(points);
  await expect(score(page)).toContainText(`${points} of ${2 * total} points`);
});

test('the URL restores challenge mode, and the toggle writes it', async ({ page }) => {
  const app = await new KubewirePage(page).open('#scenario=cross-node-vxlan&step=20');
  const toggle = page.getByTestId('challenge-toggle');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('challenge')).toHaveCount(0);
  await toggle.click();
  await expect(page).toHaveURL(/challenge=1/);
  await page.reload();
  await expect(app.topology).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('challenge-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('challenge')).toBeVisible();
  await page.getByTestId('challenge-toggle').click();
  await expect(page).not.toHaveURL(/challenge=1/);
  await expect(page.getByTestId('headline')).toBeVisible();
});

test('no axe violations on a question and on its verdict', async ({ page }) => {
  test.setTimeout(180_000);
  await new KubewirePage(page).open('#scenario=cross-node-vxlan&step=20&challenge=1');
  await expect(page.getByTestId('challenge-prompt')).toBeVisible();
  const check = async (what: string) => {
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    // Every impact, not only serious: the card is new and should be clean.
    const bad = result.violations.map(
      (v) => `${what}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
    expect(bad).toEqual([]);
  };
  await check('question');
  await page.keyboard.press('1');
  await page.keyboard.press('1');
  await expect(page.getByTestId('challenge-why')).toBeVisible();
  await check('verdict');
});

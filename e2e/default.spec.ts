import { expect, test } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';

test('the default scenario opens with no click and draws the cluster', async ({ page }) => {
  const app = await new KubewirePage(page).open();
  for (const text of [
    'node-1',
    'pod-a',
    'pod-b',
    '10.244.0.2',
    '10.244.0.3',
    'cni0',
    '192.168.1.10',
  ])
    await expect(app.topology).toContainText(text);
  await expect(page.locator('.veth-label')).toHaveCount(2);
  await expect(page.getByRole('heading', { name: /two pods on one node/i })).toBeVisible();
  await expect(app.explanation).not.toBeEmpty();
  // It opens where the traffic starts, after the pods were set up.
  await expect(page).toHaveURL(/#scenario=same-node&step=\d+$/);
  await expect(page.locator('.narration-where')).toContainText('action');
});

test('before the pods exist they keep their place as ghosts', async ({ page }) => {
  const app = await new KubewirePage(page).open('#scenario=same-node&step=0');
  const podB = app.topology.locator('[data-pod="default/pod-b"]');
  await expect(podB).toHaveClass(/ghost/);
  await expect(podB).toContainText('no sandbox yet');
  const before = await podB.locator('.pod-box').boundingBox();
  await app.button(/^Last step/).click();
  await expect(podB).not.toHaveClass(/ghost/);
  expect(await podB.locator('.pod-box').boundingBox()).toEqual(before);
});

test('each pod shows its containers, restart counts and the pause container', async ({ page }) => {
  const app = await new KubewirePage(page).open();
  const podB = app.topology.locator('[data-pod="default/pod-b"]');
  await expect(podB).toContainText('web');
  await expect(podB).toContainText('log-shipper');
  await expect(podB).toContainText('pause');
  await expect(podB).toContainText('↻ 0');
  await expect(podB).toContainText(/0a:58:0a:f4:00:03/);
});

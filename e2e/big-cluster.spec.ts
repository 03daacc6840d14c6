import { expect, test } from '@playwright/test';
import { bigScenario } from '../sim-core/bench/big-scenario.ts';
import { KubewirePage } from './pages/KubewirePage.ts';

// 10 nodes × 20 pods, round-robin: p0 on node-1, p13 on node-4. The first action pings p0 → p13.
test.beforeEach(async ({ page }) => {
  const text = bigScenario(10, 20, 4);
  await page.addInitScript((t) => window.localStorage.setItem('kubewire:custom', t), text);
});

const open = async (page: KubewirePage['page']) => {
  const app = await new KubewirePage(page).open('#scenario=custom');
  // The drawing is a group of buttons (nodes, pods) inside the topology, named with what it shows.
  await expect(app.topology.getByRole('group', { name: /^Cluster topology:/ })).toHaveAttribute(
    'aria-label',
    /10 node\(s\), 200 pod\(s\)/,
  );
  return app;
};

test('a big cluster opens as a map of nodes; Follow zooms to the packet and draws it in full', async ({
  page,
}) => {
  const app = await open(page);
  await expect(app.topology.locator('.node.tile')).toHaveCount(10);
  // A tile draws its pods' squares (one path per look) and says how many in its tooltip.
  const tile = app.topology.locator('.node.tile[data-node="node-1"]');
  await expect(tile.locator('> title')).toHaveText('node-1: 20 pods — 20 running');
  const counts = await app.topology
    .locator('.node.tile')
    .evaluateAll((tiles) => tiles.map((t) => Number(t.getAttribute('data-pods'))));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(200);
  const squares = await tile
    .locator('path.pod-tile')
    .evaluateAll((paths) =>
      paths.reduce((n, p) => n + (p.getAttribute('d') ?? '').split('M').length - 1, 0),
    );
  expect(squares).toBe(20);
  await expect(app.topology.locator('.pod')).toHaveCount(0);
  await expect(app.topology).toContainText('node-10');

  // On the map, the step's pod is lit over its tile and named on hover; the tile underneath is unchanged.
  const start = await app.currentStep();
  const lit = app.overlay.locator('.tile-highlight [data-tile-pod]');
  for (let i = 0; i < 12 && !(await lit.count()); i++) await app.stepForward();
  await expect(lit.first().locator('title')).toHaveText(
    /^default\/p\d+ \(10\.244\.\d+\.\d+\): where this step happens$/,
  );
  await expect(tile.locator('> title')).toHaveText('node-1: 20 pods — 20 running');
  const moved = (await app.currentStep()) - start;
  if (moved > 2) await app.stepBack(moved - 2);
  else await app.stepForward(2 - moved);
  await app.button('Follow').click();
  await expect(app.button('Follow')).toHaveAttribute('aria-pressed', 'true');
  // The hop's node is drawn in full (pods with their IPs and MACs); far-away nodes stay tiles.
  await expect(app.topology.locator('[data-pod="default/p0"]')).toContainText('10.244.0.2');
  await expect(app.topology.locator('.node.tile').first()).toBeAttached();
  // Zooming by hand stops following.
  await app.button('Reset zoom').click();
  await expect(app.button('Follow')).toHaveAttribute('aria-pressed', 'false');
  await expect(app.topology.locator('.pod')).toHaveCount(0);

  // Another scenario opens unzoomed and not following.
  await app.button('Follow').click();
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('same-node');
  await expect(app.button('Follow')).toHaveCount(0);
  await app.stepForward();
  await expect(app.topology.locator('> g').first()).toHaveAttribute('transform', /scale\(1\)/);
});

test('the tables show the namespaces in play, and a filter finds any other', async ({ page }) => {
  const app = await open(page);
  const sections = page.locator('.panel-body .terminal');
  const filter = page.getByRole('searchbox', { name: 'Filter the network namespaces' });
  await expect(filter).toBeVisible();
  // The ping's two pods and their hosts, not 210 tables.
  await expect(app.table('neigh', 'node-1/default/p0')).toBeVisible();
  await expect(app.table('neigh', 'node-4/default/p13')).toBeVisible();
  expect(await sections.count()).toBeLessThanOrEqual(8);

  await filter.fill('p199');
  await expect(sections).toHaveCount(1);
  await expect(app.table('neigh', 'node-10/default/p199')).toContainText('ip neigh show');
  // The filter is shared by the tabs.
  await app.showTab('Routes');
  await expect(app.table('route', 'node-10/default/p199')).toContainText('default via');
  await page.getByRole('searchbox', { name: 'Filter the network namespaces' }).fill('');
  await expect(app.table('route', 'node-1/default/p0')).toBeVisible();
});

test('a long trace renders only the rows in view and keeps the current one there', async ({
  page,
}) => {
  const app = await open(page);
  const count = Number((await page.locator('.step-counter .muted').textContent())?.match(/\d+/));
  expect(count).toBeGreaterThan(1000);
  expect(await app.stepRows.count()).toBeLessThan(100);
  const selected = page.locator('.step-list tr[aria-selected="true"]');
  await expect(selected).toBeInViewport({ ratio: 1 });

  await app.button(/^Last step/).click();
  await expect(selected.locator('td').first()).toHaveText(String(count));
  await expect(selected).toBeInViewport({ ratio: 1 });
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
  await expect(selected.locator('td').first()).toHaveText(String(count - 5));
  await expect(selected).toBeInViewport({ ratio: 1 });

  // A row above the current one, clicked, becomes the current step.
  const number = page.locator('td:first-child', { hasText: new RegExp(`^${count - 7}$`) });
  await app.stepRows.filter({ has: number }).click();
  await expect(app.counter.locator('strong')).toHaveText(String(count - 7));
});

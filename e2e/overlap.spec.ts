/**
 * Issue 9.7: nothing drawn over the topology hides a label. At the four window sizes a
 * class, a tablet and an iframe see, over steps of a few built-ins and a big cluster, every
 * text label of the picture that is in view is checked against the packet's badge, its
 * envelope, the hook and NAT tags, the focus ring and the zoom buttons; the scrubber's
 * chapter labels are either whole or not shown (their tooltip names them).
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { createSimulation, type Step } from '../sim-core/index.ts';
import { bigScenario } from '../sim-core/bench/big-scenario.ts';
import { KubewirePage } from './pages/KubewirePage.ts';

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1280, height: 720 },
  { width: 768, height: 1024 },
  { width: 800, height: 500 },
] as const;

type Pick = (s: Step) => boolean;
const summary =
  (re: RegExp): Pick =>
  (s) =>
    re.test(s.summary);

/** Each case: a built-in and the steps to look at, found in the simulation by what they show. */
const CASES: { scenario: string; steps: Pick[] }[] = [
  {
    scenario: 'same-node',
    steps: [
      summary(/Who has 10\.244\.0\.3/),
      summary(/Echo \(ping\) request/),
      summary(/\[SYN\]/),
      summary(/\[SYN, ACK\]/),
    ],
  },
  {
    scenario: 'cross-node-vxlan',
    steps: [(s) => s.kind === 'encap', (s) => s.kind === 'decap', summary(/Echo \(ping\) reply/)],
  },
  {
    scenario: 'service-clusterip',
    steps: [(s) => /DNAT/.test(s.summary), summary(/\[SYN, ACK\]/)],
  },
  {
    scenario: 'pod-lifecycle',
    steps: [
      (s) => s.place.iface === 'lo' && /\[SYN\]/.test(s.summary),
      summary(/kubectl delete pod/),
      summary(/deleted: .* released/),
    ],
  },
];

function indices(text: string, picks: Pick[]): number[] {
  const r = createSimulation(text);
  if (!r.ok) throw new Error('the scenario does not load');
  return picks.map((pick) => {
    const i = r.sim.steps.findIndex(pick);
    if (i < 0) throw new Error(`no step for ${pick.toString()}`);
    return i;
  });
}

interface Box {
  readonly what: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/**
 * The labels in view and what may cover them, in page pixels. A text's box is its glyph
 * cell (ascent to descent), so boxes are shrunk by a pixel before they are compared.
 */
async function boxes(page: Page): Promise<{ labels: Box[]; covers: Box[] }> {
  return page.evaluate(() => {
    const frame = document.querySelector('svg.topology:not(.topology-overlay)')!;
    const view = frame.getBoundingClientRect();
    const box = (what: string, el: Element) => {
      const r = el.getBoundingClientRect();
      return { what, x: r.x, y: r.y, w: r.width, h: r.height };
    };
    const inView = (b: { x: number; y: number; w: number; h: number }) =>
      b.w > 0 &&
      b.h > 0 &&
      b.x >= view.x - 1 &&
      b.y >= view.y - 1 &&
      b.x + b.w <= view.right + 1 &&
      b.y + b.h <= view.bottom + 1;
    const visible = (el: Element) => {
      const s = getComputedStyle(el);
      return s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0.05;
    };
    const labels = [...frame.querySelectorAll('text')]
      .filter((t) => (t.textContent ?? '').trim() && visible(t))
      .map((t) => box(`"${t.textContent!.trim()}"`, t))
      .filter(inView);
    const overlay = document.querySelector('svg.topology-overlay')!;
    const covers = [
      ...[...overlay.querySelectorAll('[data-testid="packet"] > rect')].map((e) =>
        box('packet badge', e),
      ),
      ...[...overlay.querySelectorAll('.envelope rect')]
        .filter(visible)
        .map((e) => box('VXLAN envelope', e)),
      ...[...overlay.querySelectorAll('[data-testid="hook-badge"] rect')].map((e) =>
        box('hook badge', e),
      ),
      ...[...overlay.querySelectorAll('.nat-swap-box')].map((e) => box('NAT tag', e)),
      ...[...overlay.querySelectorAll('circle.hop-focus')].map((e) => box('focus ring', e)),
      ...[...document.querySelectorAll('.zoom-controls button')].map((e) => box('zoom button', e)),
    ];
    return { labels, covers };
  });
}

const overlapping = (a: Box, b: Box) =>
  a.x + 1 < b.x + b.w && b.x < a.x + a.w - 1 && a.y + 1 < b.y + b.h && b.y < a.y + a.h - 1;

async function expectNoOverlap(page: Page, where: string): Promise<void> {
  const { labels, covers } = await boxes(page);
  const hits = covers.flatMap((c) =>
    labels.filter((l) => overlapping(l, c)).map((l) => `${c.what} covers ${l.what}`),
  );
  expect(hits, `${where}: labels covered`).toEqual([]);
}

async function expectWholeChapters(page: Page, where: string): Promise<void> {
  const cut = await page
    .locator('.scrubber .tick span')
    .evaluateAll((spans) =>
      spans
        .filter((s) => getComputedStyle(s).display !== 'none' && s.scrollWidth > s.clientWidth + 1)
        .map((s) => s.textContent),
    );
  expect(cut, `${where}: scrubber labels cut short`).toEqual([]);
}

test.use({ reducedMotion: 'reduce' }); // the packet rests where the step puts it, at once

for (const { scenario, steps: picks } of CASES) {
  test(`[VIS1] [VIS2] [VIS3] no badge, marker or button covers a label: ${scenario}`, async ({
    page,
  }) => {
    const steps = indices(readFileSync(`public/scenarios/${scenario}.yaml`, 'utf8'), picks);
    const app = new KubewirePage(page);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      for (const step of steps) {
        await app.open(`#scenario=${scenario}&step=${step}`);
        await expect(app.counter.locator('strong')).toHaveText(String(step));
        const where = `${scenario} step ${step} at ${size.width}×${size.height}`;
        await expectNoOverlap(page, where);
        await expectWholeChapters(page, where);
      }
    }
  });
}

test('[VIS1] [VIS2] no badge covers a label on a big cluster, as a map and followed', async ({
  page,
}) => {
  const text = bigScenario(10, 20, 4);
  await page.addInitScript((t) => window.localStorage.setItem('kubewire:custom', t), text);
  const steps = indices(text, [summary(/Who has/), summary(/Echo \(ping\) request/)]);
  const app = new KubewirePage(page);
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const step of steps) {
      await app.open(`#scenario=custom&step=${step}`);
      const where = `big cluster step ${step} at ${size.width}×${size.height}`;
      await expectNoOverlap(page, `${where} (map)`);
      await expectWholeChapters(page, where);
      // The node tiles sit apart: no two overlap, at any size.
      const tiles = await app.topology
        .locator('.node.tile > rect.node-box')
        .evaluateAll((rects) => rects.map((r) => r.getBoundingClientRect().toJSON() as DOMRect));
      for (let i = 0; i < tiles.length; i++)
        for (let j = i + 1; j < tiles.length; j++) {
          const [a, b] = [tiles[i], tiles[j]];
          const apart =
            a.right <= b.left + 0.5 ||
            b.right <= a.left + 0.5 ||
            a.bottom <= b.top + 0.5 ||
            b.bottom <= a.top + 0.5;
          expect(apart, `${where}: tiles ${i} and ${j} overlap`).toBe(true);
        }
      await app.button('Follow').click();
      await page.waitForTimeout(400);
      await expectNoOverlap(page, `${where} (followed)`);
    }
  }
});

test('[VIS1] [GUIDE2] a flood on a big cluster shows one badge counting its copies, covering no label', async ({
  page,
}) => {
  const text = bigScenario(12, 20, 4);
  await page.addInitScript((t) => window.localStorage.setItem('kubewire:custom', t), text);
  const r = createSimulation(text);
  if (!r.ok) throw new Error('the scenario does not load');
  // A bridge flooding an ARP broadcast out of every veth, and the node network's switch out to every node.
  const floods = [
    r.sim.steps.find((s) => s.kind === 'flood' && s.place.iface === 'cni0'),
    r.sim.steps.find((s) => s.kind === 'flood' && s.place.iface !== 'cni0'),
  ].map((s) => {
    if (!s?.fanout) throw new Error('no flood step');
    return { index: s.index, copies: s.fanout.length };
  });
  const app = new KubewirePage(page);
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const { index, copies } of floods) {
      await app.open(`#scenario=custom&step=${index}`);
      await expect(app.counter.locator('strong')).toHaveText(String(index));
      const where = `big cluster flood step ${index} at ${size.width}×${size.height}`;
      for (const view of ['map', 'followed']) {
        if (view === 'followed') {
          await app.button('Follow').click();
          await page.waitForTimeout(400);
        }
        const labels = app.overlay.locator('text.packet-label');
        await expect(labels, `${where} (${view})`).toHaveCount(1);
        await expect(labels).toHaveText(`ARP req ×${copies}`);
        await expect(app.overlay.locator('[data-testid="packet-copy"]')).toHaveCount(copies - 1);
        await expectNoOverlap(page, `${where} (${view})`);
      }
    }
  }
});

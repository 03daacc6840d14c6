/**
 * The app's half of `npm run bench`: frame times in Chromium while a big
 * generated cluster plays, and how long one step (→) takes to reach the
 * screen. A measurement printed for the README, not a test.
 *
 * Needs the production build (npm run build) and Chromium (Debian's
 * /usr/bin/chromium when present). KUBEWIRE_DIST=DIR serves another build
 * (another checkout's, for comparing old and new in one sitting).
 */
import { existsSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../chromium.ts';
import { servicesScenario } from '../../sim-core/bench/services-scenario.ts';
import { serviceScenario } from '../../sim-core/bench/big-scenario.ts';
import {
  openCluster,
  openText,
  overBudget,
  pinTab,
  playFrames,
  quantile,
  scrollFrames,
  startPreview,
  stepTimings,
  type Frames,
  type StepTiming,
} from './appTiming.ts';

const PORT = 41731;
const BASE = `http://localhost:${PORT}`;
const DIST = process.env.KUBEWIRE_DIST ?? 'dist';

function playAndStepLines(play: Frames, steps: readonly StepTiming[]): string[] {
  const painted = steps.map((s) => s.painted);
  const work = steps.map((s) => s.work);
  const f = play.intervals;
  const over = overBudget(f);
  return [
    `  playing: frame interval p50 ${quantile(f, 0.5).toFixed(1)} ms, p95 ${quantile(f, 0.95).toFixed(1)} ms, max ${Math.max(...f).toFixed(1)} ms; ${over} of ${f.length} frames over 16.7 ms`,
    `  longest animation frame (LoAF)        ${play.longest.toFixed(0)} ms`,
    `  one step (→ to painted)               p50 ${quantile(painted, 0.5).toFixed(1)} ms, p95 ${quantile(painted, 0.95).toFixed(1)} ms`,
    `  one step, main-thread work            p50 ${quantile(work, 0.5).toFixed(1)} ms, p95 ${quantile(work, 0.95).toFixed(1)} ms, max ${Math.max(...work).toFixed(1)} ms`,
  ];
}

async function benchCluster(page: Page, nodes: number, podsPerNode: number): Promise<void> {
  const openMs = await openCluster(page, BASE, nodes, podsPerNode);
  // Play at 4× for 4 seconds.
  const play = await playFrames(page);
  const steps = await stepTimings(page, 60);
  console.log(
    [
      `app, ${nodes} nodes × ${podsPerNode} pods (${nodes * podsPerNode} pods)`,
      `  open (load, simulate, first render)   ${openMs} ms`,
      ...playAndStepLines(play, steps),
    ].join('\n'),
  );
}

/** The Services bench cluster of sim-core/bench/services.ts, a client connecting to three. */
const SERVICES = { nodes: 50, deployments: 500, replicas: 5, services: 2_000 };

/**
 * The Services cluster (issue 6's bench size), one tab at a time pinned open: from the
 * first connection's start, play at 4× for 4 s, then press → 60 times.
 */
async function benchServices(page: Page): Promise<void> {
  const text = servicesScenario({ ...SERVICES, mode: 'iptables', targets: [0, 1_000, 1_999] });
  const pods = SERVICES.deployments * SERVICES.replicas + 1;
  const openMs = await openText(page, BASE, text, SERVICES.nodes, pods);
  const start = await page.evaluate(() => window.location.hash);
  const lines = [
    `app, Services: ${SERVICES.nodes} nodes, ${pods} pods, ${SERVICES.services} Services × ${SERVICES.replicas} endpoints, kube-proxy iptables`,
    `  open (load, simulate, first render)   ${openMs} ms`,
  ];
  for (const tab of (process.env.KUBEWIRE_TABS ?? 'iptables,Services,EndpointSlices').split(',')) {
    await page.evaluate((h) => (window.location.hash = h), start);
    await page.waitForTimeout(300);
    await pinTab(page, tab);
    await page.waitForTimeout(300);
    const play = await playFrames(page);
    await page.evaluate((h) => (window.location.hash = h), start);
    await page.waitForTimeout(300);
    const steps = await stepTimings(page, 60);
    lines.push(`  with the ${tab} tab open:`, ...playAndStepLines(play, steps));
  }
  console.log(lines.join('\n'));
}

/**
 * Scrolling the iptables panel through a big table: one node holding kube-proxy's nat table
 * for `services` Services (kernel-tables.ts's scenario: 8 rules a Service), the
 * `iptables-save` view listing every rule: 600 frames at 10 rows a frame (a fast wheel), then
 * from top to bottom in 600 frames (the scrollbar dragged end to end in ten seconds).
 */
async function benchScroll(page: Page, services: number): Promise<void> {
  const openMs = await openText(page, BASE, serviceScenario(services), 1, 3);
  await pinTab(page, 'iptables');
  await page.getByRole('button', { name: 'iptables-save' }).click();
  const box = '[data-testid="iptables-rows-node-1"]';
  await page.locator(box).waitFor();
  const lines = [
    `app, scrolling the iptables panel: ${services} Services on one node (iptables-save view)`,
    `  open (load, simulate, first render)   ${openMs} ms`,
  ];
  const total = await page.locator(box).evaluate((el) => el.scrollHeight - el.clientHeight);
  for (const perFrame of [210, Math.ceil(total / 600)]) {
    const s = await scrollFrames(page, box, perFrame);
    const f = s.intervals;
    lines.push(
      `  ${s.rows} rows, ${f.length} frames at ${perFrame} px a frame: frame interval p50 ${quantile(f, 0.5).toFixed(1)} ms, p95 ${quantile(f, 0.95).toFixed(1)} ms, max ${Math.max(...f).toFixed(1)} ms; ${overBudget(f)} of ${f.length} frames over 16.7 ms; LoAF max ${s.longest.toFixed(0)} ms; ${s.blank} frames not covered`,
    );
  }
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  if (!existsSync(`${DIST}/index.html`)) throw new Error('run `npm run build` first');
  const server = await startPreview(DIST, PORT);
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    // KUBEWIRE_BENCH=50x20 runs one size (for comparing a change), `services` the Services
    // cluster, `scroll` (or scroll:N Services) the iptables scroll; by default all of them.
    const runs = process.env.KUBEWIRE_BENCH?.split(',') ?? [
      '2x2',
      '10x20',
      '50x20',
      'services',
      'scroll',
    ];
    for (const run of runs) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      if (run === 'services') await benchServices(page);
      else if (run.startsWith('scroll'))
        await benchScroll(page, Number(run.split(':')[1] ?? 2_500));
      else {
        const [nodes, pods] = run.split('x').map(Number);
        await benchCluster(page, nodes, pods);
      }
      await page.close();
    }
  } finally {
    await browser.close();
    if (server.pid) process.kill(-server.pid);
  }
}

await main();

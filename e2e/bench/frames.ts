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
import {
  openCluster,
  overBudget,
  playFrames,
  quantile,
  startPreview,
  stepTimings,
} from './appTiming.ts';

const PORT = 41731;
const BASE = `http://localhost:${PORT}`;
const DIST = process.env.KUBEWIRE_DIST ?? 'dist';

async function benchCluster(page: Page, nodes: number, podsPerNode: number): Promise<void> {
  const openMs = await openCluster(page, BASE, nodes, podsPerNode);
  // Play at 4× for 4 seconds.
  const play = await playFrames(page);
  const steps = await stepTimings(page, 60);
  const painted = steps.map((s) => s.painted);
  const work = steps.map((s) => s.work);
  const f = play.intervals;
  const over = overBudget(f);
  console.log(
    [
      `app, ${nodes} nodes × ${podsPerNode} pods (${nodes * podsPerNode} pods)`,
      `  open (load, simulate, first render)   ${openMs} ms`,
      `  playing: frame interval p50 ${quantile(f, 0.5).toFixed(1)} ms, p95 ${quantile(f, 0.95).toFixed(1)} ms, max ${Math.max(...f).toFixed(1)} ms; ${over} of ${f.length} frames over 16.7 ms`,
      `  longest animation frame (LoAF)        ${play.longest.toFixed(0)} ms`,
      `  one step (→ to painted)               p50 ${quantile(painted, 0.5).toFixed(1)} ms, p95 ${quantile(painted, 0.95).toFixed(1)} ms`,
      `  one step, main-thread work            p50 ${quantile(work, 0.5).toFixed(1)} ms, p95 ${quantile(work, 0.95).toFixed(1)} ms, max ${Math.max(...work).toFixed(1)} ms`,
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  if (!existsSync(`${DIST}/index.html`)) throw new Error('run `npm run build` first');
  const server = await startPreview(DIST, PORT);
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    // KUBEWIRE_BENCH=50x20 runs one size (for comparing a change); by default all three.
    const sizes = process.env.KUBEWIRE_BENCH?.split(',').map((s) => s.split('x').map(Number)) ?? [
      [2, 2],
      [10, 20],
      [50, 20],
    ];
    for (const [nodes, pods] of sizes) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await benchCluster(page, nodes, pods);
      await page.close();
    }
  } finally {
    await browser.close();
    if (server.pid) process.kill(-server.pid);
  }
}

await main();

/**
 * The app's half of `npm run bench`: frame times in Chromium while a big
 * generated cluster plays, and how long one step (→) takes to reach the
 * screen. A measurement printed for the README, not a test.
 *
 * Needs the production build (npm run build) and Chromium (Debian's
 * /usr/bin/chromium when present).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../chromium.ts';
import { bigScenario } from '../../sim-core/bench/big-scenario.ts';

const PORT = 41731;
const BASE = `http://localhost:${PORT}`;

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

async function startPreview(): Promise<ChildProcess> {
  const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], {
    stdio: 'ignore',
    detached: true,
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(BASE)).ok) return server;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('vite preview did not start');
}

/** Records every animation frame's interval and every long animation frame while `during` runs. */
async function frames(
  page: Page,
  during: () => Promise<void>,
): Promise<{ intervals: number[]; longest: number }> {
  // A string, not a function: tsx's esbuild would wrap named closures in a __name helper
  // that does not exist in the page.
  await page.evaluate(`(() => {
    const w = window;
    w.__frames = [];
    w.__loaf = [];
    w.__stop = false;
    let last = performance.now();
    const tick = (t) => {
      w.__frames.push(t - last);
      last = t;
      if (!w.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__loaf.push(e.duration);
      }).observe({ type: 'long-animation-frame', buffered: false });
    } catch {}
  })()`);
  await during();
  return page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __loaf: number[]; __stop: boolean };
    w.__stop = true;
    return { intervals: w.__frames.slice(1), longest: Math.max(0, ...w.__loaf) };
  });
}

interface StepTiming {
  /** → pressed to the second animation frame after it: the step is on screen (≥ one frame). */
  readonly painted: number;
  /**
   * The main thread's work for the step, without the wait for the next frame: the key handler
   * with React's render and commit, plus that frame's rAF callbacks, style, layout and paint.
   * What has to fit in 16.7 ms for the step not to drop a frame.
   */
  readonly work: number;
}

/** Presses → `presses` times, one press per two frames, and times each. */
async function stepTimings(page: Page, presses: number): Promise<StepTiming[]> {
  const out: StepTiming[] = [];
  for (let i = 0; i < presses; i++) {
    // A string, for the reason given in frames().
    const timing = await page.evaluate(`new Promise((resolve) => {
      let t0 = 0, t1 = 0, t2 = 0;
      // Registered first, so the app's own frame callbacks run inside the measured frame.
      requestAnimationFrame(() => {
        t2 = performance.now();
        const channel = new MessageChannel();
        // A task after this frame's rendering (style, layout, paint) has run.
        channel.port1.onmessage = () => {
          const t3 = performance.now();
          requestAnimationFrame(() =>
            resolve({ painted: performance.now() - t0, work: t1 - t0 + (t3 - t2) }),
          );
        };
        channel.port2.postMessage(0);
      });
      t0 = performance.now();
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      // React flushes a discrete update in a microtask queued during the dispatch: after it.
      queueMicrotask(() => { t1 = performance.now(); });
    })`);
    out.push(timing as StepTiming);
  }
  return out;
}

async function benchCluster(page: Page, nodes: number, podsPerNode: number): Promise<void> {
  const text = bigScenario(nodes, podsPerNode, 20);
  await page.addInitScript((t) => window.localStorage.setItem('kubewire:custom', t), text);
  const t0 = Date.now();
  await page.goto(`${BASE}/#scenario=custom`);
  await page
    .getByRole('img', {
      name: new RegExp(`${nodes} node\\(s\\), ${nodes * podsPerNode} pod\\(s\\)`),
    })
    .waitFor({ timeout: 120_000 });
  const openMs = Date.now() - t0;
  // Play at 4× for 4 seconds.
  await page.getByRole('radio', { name: '4×' }).click();
  const play = await frames(page, async () => {
    await page.keyboard.press('Space');
    await page.waitForTimeout(4000);
    await page.keyboard.press('Space');
  });
  const steps = await stepTimings(page, 60);
  const painted = steps.map((s) => s.painted);
  const work = steps.map((s) => s.work);
  const f = play.intervals;
  const over = f.filter((x) => x > 17).length; // 60 Hz intervals measure 16.6–16.8 ms
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
  if (!existsSync('dist/index.html')) throw new Error('run `npm run build` first');
  const server = await startPreview();
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

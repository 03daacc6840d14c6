/**
 * What the app benches measure in Chromium: frame intervals while a cluster
 * plays, and one step's time to the screen and main-thread work. Shared by
 * frames.ts (one build) and compare.ts (two builds, interleaved).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Page } from '@playwright/test';
import { bigScenario } from '../../sim-core/bench/big-scenario.ts';

export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

/** `vite preview` of the build in `dir` on `port`; resolves once it answers. */
export async function startPreview(dir: string, port: number): Promise<ChildProcess> {
  const server = spawn(
    'npx',
    ['vite', 'preview', '--outDir', dir, '--port', String(port), '--strictPort'],
    { stdio: 'ignore', detached: true },
  );
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://localhost:${port}`)).ok) return server;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('vite preview did not start');
}

/** Opens a generated cluster as a custom scenario; resolves with the ms to its first render. */
export async function openCluster(
  page: Page,
  base: string,
  nodes: number,
  podsPerNode: number,
): Promise<number> {
  const text = bigScenario(nodes, podsPerNode, 20);
  await page.addInitScript((t) => window.localStorage.setItem('kubewire:custom', t), text);
  const t0 = Date.now();
  await page.goto(`${base}/#scenario=custom`);
  await page
    .getByRole('img', {
      name: new RegExp(`${nodes} node\\(s\\), ${nodes * podsPerNode} pod\\(s\\)`),
    })
    .waitFor({ timeout: 120_000 });
  return Date.now() - t0;
}

export interface Frames {
  readonly intervals: number[];
  readonly longest: number;
}

/** Records every animation frame's interval and every long animation frame while `during` runs. */
export async function frames(page: Page, during: () => Promise<void>): Promise<Frames> {
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

/** Plays at 4× for `ms` and records the frames. */
export async function playFrames(page: Page, ms = 4000): Promise<Frames> {
  await page.getByRole('radio', { name: '4×' }).click();
  return frames(page, async () => {
    await page.keyboard.press('Space');
    await page.waitForTimeout(ms);
    await page.keyboard.press('Space');
  });
}

/** 60 Hz intervals measure 16.6–16.8 ms: longer ones are dropped frames. */
export const overBudget = (intervals: readonly number[]) => intervals.filter((x) => x > 17).length;

export interface StepTiming {
  /** → pressed to the second animation frame after it: the step is on screen (≥ one frame). */
  readonly painted: number;
  /**
   * The main thread's work for the step, without the wait for the next frame: the key handler
   * with React's render and commit, plus that frame's rAF callbacks, style, layout and paint.
   * What has to fit in 16.7 ms for the step not to drop a frame.
   */
  readonly work: number;
}

/** Presses → once and times it. */
export async function stepOnce(page: Page): Promise<StepTiming> {
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
  return timing as StepTiming;
}

/** Presses → `presses` times, one press per two frames, and times each. */
export async function stepTimings(page: Page, presses: number): Promise<StepTiming[]> {
  const out: StepTiming[] = [];
  for (let i = 0; i < presses; i++) out.push(await stepOnce(page));
  return out;
}

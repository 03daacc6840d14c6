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
  // npx and vite can take tens of seconds to start on a loaded machine.
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://localhost:${port}`)).ok) return server;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (server.pid) process.kill(-server.pid);
  throw new Error('vite preview did not start');
}

/** Opens a generated cluster as a custom scenario; resolves with the ms to its first render. */
export async function openCluster(
  page: Page,
  base: string,
  nodes: number,
  podsPerNode: number,
): Promise<number> {
  return openText(page, base, bigScenario(nodes, podsPerNode, 20), nodes, nodes * podsPerNode);
}

/**
 * Opens scenario `text` as the custom scenario; resolves with the ms until the topology
 * names `nodes` nodes and `pods` pods (load, simulate and first render).
 */
export async function openText(
  page: Page,
  base: string,
  text: string,
  nodes: number,
  pods: number,
): Promise<number> {
  await page.addInitScript((t) => window.localStorage.setItem('kubewire:custom', t), text);
  const t0 = Date.now();
  await page.goto(`${base}/#scenario=custom`);
  await page
    .getByRole('group', { name: new RegExp(`${nodes} node\\(s\\), ${pods} pod\\(s\\)`) })
    // The Services cluster took 203 s to open at a load average of 38 (two cores).
    .waitFor({ timeout: 900_000 });
  return Date.now() - t0;
}

/** Selects the table tab labelled `label` and pins it, so stepping does not move off it. */
export async function pinTab(page: Page, label: string): Promise<void> {
  await page.getByRole('tab', { name: label, exact: true }).click();
  const pin = page.locator('button.tab-pin');
  if ((await pin.getAttribute('aria-pressed')) !== 'true') await pin.click();
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

export interface Scroll extends Frames {
  /** Rows in the list scrolled through, and the px moved each frame. */
  readonly rows: number;
  readonly perFrame: number;
  /** Frames whose painted window did not cover the box (a row missing at its top or bottom). */
  readonly blank: number;
}

/**
 * Scrolls the windowed list `selector` (a VirtualRows box) down from its top, `perFrame` px
 * each animation frame, as a fast wheel or a dragged scrollbar would, for `frames` frames or
 * to its bottom, and records the frame intervals. After each frame it checks that rows
 * cover the box.
 */
export async function scrollFrames(
  page: Page,
  selector: string,
  perFrame: number,
  frames = 600,
): Promise<Scroll> {
  // A string, for the reason given in frames().
  const out = await page.evaluate(`new Promise((resolve) => {
    const box = document.querySelector(${JSON.stringify(selector)});
    const rowH = box.querySelector('[role=listitem]').getBoundingClientRect().height;
    const rows = Math.round(box.scrollHeight / rowH);
    box.scrollTop = 0;
    const intervals = [];
    const loaf = [];
    let blank = 0;
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) loaf.push(e.duration);
      }).observe({ type: 'long-animation-frame', buffered: false });
    } catch {}
    let last = performance.now();
    const covered = () => {
      const b = box.getBoundingClientRect();
      const items = box.querySelectorAll('[role=listitem]');
      if (!items.length) return false;
      const first = items[0].getBoundingClientRect();
      const end = items[items.length - 1].getBoundingClientRect();
      return first.top <= b.top + 1 && end.bottom >= Math.min(b.bottom, b.top + box.scrollHeight) - 1;
    };
    const tick = (t) => {
      intervals.push(t - last);
      last = t;
      if (!covered()) blank++;
      if (intervals.length > ${frames} || box.scrollTop + box.clientHeight >= box.scrollHeight - 1) {
        resolve({ intervals: intervals.slice(1), longest: Math.max(0, ...loaf), rows, blank });
        return;
      }
      box.scrollTop += ${perFrame};
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })`);
  return { ...(out as Omit<Scroll, 'perFrame'>), perFrame };
}

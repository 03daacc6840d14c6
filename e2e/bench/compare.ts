/**
 * Two builds of the app side by side in one browser, interleaved, so the
 * machine's load falls on both alike: the way to tell whether a change made
 * the app faster or slower on a shared machine, where one run's numbers move
 * ±20% between runs. Per build: a step's main-thread work and its time to
 * the screen (as frames.ts measures them), and the frames over 16.7 ms while
 * it plays at 4×. (CDP's ThreadTime around each press was tried as a CPU
 * measure and dropped: it did not separate builds whose CPU profiles differ.)
 *
 *   npx vite build --outDir /tmp/kw-new          # this checkout
 *   (cd OLD && npx vite build --outDir /tmp/kw-old)
 *   node --import tsx e2e/bench/compare.ts /tmp/kw-old /tmp/kw-new [nodes pods rounds presses]
 *
 * Each round opens the cluster in a fresh page per build (which goes first
 * alternates), plays each for 4 s, then presses → `presses` times on each,
 * ten at a time in turn.
 *
 * KUBEWIRE_SCENARIO=services opens frames.ts's Services cluster instead (50 nodes, 2 501 pods,
 * 2 000 Services × 5 endpoints, kube-proxy iptables; `nodes pods` are then ignored) with the
 * iptables tab pinned open (KUBEWIRE_TAB for another), and steps from the first connection.
 *
 * KUBEWIRE_SCROLL=N compares scrolling instead: per round and build, the iptables-save
 * list of one node with N Services' rules (frames.ts's scroll bench), top to bottom at
 * 210 px a frame for 600 frames; the frames over 16.7 ms and the p95 interval.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../chromium.ts';
import { serviceScenario } from '../../sim-core/bench/big-scenario.ts';
import { servicesScenario } from '../../sim-core/bench/services-scenario.ts';
import {
  openCluster,
  openText,
  pinTab,
  scrollFrames,
  overBudget,
  playFrames,
  quantile,
  startPreview,
  stepOnce,
} from './appTiming.ts';

const [a = '', b = '', nodes = '50', pods = '20', rounds = '3', presses = '60'] =
  process.argv.slice(2);
const BLOCK = 10;

interface Build {
  readonly label: string;
  readonly base: string;
  readonly server: ChildProcess;
  readonly open: number[];
  readonly work: number[];
  readonly painted: number[];
  over: number;
  frames: number;
}

interface Open {
  readonly build: Build;
  readonly page: Page;
  /** The hash the page opened at: stepping starts from there after playing. */
  readonly start: string;
}

const SERVICES = process.env.KUBEWIRE_SCENARIO === 'services';
const SERVICES_TEXT = SERVICES
  ? servicesScenario({
      nodes: 50,
      deployments: 500,
      replicas: 5,
      services: 2_000,
      mode: 'iptables',
      targets: [0, 1_000, 1_999],
    })
  : '';

async function open(browser: Browser, build: Build): Promise<Open> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  build.open.push(
    SERVICES
      ? await openText(page, build.base, SERVICES_TEXT, 50, 2_501)
      : await openCluster(page, build.base, Number(nodes), Number(pods)),
  );
  const start = await page.evaluate(() => window.location.hash);
  if (SERVICES) {
    await pinTab(page, process.env.KUBEWIRE_TAB ?? 'iptables');
    await page.waitForTimeout(300);
  }
  return { build, page, start };
}

async function press(o: Open, n: number): Promise<void> {
  await o.page.bringToFront();
  for (let i = 0; i < n; i++) {
    const t = await stepOnce(o.page);
    o.build.work.push(t.work);
    o.build.painted.push(t.painted);
  }
}

function report(x: Build): string {
  const q = (xs: number[]) =>
    `${quantile(xs, 0.5).toFixed(1)} / ${quantile(xs, 0.95).toFixed(1)} ms`;
  return [
    `${x.label}`,
    `  open                               median ${quantile(x.open, 0.5)} ms`,
    `  playing at 4×: frames over 16.7 ms ${x.over} of ${x.frames}`,
    `  one step, → to painted p50 / p95   ${q(x.painted)}`,
    `  one step, main-thread work p50/p95 ${q(x.work)}   (${x.work.length} steps)`,
  ].join('\n');
}

const SCROLL = Number(process.env.KUBEWIRE_SCROLL ?? 0);

async function scrollRound(browser: Browser, build: Build): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  build.open.push(await openText(page, build.base, serviceScenario(SCROLL), 1, 3));
  await pinTab(page, 'iptables');
  await page.getByRole('button', { name: 'iptables-save' }).click();
  const s = await scrollFrames(page, '[data-testid="iptables-rows-node-1"]', 210);
  build.over += overBudget(s.intervals);
  build.frames += s.intervals.length;
  build.work.push(...s.intervals);
  await page.close();
}

async function main(): Promise<void> {
  for (const dir of [a, b])
    if (!existsSync(`${dir}/index.html`)) throw new Error(`no build in ${dir || '(missing)'}`);
  const builds: Build[] = [];
  for (const [i, dir] of [a, b].entries()) {
    const port = 41751 + i;
    const server = await startPreview(dir, port);
    builds.push({
      label: `${String.fromCharCode(65 + i)}: ${basename(dir)}`,
      base: `http://localhost:${port}`,
      server,
      open: [],
      work: [],
      painted: [],
      over: 0,
      frames: 0,
    });
  }
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    for (let r = 0; SCROLL && r < Number(rounds); r++) {
      for (const build of r % 2 ? [...builds].reverse() : builds) await scrollRound(browser, build);
      console.error(`round ${r + 1} of ${rounds} done`);
    }
    if (SCROLL) {
      console.log(`app, scrolling ${SCROLL} Services' iptables-save, ${rounds} interleaved rounds`);
      for (const x of builds)
        console.log(
          `${x.label}\n  frames over 16.7 ms ${x.over} of ${x.frames}; interval p50 / p95 ${quantile(x.work, 0.5).toFixed(1)} / ${quantile(x.work, 0.95).toFixed(1)} ms`,
        );
      return;
    }
    for (let r = 0; r < Number(rounds); r++) {
      const order = r % 2 ? [...builds].reverse() : builds;
      const pages: Open[] = [];
      for (const build of order) pages.push(await open(browser, build));
      for (const o of pages) {
        await o.page.bringToFront();
        const f = await playFrames(o.page);
        o.build.over += overBudget(f.intervals);
        o.build.frames += f.intervals.length;
        if (SERVICES) {
          await o.page.evaluate((h) => (window.location.hash = h), o.start);
          await o.page.waitForTimeout(300);
        }
      }
      for (let done = 0; done < Number(presses); done += BLOCK)
        for (const o of pages) await press(o, Math.min(BLOCK, Number(presses) - done));
      for (const o of pages) await o.page.close();
      // The figures so far after every round: a later round that fails (a timeout under load) loses only itself.
      console.log(
        `app, ${SERVICES ? 'the Services cluster' : `${nodes} nodes × ${pods} pods`}, ${r + 1} of ${rounds} interleaved rounds`,
      );
      for (const x of builds) console.log(report(x));
    }
  } finally {
    await browser.close();
    for (const x of builds) if (x.server.pid) process.kill(-x.server.pid);
  }
}

await main();

/**
 * issue 10's first-paint acceptance, in `npm run bench`: the default scenario's first
 * contentful paint against a blank Vite + React page's (e2e/bench/blank, built here into a
 * temporary directory), both served by `vite preview` and loaded alternately in one browser,
 * each load in a fresh context (an empty cache). Prints the medians, their ratio (budget
 * 1.5×), the time until the default scenario's topology is on screen, and the page's initial
 * JS (budget 250 KB gzip). A measurement printed for the README, not a test.
 *
 * KUBEWIRE_DIST=DIR measures another build; KUBEWIRE_PAINT_RUNS=N loads each page N times.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import react from '@vitejs/plugin-react';
import { chromium, type Browser } from '@playwright/test';
import { chromiumLaunchOptions } from '../chromium.ts';
import { quantile, startPreview } from './appTiming.ts';
import { INITIAL_JS_BUDGET, initialJs, kib } from './bundleSize.ts';

const DIST = process.env.KUBEWIRE_DIST ?? 'dist';
const RUNS = Number(process.env.KUBEWIRE_PAINT_RUNS ?? 15);
const OURS = 41741;
const BLANK = 41742;

async function buildBlank(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'kubewire-blank-'));
  await build({
    configFile: false,
    root: fileURLToPath(new URL('./blank/', import.meta.url)),
    base: './',
    logLevel: 'warn',
    plugins: [react()],
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

interface Load {
  readonly fcp: number;
  readonly topology?: number;
}

/** One cold load: first-contentful-paint, and (for ours) when the topology has painted. */
async function load(browser: Browser, url: string, topology: boolean): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  try {
    await page.goto(url);
    // A string, not a function: tsx would wrap a closure in a __name helper the page lacks.
    const fcp = (await page.evaluate(`new Promise((resolve) => {
      const seen = () => performance.getEntriesByName('first-contentful-paint')[0];
      if (seen()) return resolve(seen().startTime);
      new PerformanceObserver(() => seen() && resolve(seen().startTime)).observe({ type: 'paint', buffered: true });
    })`)) as number;
    if (!topology) return { fcp };
    await page
      .getByRole('group', { name: /node\(s\), \d+ pod\(s\)/ })
      .waitFor({ timeout: 120_000 });
    const drawn = (await page.evaluate(
      'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))',
    )) as number;
    return { fcp, topology: drawn };
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  if (!existsSync(`${DIST}/index.html`)) throw new Error('run `npm run build` first');
  const size = initialJs(DIST);
  const blankDir = await buildBlank();
  const blankSize = initialJs(blankDir);
  const servers = [await startPreview(DIST, OURS), await startPreview(blankDir, BLANK)];
  const browser = await chromium.launch(chromiumLaunchOptions);
  const ours: Load[] = [];
  const blank: Load[] = [];
  try {
    // One warm-up each (the preview servers' first responses), then alternate.
    await load(browser, `http://localhost:${OURS}/`, false);
    await load(browser, `http://localhost:${BLANK}/`, false);
    for (let i = 0; i < RUNS; i++) {
      const first = i % 2 === 0;
      if (first) ours.push(await load(browser, `http://localhost:${OURS}/`, true));
      blank.push(await load(browser, `http://localhost:${BLANK}/`, false));
      if (!first) ours.push(await load(browser, `http://localhost:${OURS}/`, true));
    }
  } finally {
    await browser.close();
    for (const s of servers) if (s.pid) process.kill(-s.pid);
    rmSync(blankDir, { recursive: true, force: true });
  }
  const med = (xs: number[]) => quantile(xs, 0.5);
  const oursFcp = med(ours.map((l) => l.fcp));
  const blankFcp = med(blank.map((l) => l.fcp));
  const ratio = oursFcp / blankFcp;
  const over = (ok: boolean) => (ok ? 'within budget' : 'OVER BUDGET');
  console.log(
    [
      `first paint, default scenario vs a blank Vite + React page (${RUNS} cold loads each, alternating)`,
      `  initial JS (entry + modulepreload, gzip -9)  ours ${kib(size.gzip)} in ${size.files.length} files (${over(size.gzip <= INITIAL_JS_BUDGET)}: 250 KB), blank ${kib(blankSize.gzip)}`,
      ...size.files.map((f) => `    ${f.file.padEnd(40)} ${kib(f.gzip)}`),
      `  first-contentful-paint median          ours ${oursFcp.toFixed(0)} ms, blank ${blankFcp.toFixed(0)} ms: ${ratio.toFixed(2)}× (${over(ratio <= 1.5)}: 1.5×)`,
      `  first-contentful-paint p90             ours ${quantile(
        ours.map((l) => l.fcp),
        0.9,
      ).toFixed(0)} ms, blank ${quantile(
        blank.map((l) => l.fcp),
        0.9,
      ).toFixed(0)} ms`,
      `  default scenario's topology painted    median ${med(ours.map((l) => l.topology!)).toFixed(0)} ms after navigation`,
    ].join('\n'),
  );
}

await main();

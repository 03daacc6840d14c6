/**
 * Where the time goes while a generated cluster steps or plays: a CPU profile
 * (CDP Profiler) summarised by self and inclusive time per function, or a
 * trace (CDP Tracing) summarised by the main thread's rendering phases. A
 * tool for finding hot spots, not a test. Use an unminified build so the
 * names mean something:
 *
 *   npx vite build --minify false --outDir /tmp/kw-prof
 *   node --import tsx e2e/bench/profile.ts /tmp/kw-prof 50 20 30 step cpu
 *   node --import tsx e2e/bench/profile.ts /tmp/kw-prof 50 20 30 play trace
 *
 * Arguments: build dir, nodes, pods per node, → presses (or tenths of a
 * second of playing at 4×), step|play, cpu|trace. The CPU profile is also
 * written to /tmp/kw.cpuprofile, the trace to /tmp/kw.trace.json (DevTools opens both). KUBEWIRE_TAB=iptables
 * (a table tab's label) profiles with that tab open instead of Neighbours.
 * KUBEWIRE_SCENARIO=services opens frames.ts's Services cluster instead of nodes × pods;
 * KUBEWIRE_SCENARIO=scroll:N one node with N Services' rules, and the mode `scroll`
 * scrolls its iptables-save list top to bottom at `count` px a frame.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../chromium.ts';
import { bigScenario, serviceScenario } from '../../sim-core/bench/big-scenario.ts';
import { servicesScenario } from '../../sim-core/bench/services-scenario.ts';
import { scrollFrames } from './appTiming.ts';

const [dir = 'dist', nodes = '50', podsPerNode = '20', count = '30', mode = 'step', kind = 'cpu'] =
  process.argv.slice(2);
const PORT = 41741;
const BASE = `http://localhost:${PORT}`;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

interface TraceEvent {
  name: string;
  ph: string;
  tid?: number;
  dur?: number;
  args?: { name?: string; beginData?: unknown };
}

const ms = (x: number) => `${x.toFixed(1).padStart(9)} ms`;

function top(totals: Map<string, number>, n: number, label = ''): void {
  for (const [k, v] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`${label}${ms(v)}  ${k}`);
}

/** Self time per function, then inclusive time (each sample once per distinct function on its stack). */
function summariseProfile(profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    self.set(name(id), (self.get(name(id)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = name(at);
      if (!seen.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
      seen.add(key);
    }
  });
  // The main thread's busy time (everything but idle), and its native part: style, layout,
  // paint (a forced layout inside a JS function is counted as that function's self time).
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = self.get('(idle) :0') ?? 0;
  const native = self.get('(program) :0') ?? 0;
  const per = mode === 'step' ? Number(count) : 1;
  console.log(
    `busy ${ms((total - idle) / per)}, of which native ${ms(native / per)}${mode === 'step' ? ' a step' : ''}`,
  );
  console.log('self time');
  top(self, 30);
  console.log('inclusive time');
  top(inclusive, 50);
}

/** The renderer main thread's events by total duration, and the biggest layouts. */
function summariseTrace(all: TraceEvent[]): void {
  const main = all.find((e) => e.ph === 'M' && e.args?.name === 'CrRendererMain')?.tid;
  const events = all.filter((e) => e.tid === main && e.ph === 'X' && e.dur);
  const totals = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const e of events) {
    totals.set(e.name, (totals.get(e.name) ?? 0) + e.dur! / 1000);
    counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
  }
  for (const [k, v] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 20))
    console.log(`${ms(v)} ${String(counts.get(k)).padStart(5)}×  ${k}`);
  const layouts = events.filter((e) => e.name === 'Layout').sort((a, b) => b.dur! - a.dur!);
  for (const e of layouts.slice(0, 5))
    console.log(`Layout ${ms(e.dur! / 1000)}`, JSON.stringify(e.args?.beginData));
}

const SCENARIO = process.env.KUBEWIRE_SCENARIO ?? '';

function scenarioText(): string {
  if (SCENARIO === 'services')
    return servicesScenario({
      nodes: 50,
      deployments: 500,
      replicas: 5,
      services: 2_000,
      mode: 'iptables',
      targets: [0, 1_000, 1_999],
    });
  if (SCENARIO.startsWith('scroll'))
    return serviceScenario(Number(SCENARIO.split(':')[1] ?? 2_500));
  return bigScenario(Number(nodes), Number(podsPerNode), 20);
}

async function drive(page: Page, n: number): Promise<void> {
  if (mode === 'scroll') {
    const s = await scrollFrames(page, '[data-testid="iptables-rows-node-1"]', n);
    const over = s.intervals.filter((x) => x > 17).length;
    console.log(`scrolled ${s.rows} rows: ${over} of ${s.intervals.length} frames over 16.7 ms`);
    return;
  }
  if (mode === 'play') {
    await page.getByRole('radio', { name: '4×' }).click();
    await page.keyboard.press('Space');
    await page.waitForTimeout(n * 100);
    await page.keyboard.press('Space');
    return;
  }
  const times: number[] = [];
  for (let i = 0; i < n; i++)
    times.push(
      await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const t = performance.now();
            window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight' }));
            requestAnimationFrame(() =>
              requestAnimationFrame(() => resolve(performance.now() - t)),
            );
          }),
      ),
    );
  console.log(`→ to painted, ms: ${times.map((t) => t.toFixed(0)).join(' ')}`);
}

async function record(cdp: CDPSession, during: () => Promise<void>): Promise<void> {
  if (kind === 'trace') {
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
    await cdp.send('Tracing.start', {
      categories: 'devtools.timeline,disabled-by-default-devtools.timeline',
      transferMode: 'ReportEvents',
    });
    await during();
    const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await done;
    writeFileSync('/tmp/kw.trace.json', JSON.stringify({ traceEvents: events }));
    summariseTrace(events);
    return;
  }
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await during();
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  writeFileSync('/tmp/kw.cpuprofile', JSON.stringify(profile));
  summariseProfile(profile);
}

async function main(): Promise<void> {
  const server = spawn(
    'npx',
    ['vite', 'preview', '--outDir', dir, '--port', String(PORT), '--strictPort'],
    { stdio: 'ignore', detached: true },
  );
  // Also when the output is cut short (| head): never leave the server running.
  const stop = () => server.pid && process.kill(-server.pid);
  process.stdout.on('error', () => process.exit(1));
  process.on('exit', stop);
  try {
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(BASE)).ok) break;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const browser = await chromium.launch(chromiumLaunchOptions);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const text = scenarioText();
    await page.addInitScript((t) => window.localStorage.setItem('kubewire:custom', t), text);
    const t0 = Date.now();
    await page.goto(`${BASE}/#scenario=custom`);
    await page.locator('svg.topology').first().waitFor({ timeout: 300_000 });
    console.log(`open ${Date.now() - t0} ms`);
    // KUBEWIRE_REDUCED_MOTION=1: a step lands in one frame, without the hop's animation frames.
    if (process.env.KUBEWIRE_REDUCED_MOTION) await page.emulateMedia({ reducedMotion: 'reduce' });
    const tab = process.env.KUBEWIRE_TAB;
    if (tab) await page.getByRole('tab', { name: tab, exact: true }).click();
    if (tab) await page.locator('button.tab-pin').click();
    if (mode === 'scroll') await page.getByRole('button', { name: 'iptables-save' }).click();
    await page.waitForTimeout(500);
    const elements = () => page.evaluate(() => document.querySelectorAll('*').length);
    console.log(`elements on the page: ${await elements()}`);
    await record(await page.context().newCDPSession(page), () => drive(page, Number(count)));
    console.log(`elements on the page after: ${await elements()}`);
    await browser.close();
  } finally {
    process.off('exit', stop);
    stop();
  }
}

await main();

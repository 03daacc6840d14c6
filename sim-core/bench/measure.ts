/**
 * The bench's measuring helpers: wall-clock medians, heap deltas around a
 * forced GC (node --expose-gc), and a plain-text table.
 */
import { performance } from 'node:perf_hooks';

const gc = (globalThis as { gc?: () => void }).gc;

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * `fn` run `runs` times, each from a collected heap (with --expose-gc; the
 * previous run's value is dropped first, so no run pays for collecting
 * another's garbage): every run's wall-clock milliseconds and their median,
 * the process's CPU milliseconds per run (user + system, every thread:
 * steadier than wall-clock when other processes compete for the cores), and
 * the last run's value.
 */
export function time<T>(
  runs: number,
  fn: () => T,
): { ms: number; all: number[]; cpu: number[]; value: T } {
  const all: number[] = [];
  const cpu: number[] = [];
  let value: T | undefined;
  for (let i = 0; i < runs; i++) {
    value = undefined;
    gc?.();
    const c = process.cpuUsage();
    const t = performance.now();
    value = fn();
    all.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  return { ms: median(all), all, cpu, value: value as T };
}

export const HAS_GC = gc !== undefined;

/** Heap in use after a full GC (a rough figure without --expose-gc). */
export function heapUsed(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

/** What `build` allocates and its value keeps alive, in bytes, with the value. */
export function retained<T>(build: () => T): { bytes: number; value: T } {
  const before = heapUsed();
  const value = build();
  const bytes = heapUsed() - before;
  return { bytes, value };
}

export const MiB = 2 ** 20;

/** "1 234" with a thin space, as the README writes numbers. */
export function num(n: number, digits = 0): string {
  const [int, frac] = n.toFixed(digits).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return frac ? `${grouped}.${frac}` : grouped;
}

export const ms = (x: number) => `${num(x, x < 10 ? 1 : 0)} ms`;
export const us = (x: number) => `${num(x, x < 10 ? 2 : x < 100 ? 1 : 0)} µs`;
export const mib = (bytes: number) =>
  `${bytes / MiB < 10 ? num(bytes / MiB, 1) : num(bytes / MiB)} MiB`;
export const bytes = (b: number) => (Math.abs(b) < 10_240 ? `${num(b)} B` : `${num(b / 1024)} KiB`);

/** A table with a header row, columns padded to their widest cell (first column left-aligned). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

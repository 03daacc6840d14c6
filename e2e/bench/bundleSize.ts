/**
 * What a page's index.html loads before anything runs: its entry script and the chunks it
 * modulepreloads, gzipped (level 9, as a server would send them). Lazy chunks, workers and
 * CSS are not counted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** issue 10: initial JS stays ≤ 250 KB gzip. */
export const INITIAL_JS_BUDGET = 250 * 1024;

export interface InitialJs {
  readonly files: readonly { file: string; gzip: number }[];
  readonly gzip: number;
}

export function initialJs(dist: string): InitialJs {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const eager = [
    ...html.matchAll(/<script\b[^>]*\bsrc="([^"]+\.js)"/g),
    ...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+\.js)"/g),
  ].map((m) => m[1].replace(/^\.?\//, ''));
  const files = eager.map((file) => ({
    file,
    gzip: gzipSync(readFileSync(join(dist, file)), { level: 9 }).length,
  }));
  return { files, gzip: files.reduce((n, f) => n + f.gzip, 0) };
}

export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

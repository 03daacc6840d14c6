/**
 * Runs the real tshark on pcap bytes and returns its JSON packets, so tests
 * can hold our bytes (and decodeFrame) against Wireshark's dissectors.
 * Test-only: uses node:child_process and node:fs (not re-exported by index.ts).
 *
 * Options always passed:
 *   -n                           no name resolution (MAC vendors, hosts)
 *   -x                           adds "<field>_raw": [hex, offset, length, bitmask, type]
 *   --no-duplicate-keys          repeated keys (outer/inner "ip" in VXLAN) become arrays
 *   -d udp.port==8472,vxlan      Linux/flannel's VXLAN port (Wireshark maps only 4789)
 *   -o {ip,tcp,udp}.check_checksum:TRUE   so tshark validates our checksums
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function findTshark(): string | null {
  for (const candidate of ['tshark', '/usr/bin/tshark']) {
    const r = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return candidate;
  }
  return null;
}

/** Path of a working tshark, or null. Probed once at module load. */
export const TSHARK: string | null = findTshark();
export const hasTshark = TSHARK !== null;

export const TSHARK_ARGS = [
  '-n',
  '-x',
  '-T',
  'json',
  '--no-duplicate-keys',
  '-d',
  'udp.port==8472,vxlan',
  '-o',
  'ip.check_checksum:TRUE',
  '-o',
  'tcp.check_checksum:TRUE',
  '-o',
  'udp.check_checksum:TRUE',
];

/**
 * Decodes `pcap` with tshark; resolves to tshark's JSON array (one entry per
 * frame, `_source.layers` holding eth/ip/tcp…). Returns null when tshark is
 * not installed, so callers can skip.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tshark's JSON is untyped
export function runTshark(pcap: Uint8Array, extraArgs: string[] = []): Promise<any[]> | null {
  if (!TSHARK) return null;
  const dir = mkdtempSync(join(tmpdir(), 'kubewire-tshark-'));
  const file = join(dir, 'trace.pcap');
  writeFileSync(file, pcap);
  return new Promise((resolve, reject) => {
    execFile(
      TSHARK!,
      ['-r', file, ...TSHARK_ARGS, ...extraArgs],
      { maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        rmSync(dir, { recursive: true, force: true });
        if (err) reject(new Error(`tshark failed: ${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout));
      },
    );
  });
}

export interface TsharkValue {
  value: string;
  /** From the "_raw" twin, when tshark gives one (generated fields have none). */
  offset?: number;
  length?: number;
}

/**
 * Flattens one packet's `_source.layers` into field name → values in tree
 * order. "x_raw" arrays give the position of field "x" (note "tcp.seq_raw"
 * is itself a field, whose position is in "tcp.seq_raw_raw").
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function flattenTshark(layers: any): Map<string, TsharkValue[]> {
  const out = new Map<string, TsharkValue[]>();
  const add = (name: string, v: TsharkValue) => out.set(name, [...(out.get(name) ?? []), v]);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const walk = (obj: any) => {
    if (Array.isArray(obj)) return obj.forEach(walk);
    if (obj === null || typeof obj !== 'object') return;
    for (const [key, val] of Object.entries(obj)) {
      if (key.endsWith('_raw') && Array.isArray(val)) continue;
      const raw = obj[`${key}_raw`];
      if (typeof val === 'string') add(key, pos(val, raw));
      else if (Array.isArray(val) && val.every((x) => typeof x === 'string')) {
        val.forEach((x, i) => add(key, pos(x, Array.isArray(raw) ? raw[i] : undefined)));
      } else walk(val);
    }
  };
  walk(layers);
  return out;
}

function pos(value: string, raw: unknown): TsharkValue {
  if (Array.isArray(raw) && typeof raw[1] === 'number')
    return { value, offset: raw[1], length: raw[2] };
  return { value };
}

/** tshark -T fields: one row per frame (after the display filter), tab-separated columns. */
export function tsharkFields(
  capture: Uint8Array,
  fields: string[],
  filter?: string,
  /** More tshark options: `-d tcp.port==5678,http`, `-o tls.keylog_file:FILE`. */
  extra: readonly string[] = [],
): string[][] | null {
  if (!TSHARK) return null;
  const dir = mkdtempSync(join(tmpdir(), 'kubewire-tshark-'));
  const file = join(dir, 'capture');
  writeFileSync(file, capture);
  try {
    const args = ['-r', file, '-n', '-d', 'udp.port==8472,vxlan', ...extra, '-T', 'fields'];
    for (const f of fields) args.push('-e', f);
    if (filter) args.push('-Y', filter);
    const out = execFileSync(TSHARK, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return out
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

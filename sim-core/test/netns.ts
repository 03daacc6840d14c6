/**
 * Running real tools in throw-away network namespaces, for the tests that
 * hold our output against the machine's own iptables, ipset and kernel.
 * Root only: `netnsSkipReason` says why a test cannot run here (printed by
 * the caller), never a silent skip.
 */
import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(cmd: string, args: readonly string[], input?: string): RunResult {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export const has = (cmd: string) => run('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** The version our canonical iptables-save and iptables -L forms were taken from. */
export const IPTABLES_VERSION = 'iptables v1.8.9 (nf_tables)';

/**
 * Why network-namespace tests with these tools cannot run here, or
 * undefined when they can: root, iproute2, the tools, a namespace that can
 * be made, and (when iptables is among them) iptables 1.8.9 (nf_tables).
 */
export function netnsSkipReason(tools: readonly string[] = ['iptables']): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root (network namespaces need it)';
  if (!has('ip')) return 'ip (iproute2) is not installed';
  for (const tool of tools) {
    if (tool === 'iptables') {
      if (!has('iptables-restore') || !has('iptables-save')) return 'iptables is not installed';
    } else if (!has(tool)) return `${tool} is not installed`;
  }
  const probe = `kwprobe-${process.pid}`;
  const made = run('ip', ['netns', 'add', probe]);
  run('ip', ['netns', 'del', probe]);
  if (made.status !== 0) return `cannot create a network namespace: ${made.stderr.trim()}`;
  if (tools.includes('iptables')) {
    const version = run('iptables', ['--version']).stdout.trim();
    if (version !== IPTABLES_VERSION)
      return `this is ${version}, the fixtures are ${IPTABLES_VERSION}`;
  }
  return undefined;
}

export type NetnsExec = (args: string[], input?: string) => RunResult;

let count = 0;
/** Run `fn` with a command runner inside a fresh network namespace, deleted afterwards. */
export function inNetns<T>(prefix: string, fn: (exec: NetnsExec) => T): T {
  const ns = `${prefix}-${process.pid}-${count++}`;
  expect(run('ip', ['netns', 'add', ns]).status).toBe(0);
  try {
    return fn((args, input) => run('ip', ['netns', 'exec', ns, ...args], input));
  } finally {
    run('ip', ['netns', 'del', ns]);
  }
}

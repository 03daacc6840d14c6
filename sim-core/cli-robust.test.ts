/**
 * The CLI under bad invocations, as a user or a script meets them: one-line
 * messages, no stack traces, and a Unix tool's exit codes (0 ok, 1 invalid
 * scenario, 2 usage error).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubewire, repoRoot } from './test/cli.ts';

const scenario = join(repoRoot, 'public/scenarios/same-node.yaml');
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at |node:internal|Error: /);

describe('[CLI5] bad invocations', () => {
  it('an option that needs a value and gets none is a usage error, not 0', () => {
    for (const args of [
      ['route', scenario, '--node', 'node-1', '--at'],
      ['route', scenario, '--at', '--node', 'node-1'],
      ['trace', scenario, '--pcap'],
      ['route', scenario, '--node'],
      ['route', scenario, '--node=', 'x'],
    ]) {
      const r = kubewire(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/^kubewire: option --\w+ needs a value\n$/);
      expect(r.out).toBe('');
    }
  });

  it('--at -1 is still a step (the state before the first)', () => {
    const r = kubewire('ipam', scenario, '--node', 'node-1', '--at', '-1');
    expect(r.code).toBe(0);
  });

  it('--pcap into a missing directory says so in one line (exit 2)', () => {
    const r = kubewire('trace', scenario, '--pcap', '/nonexistent-dir/x.pcap');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'kubewire: cannot write /nonexistent-dir/x.pcap: no such file or directory\n',
    );
    noStack(r.err);
  });

  it('a missing file and a directory are refused in one line (exit 2)', () => {
    const missing = kubewire('validate', '/no/such.yaml');
    expect(missing).toMatchObject({ code: 2, out: '' });
    expect(missing.err).toBe('kubewire: cannot read /no/such.yaml: no such file or directory\n');
    const dir = mkdtempSync(join(tmpdir(), 'kubewire-cli-')) + '.yaml';
    spawnSync('mkdir', [dir]);
    expect(kubewire('validate', dir)).toMatchObject({ code: 2 });
  });

  it('a device that never ends (/dev/zero) is refused at the size limit, not read into memory', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'sim-core/cli.ts'), 'validate', '/dev/zero'],
      // Without the limit this grew to gigabytes; with it the process stays small.
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=256' },
      },
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      '/dev/zero:1:1: the file is larger than 16 MiB, the limit for a scenario\n',
    );
  });

  it('standard input is read with -', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'sim-core/cli.ts'), 'validate', '-'],
      { encoding: 'utf8', input: 'apiVersion: kubewire/v1\nkind: [\n' },
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^-:\d+:\d+: error: /);
  });

  it("validate checks without simulating: Cilium's default pool over the Service range is refused, located", () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubewire-cli-'));
    const file = join(dir, 'cilium.yaml');
    writeFileSync(
      file,
      'apiVersion: kubewire/v1\nkind: Cluster\nmetadata: {name: c}\nspec:\n  cni: {plugin: cilium, mode: vxlan}\n  nodes: [{name: n1, ip: 192.168.1.10}]\n',
    );
    const r = kubewire('validate', file);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /cilium\.yaml:5:\d+: error: clusterPoolIPv4PodCIDRList 10\.0\.0\.0\/8 \(Cilium's default cluster pool\) overlaps serviceCIDR 10\.96\.0\.0\/12/,
    );
  });

  it('a reader that goes away (| head) ends the output quietly with status 0', () => {
    const r = spawnSync(
      'bash',
      [
        '-o',
        'pipefail',
        '-c',
        `node --import tsx sim-core/cli.ts trace "${scenario}" -v | head -n 2`,
      ],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(2);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('trace --json streams one step per line and stays one JSON array', () => {
    const r = kubewire('trace', scenario, '--json');
    expect(r.code).toBe(0);
    const steps = JSON.parse(r.out) as { index: number; summary: string }[];
    expect(steps[0].index).toBe(0);
    expect(r.out.split('\n').length).toBe(steps.length + 3);
  });
});

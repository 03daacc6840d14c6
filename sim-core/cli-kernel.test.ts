/**
 * [CLI4] The kernel tables from the CLI, as a user runs it: iptables-save,
 * iptables -L, conntrack -L, ss -tan and sysctl for a node, each with --at;
 * and an iptables file with a typo is refused at its own line and column.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubewire, repoRoot } from './test/cli.ts';

const root = repoRoot;
const scenario = join(root, 'public/scenarios/clusterip.yaml');
const rules = readFileSync(
  join(root, 'sim-core/test/fixtures/clusterip/clusterip-ruleset.iptables-restore'),
  'utf8',
);

describe('kubewire CLI: the kernel tables', () => {
  it('[CLI4] iptables-save prints the loaded rules as iptables-save does (the reference ruleset, canonical form)', () => {
    const r = kubewire('iptables-save', scenario, '--node', 'node-1', '--at', '-1');
    expect(r.code).toBe(0);
    const ref = readFileSync(
      join(root, 'sim-core/test/fixtures/clusterip/clusterip-iptables-save.txt'),
      'utf8',
    )
      .split('\n')
      .filter((l) => !l.startsWith('#') && l.trim() !== '')
      .join('\n')
      .replace(/\[\d+:\d+\]/g, '[0:0]');
    expect(r.out.trim()).toBe(ref.trim());
    expect(rules).toContain('0.5000000000 '); // what was loaded: printed back as 0.50000000000
  });

  it('[CLI4] iptables -t nat shows the DNAT counted once after the connection, and 0 before it', () => {
    const after = kubewire('iptables', scenario, '--node', 'node-1', '-t', 'nat').out;
    expect(after).toMatch(
      /\n +1 +60 KUBE-SVC-CDGGSHYLG3RE2FKL +6 +-- +\* +\* +0\.0\.0\.0\/0 +10\.96\.0\.50 /,
    );
    const before = kubewire('iptables', scenario, '--node', 'node-1', '-t', 'nat', '--at', '0').out;
    expect(before).toMatch(/\n +0 +0 KUBE-SVC-CDGGSHYLG3RE2FKL /);
    expect(kubewire('iptables', scenario, '--node', 'node-1', '-t', 'nope')).toMatchObject({
      code: 2,
    });
  });

  it('[CLI4] conntrack -L lists the connection in TIME_WAIT, with its summary on stderr; ss -tan the client’s TIME-WAIT', () => {
    const r = kubewire('conntrack', scenario, '--node', 'node-1');
    expect(r.out).toMatch(
      /^tcp {6}6 1\d\d TIME_WAIT src=10\.244\.0\.4 dst=10\.96\.0\.50 sport=\d+ dport=80 src=10\.244\.0\.3 dst=10\.244\.0\.4 sport=8080 dport=\d+ \[ASSURED\] mark=0 use=1\n$/,
    );
    expect(r.err).toBe('conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.\n');
    const ss = kubewire('ss', scenario, '--node', 'node-1').out;
    expect(ss).toMatch(
      /# pod default\/client\nState +Recv-Q Send-Q Local Address:Port +Peer Address:PortProcess\nTIME-WAIT 0 +0 +10\.244\.0\.4:\d+ +10\.96\.0\.50:80/,
    );
  });

  it('[CLI4] sysctl shows a node’s override next to the defaults', () => {
    const r = kubewire(
      'sysctl',
      join(root, 'public/scenarios/clusterip-no-br-netfilter.yaml'),
      '--node',
      'node-1',
    );
    expect(r.out).toContain('# node node-1\n');
    expect(r.out).toContain('net.bridge.bridge-nf-call-iptables = 0\n');
    expect(r.out).toContain('net.ipv4.ip_forward = 1\n');
  });

  it('[VAL2] a typo in a node’s iptables file is an error at its own line and column in the scenario', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubewire-cli-'));
    const bad = join(dir, 'bad.yaml');
    const text = readFileSync(scenario, 'utf8').replace(
      '-m tcp --dport 80 -j KUBE-SVC',
      '-m tcp --dprt 80 -j KUBE-SVC',
    );
    writeFileSync(bad, text);
    const r = kubewire('validate', bad);
    expect(r.code).toBe(1);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('--dprt')) + 1;
    const column = lines[line - 1].indexOf('--dprt') + 1;
    expect(r.out).toContain(`bad.yaml:${line}:${column}: error: iptables-restore for node node-1:`);
    expect(r.out).toMatch(/--dprt/);
  });
});

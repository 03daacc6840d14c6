/** The CLI as a user runs it: a real process, real files, exit codes and stdout. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubewire, repoRoot } from './test/cli.ts';

const root = repoRoot;
const scenario = join(root, 'public/scenarios/same-node.yaml');

describe('kubewire CLI', () => {
  it('[CLI1] validate prints ok for a good file and every error as file:line:col for a bad one (exit 1)', () => {
    expect(kubewire('validate', scenario)).toMatchObject({ code: 0, out: 'ok\n' });
    const dir = mkdtempSync(join(tmpdir(), 'kubewire-cli-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      readFileSync(scenario, 'utf8')
        .replace('serviceCIDR: 10.96.0.0/12', 'serviceCIDR: 10.244.128.0/17')
        .replace('nodeNetwork: 192.168.1.0/24', 'nodeNetwork: 192.168.1.0/33'),
    );
    const r = kubewire('validate', bad);
    expect(r.code).toBe(1);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^.*bad\.yaml:8:16: error: nodeNetwork: 192\.168\.1\.0\/33 is not a CIDR range/,
    );
    expect(lines[1]).toMatch(
      /bad\.yaml:11:16: error: .*podCIDR 10\.244\.0\.0\/16 overlaps serviceCIDR 10\.244\.128\.0\/17 \(overlap: 10\.244\.128\.0\/17\)/,
    );
    writeFileSync(bad, 'apiVersion: kubewire/v1\nkind: Cluster\nspec: {nodes: [\n');
    expect(kubewire('validate', bad).out).toMatch(/bad\.yaml:\d+:\d+: error: YAML syntax error/);
  });

  it('[CLI2] trace lists the acceptance sequence and writes a pcap', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubewire-cli-'));
    const pcap = join(dir, 't.pcap');
    const r = kubewire('trace', scenario, '--pcap', pcap);
    expect(r.code).toBe(0);
    const wanted = [
      /transmit\s+Who has 10\.244\.0\.3\? Tell 10\.244\.0\.2/,
      /fdb-learn\s+cni0 learns 0a:58:0a:f4:00:02/,
      /flood\s+Who has 10\.244\.0\.3\?/,
      /transmit\s+10\.244\.0\.3 is at 0a:58:0a:f4:00:03/,
      /fdb-learn\s+cni0 learns 0a:58:0a:f4:00:03/,
      /Echo \(ping\) request/,
      /Echo \(ping\) reply/,
      /\[SYN\]/,
      /\[SYN, ACK\]/,
      /\[ACK\]/,
    ];
    const lines = r.out.split('\n');
    let at = 0;
    for (const re of wanted) {
      const i = lines.findIndex((l, n) => n >= at && re.test(l));
      expect(i, String(re)).toBeGreaterThanOrEqual(at);
      at = i + 1;
    }
    expect(readFileSync(pcap).readUInt32LE(0)).toBe(0xa1b2c3d4);
  });

  it('[CLI3] ipam, arp and route print the tables as the real tools do', () => {
    const ipam = kubewire('ipam', scenario, '--node', 'node-1').out;
    expect(ipam).toMatch(/^10\.244\.0\.2\s+[0-9a-f]{64}\s+eth0$/m);
    expect(ipam).toMatch(/^last_reserved_ip\.0: 10\.244\.0\.3$/m);
    expect(kubewire('arp', scenario, '--node', 'node-1').out).toContain(
      '# pod default/pod-a\n10.244.0.3 dev eth0 lladdr 0a:58:0a:f4:00:03 REACHABLE',
    );
    expect(kubewire('route', scenario, '--node', 'node-1').out).toContain(
      'default via 10.244.0.1 dev eth0\n10.244.0.0/24 dev eth0 proto kernel scope link src 10.244.0.2',
    );
    const early = kubewire('arp', scenario, '--node', 'node-1', '--at', '5').out;
    expect(early).not.toContain('REACHABLE');
    expect(kubewire('arp', scenario, '--node', 'nope')).toMatchObject({ code: 2 });
  });
});

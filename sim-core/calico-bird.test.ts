/**
 * calico-node's BIRD and calico-ipam as their tools print them (issue 8):
 * `birdcl show protocols` / `show route` in BIRD 1.6's formats (nest/proto.c
 * "%-8s %-8s %-8s %-5s  %-10s  %s", nest/rt-table.c "%-18s %s [%s %s%s]%s%s",
 * restated here as literal lines), with the protocols confd's
 * bird.cfg.template configures, and `calicoctl ipam show --show-blocks`.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { kubewire } from './test/cli.ts';
import { publicScenario, simulate } from './test/driver.ts';
import { birdView } from './format/bird.ts';
import { blockAffinityName } from './format/calico-ipam.ts';

const file = (name: string) => new URL(`../public/scenarios/${name}`, import.meta.url).pathname;
const cali = (pod: string) =>
  `cali${createHash('sha1').update(`default.${pod}`).digest('hex').slice(0, 11)}`;

describe('BIRD', () => {
  it('[CAL11] kubewire bird --node node-1 prints birdcl show protocols: the four base protocols, bfd1 and one Mesh_ session per other node, Established', () => {
    const r = kubewire('bird', file('calico-bgp.yaml'), '--node', 'node-1');
    expect(r.code).toBe(0);
    // name padded to 8, proto 8, table 8, state 5, two spaces, since 10, two spaces, info.
    expect(r.out).toBe(
      [
        'BIRD v0.3.3+birdv1.6.8 ready.',
        'name     proto    table    state  since       info',
        'static1  Static   master   up     00:00:00    ',
        'kernel1  Kernel   master   up     00:00:00    ',
        'device1  Device   master   up     00:00:00    ',
        'direct1  Direct   master   up     00:00:00    ',
        'bfd1     BFD      master   up     00:00:00    ',
        'Mesh_172_18_0_11 BGP      master   up     00:00:00    Established',
        '',
      ].join('\n'),
    );
  });

  it('[CAL11] birdcl show route: the own block from static1 (200), the peer block via the peer on eth0 (100/0) [i], alien kernel routes (10), direct1 (240)', () => {
    const r = kubewire('bird', file('calico-bgp.yaml'), '--node', 'node-2', 'route');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toEqual([
      'BIRD v0.3.3+birdv1.6.8 ready.',
      '0.0.0.0/0          via 172.18.0.1 on eth0 [kernel1 00:00:00] * (10)',
      '10.244.0.0/26      via 172.18.0.10 on eth0 [Mesh_172_18_0_10 00:00:00] * (100/0) [i]',
      '10.244.0.64/26     blackhole [static1 00:00:00] * (200)',
      `10.244.0.64/32     dev ${cali('pod-b')} [kernel1 00:00:00] * (10)`,
      '172.18.0.0/24      dev eth0 [direct1 00:00:00] * (240)',
      '',
    ]);
    // IPIP: BIRD's own table is the same (gateway recursive); tunl0 is only the kernel export,
    // and direct1 sees tunl0's /32.
    const ipip = kubewire('bird', file('calico-ipip.yaml'), '--node', 'node-1', 'route').out;
    expect(ipip).toContain(
      '10.244.0.64/26     via 172.18.0.11 on eth0 [Mesh_172_18_0_11 00:00:00] * (100/0) [i]\n',
    );
    expect(ipip).toContain('10.244.0.0/32      dev tunl0 [direct1 00:00:00] * (240)\n');
  });

  it('[CAL11] VXLAN runs no BIRD (felix programs the routes): a clear message, exit 2; a block claimed later shows its time', () => {
    const r = kubewire('bird', file('calico-vxlan.yaml'), '--node', 'node-1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/without BIRD in VXLAN mode/);
    expect(kubewire('bird', file('calico-bgp.yaml'), '--node', 'node-1', 'peers').err).toMatch(
      /protocols.*route/,
    );
    const sim = simulate(publicScenario('calico-bgp.yaml'));
    const snap = sim.stateAt(sim.steps.length - 1);
    const late = sim.steps.map((s) => ({ ...s, timeUs: s.timeUs + 3_725_000_000 }));
    const v = birdView(sim.scenario.cluster, snap, 'node-1', late);
    if (!v.ok) throw new Error(v.why);
    expect(v.routes.find((x) => x.net === '10.244.0.64/26')!.sinceUs).toBe(
      late.find((s) => s.facts.type === 'calico.block' && s.facts.node === 'node-2')!.timeUs,
    );
  });
});

describe('calico-ipam', () => {
  it('[CAL12] kubewire ipam on a Calico node prints calicoctl ipam show --show-blocks, the block affinity and the allocations by ordinal', () => {
    const r = kubewire('ipam', file('calico-ipip.yaml'), '--node', 'node-2');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    // tablewriter: a +---+ rule, headers centred, IPS TOTAL right-aligned, whole percentages.
    expect(lines.slice(1, 8)).toEqual([
      '+----------+----------------+-----------+------------+--------------+',
      '| GROUPING |      CIDR      | IPS TOTAL | IPS IN USE |   IPS FREE   |',
      '+----------+----------------+-----------+------------+--------------+',
      '| IP Pool  | 10.244.0.0/16  |     65536 | 4 (0%)     | 65532 (100%) |',
      '| Block    | 10.244.0.0/26  |        64 | 2 (3%)     | 62 (97%)     |',
      '| Block    | 10.244.0.64/26 |        64 | 2 (3%)     | 62 (97%)     |',
      '+----------+----------------+-----------+------------+--------------+',
    ]);
    // libcalico-go names a BlockAffinity <host>-<cidr with . and / as ->.
    expect(blockAffinityName('node-2', '10.244.0.64/26')).toBe('node-2-10-244-0-64-26');
    expect(r.out).toContain('node-2-10-244-0-64-26         10.244.0.64/26      confirmed');
    expect(r.out).toMatch(
      /^0 +10\.244\.0\.64 +ipip-tunnel-addr-node-2 +node=node-2 type=ipipTunnelAddress$/m,
    );
    expect(r.out).toMatch(
      /^1 +10\.244\.0\.65 +k8s-pod-network\.[0-9a-f]{64} +namespace=default node=node-2 pod=pod-b$/m,
    );
    // host-local's listing stays for flannel.
    expect(kubewire('ipam', file('cross-node-vxlan.yaml'), '--node', 'node-1').out).toMatch(
      /last_reserved_ip\.0/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { groupCatalog } from './catalog.ts';

describe('groupCatalog', () => {
  it('puts each built-in under its first topic, topics in the course order, unknown last', () => {
    const groups = groupCatalog([
      { file: 'dns.yaml', title: 'DNS', topics: ['coredns'] },
      { file: 'a.yaml', title: 'A', topics: ['veth-bridge-arp', 'flat-network'] },
      { file: 'r.yaml', title: 'R', topics: ['ranges'] },
      { file: 'x.yaml', title: 'X', topics: ['no-such-topic'] },
      { file: 'y.yaml', title: 'Y' },
    ]);
    expect(groups.map((g) => [g.label, g.entries.map((e) => e.title)])).toEqual([
      ['Three ranges that must not overlap', ['R']],
      ['veth pairs, the cni0 bridge and ARP', ['A']],
      ['CoreDNS: Service, pod and SRV records', ['DNS']],
      ['More scenarios', ['X', 'Y']],
    ]);
  });
});

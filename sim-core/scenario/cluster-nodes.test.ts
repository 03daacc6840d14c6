import { describe, expect, it } from 'vitest';
import { errorsOf, loadOk } from './testing.ts';

/** A Cluster whose spec.nodes are the given lines (line 6 onwards), after `extra` spec lines. */
function nodes(lines: string[], extra: string[] = []): string {
  return [
    'apiVersion: kubewire/v1',
    'kind: Cluster',
    'metadata: {name: lab}',
    'spec:',
    ...extra.map((l) => `  ${l}`),
    '  nodes:',
    ...lines.map((l) => `    - ${l}`),
    '',
  ].join('\n');
}

describe('Cluster nodes: pod subnets', () => {
  it('gives node i the i-th subnet by default', () => {
    const c = loadOk(
      nodes([
        '{name: a, ip: 192.168.1.10}',
        '{name: b, ip: 192.168.1.11}',
        '{name: c, ip: 192.168.1.12}',
      ]),
    );
    expect(c.cluster.nodes).toEqual([
      { name: 'a', ip: '192.168.1.10', podCIDR: '10.244.0.0/24', pos: { line: 6, column: 7 } },
      { name: 'b', ip: '192.168.1.11', podCIDR: '10.244.1.0/24', pos: { line: 7, column: 7 } },
      { name: 'c', ip: '192.168.1.12', podCIDR: '10.244.2.0/24', pos: { line: 8, column: 7 } },
    ]);
  });

  it('skips subnets given explicitly to other nodes', () => {
    const c = loadOk(
      nodes([
        '{name: a, ip: 192.168.1.10}',
        '{name: b, ip: 192.168.1.11, podCIDR: 10.244.0.0/24}',
        '{name: c, ip: 192.168.1.12}',
        '{name: d, ip: 192.168.1.13, podCIDR: 10.244.2.0/24}',
        '{name: e, ip: 192.168.1.14}',
      ]),
    );
    expect(c.cluster.nodes.map((n) => `${n.name} ${n.podCIDR}`)).toEqual([
      'a 10.244.1.0/24',
      'b 10.244.0.0/24',
      'c 10.244.3.0/24',
      'd 10.244.2.0/24',
      'e 10.244.4.0/24',
    ]);
  });

  it('uses the node mask size within podCIDR', () => {
    const c = loadOk(
      nodes(
        ['{name: a, ip: 192.168.1.10}', '{name: b, ip: 192.168.1.11}'],
        ['podCIDR: 10.32.0.0/16', 'nodeCIDRMaskSize: 25'],
      ),
    );
    expect(c.cluster.nodes.map((n) => n.podCIDR)).toEqual(['10.32.0.0/25', '10.32.0.128/25']);
  });

  it('fits exactly as many nodes as there are subnets', () => {
    const c = loadOk(
      nodes(
        ['{name: a, ip: 192.168.1.10}', '{name: b, ip: 192.168.1.11}'],
        ['podCIDR: 10.244.0.0/23'],
      ),
    );
    expect(c.cluster.nodes.map((n) => n.podCIDR)).toEqual(['10.244.0.0/24', '10.244.1.0/24']);
  });

  it('accepts block-style nodes and reports their position at the first key', () => {
    const text = nodes(['name: a']).replace('- name: a', '- name: a\n      ip: 192.168.1.10');
    expect(loadOk(text).cluster.nodes[0].pos).toEqual({ line: 6, column: 7 });
  });
});

describe('Cluster nodes: errors', () => {
  it('reports missing, malformed and duplicate names at the value', () => {
    expect(
      errorsOf(
        nodes([
          '{ip: 192.168.1.10}',
          '{name: Node_1, ip: 192.168.1.11}',
          '{name: b, ip: 192.168.1.12}',
          '{name: b, ip: 192.168.1.13}',
        ]),
      ),
    ).toEqual([
      '6:7 the node at spec.nodes[0] needs a name, like node-1',
      "7:14 node name 'Node_1' must consist of lower case letters, digits or '-', and start and end with a letter or digit (e.g. 'my-name')",
      '9:14 node name b is used twice (first at line 8)',
    ]);
  });

  it('reports missing, malformed and out-of-range ips', () => {
    expect(
      errorsOf(
        nodes([
          '{name: a}',
          '{name: b, ip: 192.168.1.256}',
          '{name: c, ip: 192.168.2.10}',
          '{name: d, ip: 192.168.1.0}',
          '{name: e, ip: 192.168.1.255}',
          '{name: f, ip: 192.168.1.20}',
          '{name: g, ip: 192.168.1.20}',
          '{name: h, ip: 3232235797}',
        ]),
      ),
    ).toEqual([
      '6:7 node a needs an ip: an IPv4 address in nodeNetwork 192.168.1.0/24',
      '7:21 192.168.1.256 is not an IPv4 address',
      '8:21 ip 192.168.2.10 of node c is outside nodeNetwork 192.168.1.0/24',
      '9:21 192.168.1.0 is the network address of nodeNetwork 192.168.1.0/24; a node cannot use it',
      '10:21 192.168.1.255 is the broadcast address of nodeNetwork 192.168.1.0/24; a node cannot use it',
      '12:21 ip 192.168.1.20 is already used by node f',
      '13:21 spec.nodes[7].ip must be a string, not a number (3232235797); put it in quotes: "3232235797"',
    ]);
  });

  it('reports bad node podCIDRs at the value', () => {
    expect(
      errorsOf(
        nodes([
          '{name: a, ip: 192.168.1.10, podCIDR: 10.244.1.0/33}',
          '{name: b, ip: 192.168.1.11, podCIDR: 10.244.1.1/24}',
          '{name: c, ip: 192.168.1.12, podCIDR: 10.245.0.0/24}',
          '{name: d, ip: 192.168.1.13, podCIDR: 10.244.4.0/23}',
          '{name: e, ip: 192.168.1.14, podCIDR: 10.244.7.0/24}',
          '{name: f, ip: 192.168.1.15, podCIDR: 10.244.7.0/24}',
        ]),
      ),
    ).toEqual([
      '6:44 podCIDR: 10.244.1.0/33 is not a CIDR range: the prefix length must be 0..32',
      '7:44 podCIDR: 10.244.1.1/24 has host bits set; did you mean 10.244.1.0/24?',
      '8:44 podCIDR 10.245.0.0/24 of node c is outside the cluster podCIDR 10.244.0.0/16',
      "9:44 podCIDR 10.244.4.0/23 of node d must be a /24, the cluster's nodeCIDRMaskSize",
      '11:44 podCIDR 10.244.7.0/24 is already given to node e',
    ]);
  });

  it('reports an empty or missing node list', () => {
    expect(errorsOf(nodes([]).replace('  nodes:\n', '  nodes: []\n'))).toEqual([
      '5:10 a cluster needs at least one node',
    ]);
    expect(errorsOf(nodes([]).replace('  nodes:\n', '  seed: 3\n'))).toEqual([
      '5:3 a cluster needs at least one node: add spec.nodes',
    ]);
    expect(errorsOf(nodes([]))).toEqual(['5:3 a cluster needs at least one node: add spec.nodes']);
  });

  it('reports nodes that are not a list, and items that are not mappings', () => {
    expect(errorsOf(nodes([]).replace('  nodes:\n', '  nodes: node-1\n'))).toEqual([
      '5:10 spec.nodes must be a list, not a string ("node-1")',
    ]);
    expect(errorsOf(nodes(['node-1']))).toEqual([
      '6:7 spec.nodes[0] must be a mapping (key: value pairs), not a string ("node-1")',
    ]);
  });
});

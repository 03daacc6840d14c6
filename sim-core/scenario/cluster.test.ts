import { describe, expect, it } from 'vitest';
import { diagnosticsOf, errorsOf, loadOk, y } from './testing.ts';

/** A Cluster with two nodes; each line of `spec` becomes a spec field, inserted at line 5. */
function cluster(spec: string): string {
  const fields = spec
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => `  ${l}`);
  return [
    'apiVersion: kubewire/v1',
    'kind: Cluster',
    'metadata: {name: lab}',
    'spec:',
    ...fields,
    '  nodes:',
    '    - {name: node-1, ip: 192.168.1.10}',
    '    - {name: node-2, ip: 192.168.1.11}',
    '',
  ].join('\n');
}

describe('Cluster: values and defaults', () => {
  it('reads every field as written', () => {
    const c = loadOk(
      cluster(`  nodeNetwork: 192.168.0.0/16
      podCIDR: 10.32.0.0/12
      nodeCIDRMaskSize: 26
      serviceCIDR: 172.20.0.0/16
      clusterDomain: corp.example
      cni: {plugin: calico, mode: bgp, ipPool: 10.48.0.0/16, blockSize: 28}
      kubeProxy: {mode: ipvs, scheduler: rr}
      seed: 42`),
    ).cluster;
    expect(c).toMatchObject({
      nodeNetwork: '192.168.0.0/16',
      podCIDR: '10.32.0.0/12',
      nodeCIDRMaskSize: 26,
      serviceCIDR: '172.20.0.0/16',
      clusterDomain: 'corp.example',
      cni: { plugin: 'calico', mode: 'bgp', ipPool: '10.48.0.0/16', blockSize: 28 },
      kubeProxy: { mode: 'ipvs', scheduler: 'rr' },
      seed: 42,
    });
    expect(c.nodes.map((n) => n.podCIDR)).toEqual(['10.32.0.0/26', '10.32.0.64/26']);
  });

  it("defaults a plugin's mode and ipvs's scheduler", () => {
    expect(loadOk(cluster('  cni: {plugin: calico, ipPool: 10.244.0.0/16}')).cluster.cni).toEqual({
      plugin: 'calico',
      mode: 'ipip',
      ipPool: '10.244.0.0/16',
      blockSize: 26,
    });
    expect(
      loadOk(cluster('  cni: {plugin: cilium, clusterPoolIPv4PodCIDRList: 10.0.0.0/16}')).cluster
        .cni,
    ).toEqual({
      plugin: 'cilium',
      mode: 'vxlan',
      clusterPoolIPv4PodCIDRList: '10.0.0.0/16',
      clusterPoolIPv4MaskSize: 24,
    });
    expect(loadOk(cluster('  cni: {mode: host-gw}')).cluster.cni).toEqual({
      plugin: 'flannel',
      mode: 'host-gw',
    });
    expect(loadOk(cluster('  kubeProxy: {mode: ipvs}')).cluster.kubeProxy).toEqual({
      mode: 'ipvs',
      scheduler: 'rr',
    });
    expect(loadOk(cluster('  kubeProxy: {}')).cluster.kubeProxy).toEqual({ mode: 'iptables' });
  });

  it.each([
    ['flannel', 'vxlan'],
    ['flannel', 'host-gw'],
    ['calico', 'bgp'],
    ['calico', 'ipip'],
    ['calico', 'vxlan'],
    ['cilium', 'vxlan'],
    ['cilium', 'native'],
  ])('accepts cni %s/%s', (plugin, mode) => {
    // Calico's default pool 192.168.0.0/16 would overlap the node network: another pool.
    // Cilium's default cluster pool 10.0.0.0/8 would overlap the Service range: another pool.
    const pool =
      plugin === 'calico'
        ? ', ipPool: 10.244.0.0/16'
        : plugin === 'cilium'
          ? ', clusterPoolIPv4PodCIDRList: 10.0.0.0/16'
          : '';
    expect(loadOk(cluster(`  cni: {plugin: ${plugin}, mode: ${mode}${pool}}`)).cluster.cni).toEqual(
      {
        plugin,
        mode,
        ...(plugin === 'calico' ? { ipPool: '10.244.0.0/16', blockSize: 26 } : {}),
        ...(plugin === 'cilium'
          ? { clusterPoolIPv4PodCIDRList: '10.0.0.0/16', clusterPoolIPv4MaskSize: 24 }
          : {}),
      },
    );
  });

  it('accepts seed 0 and a null (unset) field', () => {
    expect(loadOk(cluster('  seed: 0')).cluster.seed).toBe(0);
    expect(loadOk(cluster('  podCIDR:')).cluster.podCIDR).toBe('10.244.0.0/16');
  });
});

describe('Cluster: errors', () => {
  it('reports a misspelled key once: at the key, with a suggestion, not also as missing', () => {
    const text = y`
      apiVersion: kubewire/v1
      kind: Cluster
      metadata: {name: lab}
      spce:
        nodes: [{name: node-1, ip: 192.168.1.10}]
    `;
    expect(errorsOf(text)).toEqual([
      "4:1 unknown field 'spce' in a Cluster document; did you mean 'spec'?",
    ]);
  });

  it('reports unknown fields in spec, cni, kubeProxy, metadata and nodes', () => {
    const text = cluster(`  podCidr: 10.244.0.0/16
      cni: {plugin: flannel, backend: vxlan}
      kubeProxy: {mode: ipvs, sheduler: rr}`).replace('{name: lab}', '{name: lab, labels: {}}');
    expect(errorsOf(text.replace('ip: 192.168.1.11', 'ip: 192.168.1.11, role: worker'))).toEqual([
      "3:23 unknown field 'labels' in the Cluster metadata",
      "5:3 unknown field 'podCidr' in the Cluster spec; did you mean 'podCIDR'?",
      "6:26 unknown field 'backend' in cni",
      "7:27 unknown field 'sheduler' in kubeProxy; did you mean 'scheduler'?",
      "10:40 unknown field 'role' in a node",
    ]);
  });

  it('reports a prefix over 32 at the value', () => {
    expect(errorsOf(cluster('  podCIDR: 10.244.0.0/33'))).toEqual([
      '5:12 podCIDR: 10.244.0.0/33 is not a CIDR range: the prefix length must be 0..32',
    ]);
  });

  it('reports host bits set and suggests the network', () => {
    const d = diagnosticsOf(cluster('  podCIDR: 10.244.1.0/16'));
    expect(d).toEqual([
      {
        line: 5,
        column: 12,
        message: 'podCIDR: 10.244.1.0/16 has host bits set; did you mean 10.244.0.0/16?',
        path: 'spec.podCIDR',
        document: 0,
      },
    ]);
  });

  it('reports bad nodeNetwork and serviceCIDR values', () => {
    expect(errorsOf(cluster('  nodeNetwork: 192.168.1/24\n  serviceCIDR: 10.96.0.0'))).toEqual([
      '5:16 nodeNetwork: 192.168.1/24 is not a CIDR range: 192.168.1 is not an IPv4 address',
      '6:16 serviceCIDR: 10.96.0.0 is not a CIDR range: expected address/prefix, like 10.244.0.0/16',
    ]);
  });

  it('reports podCIDR overlapping the default serviceCIDR at podCIDR, naming the overlap', () => {
    expect(errorsOf(cluster('  podCIDR: 10.0.0.0/8'))).toEqual([
      '5:12 podCIDR 10.0.0.0/8 overlaps serviceCIDR 10.96.0.0/12 (overlap: 10.96.0.0/12)',
    ]);
  });

  it('reports every overlapping pair', () => {
    const text = cluster(`  nodeNetwork: 10.0.0.0/8
      podCIDR: 10.244.0.0/16
      serviceCIDR: 10.244.0.0/12`);
    expect(errorsOf(text.replace(/192\.168\.1\./g, '10.0.0.'))).toEqual([
      '6:12 nodeNetwork 10.0.0.0/8 overlaps podCIDR 10.244.0.0/16 (overlap: 10.244.0.0/16)',
      '7:16 serviceCIDR: 10.244.0.0/12 has host bits set; did you mean 10.240.0.0/12?',
    ]);
    expect(
      errorsOf(text.replace('10.244.0.0/12', '10.240.0.0/12').replace(/192\.168\.1\./g, '10.0.0.')),
    ).toEqual([
      '6:12 nodeNetwork 10.0.0.0/8 overlaps podCIDR 10.244.0.0/16 (overlap: 10.244.0.0/16)',
      '7:16 nodeNetwork 10.0.0.0/8 overlaps serviceCIDR 10.240.0.0/12 (overlap: 10.240.0.0/12)',
      '7:16 podCIDR 10.244.0.0/16 overlaps serviceCIDR 10.240.0.0/12 (overlap: 10.244.0.0/16)',
    ]);
  });

  it('reports nodeNetwork overlapping the default podCIDR at nodeNetwork', () => {
    expect(
      errorsOf(cluster('  nodeNetwork: 10.244.5.0/24').replace(/192\.168\.1\./g, '10.244.5.')),
    ).toEqual([
      '5:16 nodeNetwork 10.244.5.0/24 overlaps podCIDR 10.244.0.0/16 (overlap: 10.244.5.0/24)',
    ]);
  });

  it('reports nodeCIDRMaskSize smaller than the podCIDR prefix', () => {
    expect(errorsOf(cluster('  nodeCIDRMaskSize: 8'))).toEqual([
      "5:21 nodeCIDRMaskSize 8 is smaller than podCIDR 10.244.0.0/16's prefix /16: each node's /8 subnet must fit inside podCIDR",
    ]);
  });

  it('reports nodeCIDRMaskSize over 30', () => {
    expect(errorsOf(cluster('  nodeCIDRMaskSize: 31'))).toEqual([
      '5:21 nodeCIDRMaskSize must be at most 30, not 31: a node subnet needs room for the network address, a gateway, a pod and broadcast',
    ]);
  });

  it('reports a podCIDR too small for the nodes at nodeCIDRMaskSize', () => {
    expect(errorsOf(cluster('  podCIDR: 10.244.0.0/24\n  nodeCIDRMaskSize: 24'))).toEqual([
      '6:21 podCIDR 10.244.0.0/24 with nodeCIDRMaskSize 24 has 1 node subnet; 2 nodes need more',
    ]);
    expect(errorsOf(cluster('  podCIDR: 10.244.0.0/24'))).toEqual([
      '5:12 podCIDR 10.244.0.0/24 with nodeCIDRMaskSize 24 has 1 node subnet; 2 nodes need more',
    ]);
  });

  it('reports 300 nodes in 256 subnets with the numbers', () => {
    const nodes = Array.from(
      { length: 300 },
      (_, i) => `    - {name: n${i}, ip: 10.1.${1 + (i >> 7)}.${(i & 127) + 1}}`,
    );
    const text = [
      'apiVersion: kubewire/v1',
      'kind: Cluster',
      'metadata: {name: big}',
      'spec:',
      '  nodeNetwork: 10.1.0.0/16',
      '  nodeCIDRMaskSize: 24',
      '  nodes:',
      ...nodes,
    ].join('\n');
    expect(errorsOf(text)).toEqual([
      '6:21 podCIDR 10.244.0.0/16 with nodeCIDRMaskSize 24 has 256 node subnets; 300 nodes need more',
    ]);
  });

  it('reports bad cni and kube-proxy choices at their values', () => {
    const text = cluster(`  cni: {plugin: weave, mode: vxlan}
      kubeProxy: {mode: nftables}`);
    expect(errorsOf(text)).toEqual([
      "5:17 cni plugin 'weave' is not one of flannel, calico, cilium",
      '6:21 kube-proxy mode nftables is not supported yet; use iptables or ipvs',
    ]);
    expect(errorsOf(cluster('  cni: {plugin: flannel, mode: bgp}'))).toEqual([
      "5:32 flannel mode 'bgp' is not one of vxlan, host-gw",
    ]);
    expect(errorsOf(cluster('  cni: {plugin: flannel, mode: udp}'))).toEqual([
      "5:32 flannel's udp backend is deprecated and not simulated; use vxlan or host-gw",
    ]);
    expect(errorsOf(cluster('  cni: {plugin: cilium, mode: ipip}'))).toEqual([
      "5:31 cilium mode 'ipip' is not one of vxlan, native",
    ]);
    expect(errorsOf(cluster('  kubeProxy: {mode: iptable}'))).toEqual([
      "5:21 kube-proxy mode 'iptable' is not one of iptables, ipvs; did you mean 'iptables'?",
    ]);
    expect(errorsOf(cluster('  kubeProxy: {mode: iptables, scheduler: rr}'))).toEqual([
      '5:31 scheduler applies only to kubeProxy mode ipvs',
    ]);
    expect(errorsOf(cluster('  kubeProxy: {mode: ipvs, scheduler: wlc}'))).toEqual([
      "5:38 ipvs scheduler 'wlc' is not supported yet (supported: rr)",
    ]);
  });

  it('reports wrong types with what was found', () => {
    const text = cluster(`  nodeCIDRMaskSize: "24"
      seed: 1.5
      clusterDomain: 7
      cni: flannel`);
    expect(errorsOf(text)).toEqual([
      '5:21 spec.nodeCIDRMaskSize must be a whole number, not a string ("24")',
      '6:9 spec.seed must be a whole number, not a number (1.5)',
      '7:18 spec.clusterDomain must be a string, not a number (7); put it in quotes: "7"',
      '8:8 spec.cni must be a mapping (key: value pairs), not a string ("flannel")',
    ]);
  });

  it('reports a negative seed and a bad cluster domain', () => {
    expect(errorsOf(cluster('  seed: -1\n  clusterDomain: Cluster_Local'))).toEqual([
      '5:9 seed must be between 0 and 4294967295, not -1',
      "6:18 clusterDomain 'Cluster_Local' must consist of lower case letters, digits, '-' or '.', and start and end with a letter or digit (e.g. 'example.com')",
    ]);
  });

  it('reports missing metadata, name and spec', () => {
    expect(errorsOf('apiVersion: kubewire/v1\nkind: Cluster\n')).toEqual([
      '1:1 the Cluster needs metadata.name',
      '1:1 the Cluster needs a spec with at least its nodes',
    ]);
    expect(
      errorsOf('apiVersion: kubewire/v1\nkind: Cluster\nmetadata: {}\nspec: {nodes: []}\n'),
    ).toEqual(['3:11 the Cluster needs a metadata.name', '4:15 a cluster needs at least one node']);
  });

  it('reports a wrong or missing apiVersion', () => {
    expect(errorsOf(cluster('').replace('kubewire/v1', 'v1'))).toEqual([
      '1:13 a Cluster has apiVersion kubewire/v1, not v1',
    ]);
    expect(errorsOf(cluster('').replace('apiVersion: kubewire/v1\n', ''))).toEqual([
      '1:1 apiVersion is missing: a Cluster has apiVersion: kubewire/v1',
    ]);
  });
});

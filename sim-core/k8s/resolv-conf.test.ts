import { describe, expect, it } from 'vitest';
import type { ClusterSpec, PodSpec } from '../scenario/types.ts';
import { formatResolvConf, podResolvConf, resolverOptions } from './resolv-conf.ts';

type Cluster = Pick<ClusterSpec, 'clusterDomain' | 'serviceCIDR' | 'hosts' | 'dns'>;
const cluster: Cluster = { clusterDomain: 'cluster.local', serviceCIDR: '10.96.0.0/12', hosts: [] };
const pod = (p: Partial<PodSpec> = {}) => ({ namespace: 'default', ...p });

describe("a pod's /etc/resolv.conf (kubelet GetPodDNS, containerd's file)", () => {
  it("[DNS21] ClusterFirst: kube-dns at the tenth address, the three cluster suffixes, ndots:5, in containerd's line order", () => {
    expect(formatResolvConf(podResolvConf(pod({ namespace: 'shop' }), cluster))).toBe(
      'search shop.svc.cluster.local svc.cluster.local cluster.local\n' +
        'nameserver 10.96.0.10\n' +
        'options ndots:5\n',
    );
  });

  it("[DNS21] Default copies the node's resolv.conf (the upstream of spec.dns); None starts empty", () => {
    const withUpstream: Cluster = {
      ...cluster,
      hosts: [{ name: 'resolver', ip: '192.168.1.53', pos: { line: 1, column: 1 } }],
      dns: { replicas: 2, upstream: 'resolver', pos: { line: 1, column: 1 } },
    };
    expect(formatResolvConf(podResolvConf(pod({ dnsPolicy: 'Default' }), withUpstream))).toBe(
      'nameserver 192.168.1.53\n',
    );
    const none = podResolvConf(
      pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'] } }),
      withUpstream,
    );
    expect(formatResolvConf(none)).toBe('nameserver 1.1.1.1\n');
  });

  // Upstream: TestGetPodDNSCustom (pkg/kubelet/network/dns/dns_test.go), restated: a node
  // resolv.conf of "nameserver 8.8.8.8 / search host.domain", cluster DNS 10.0.0.10 in
  // kubernetes.io, and a dnsConfig of nameserver 10.0.0.11, search my.domain, ndots:3, debug.
  const host = { nameservers: ['8.8.8.8'], searches: ['host.domain'], options: [] };
  const dnsConfig = {
    nameservers: ['10.0.0.11'],
    searches: ['my.domain'],
    options: [{ name: 'ndots', value: '3' }, { name: 'debug' }],
  };
  const upstreamCluster: Cluster = {
    ...cluster,
    clusterDomain: 'kubernetes.io',
    serviceCIDR: '10.0.0.0/16',
  };
  it.each([
    [
      'ClusterFirst',
      ['10.0.0.10', '10.0.0.11'],
      [
        'testns.svc.kubernetes.io',
        'svc.kubernetes.io',
        'kubernetes.io',
        'host.domain',
        'my.domain',
      ],
    ],
    [
      'ClusterFirstWithHostNet',
      ['10.0.0.10', '10.0.0.11'],
      [
        'testns.svc.kubernetes.io',
        'svc.kubernetes.io',
        'kubernetes.io',
        'host.domain',
        'my.domain',
      ],
    ],
    ['Default', ['8.8.8.8', '10.0.0.11'], ['host.domain', 'my.domain']],
  ] as const)(
    '[DNS21] %s with dnsConfig merges it (TestGetPodDNSCustom)',
    (policy, servers, searches) => {
      const r = podResolvConf(
        { namespace: 'testns', dnsPolicy: policy, dnsConfig },
        upstreamCluster,
        host,
      );
      expect(r.nameservers).toEqual(servers);
      expect(r.searches).toEqual(searches);
      // Upstream compares options as a set: the kubelet merges them through a Go map.
      expect(new Set(r.options)).toEqual(new Set(['ndots:3', 'debug']));
    },
  );

  it('[DNS21] None with dnsConfig is exactly the dnsConfig (TestGetPodDNSCustom)', () => {
    const r = podResolvConf(
      {
        namespace: 'testns',
        dnsPolicy: 'None',
        dnsConfig: {
          nameservers: ['203.0.113.1'],
          searches: ['my.domain', 'second.domain'],
          options: [{ name: 'ndots', value: '3' }, { name: 'debug' }],
        },
      },
      upstreamCluster,
      host,
    );
    expect(r).toEqual({
      nameservers: ['203.0.113.1'],
      searches: ['my.domain', 'second.domain'],
      options: ['ndots:3', 'debug'],
    });
  });

  it('[DNS21] the limits: 3 nameservers, 32 search domains (formDNSConfigFitsLimits)', () => {
    const searches = Array.from({ length: 40 }, (_, i) => `d${i}.example`);
    const r = podResolvConf(
      pod({ dnsConfig: { nameservers: ['10.0.0.2', '10.0.0.3', '10.0.0.4'], searches } }),
      cluster,
    );
    expect(r.nameservers).toEqual(['10.96.0.10', '10.0.0.2', '10.0.0.3']);
    expect(r.searches).toHaveLength(32);
    expect(r.searches.slice(0, 4)).toEqual([
      'default.svc.cluster.local',
      'svc.cluster.local',
      'cluster.local',
      'd0.example',
    ]);
  });

  it('[DNS21] glibc reads ndots, timeout and attempts from options, with its defaults otherwise', () => {
    expect(resolverOptions({ nameservers: [], searches: [], options: ['ndots:5'] })).toEqual({
      ndots: 5,
      timeout: 5,
      attempts: 2,
      singleRequest: false,
    });
    expect(
      resolverOptions({
        nameservers: [],
        searches: [],
        options: ['ndots:2', 'timeout:1', 'attempts:3', 'single-request'],
      }),
    ).toEqual({ ndots: 2, timeout: 1, attempts: 3, singleRequest: true });
  });
});

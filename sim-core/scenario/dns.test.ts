import { describe, expect, it } from 'vitest';
import { CLUSTER, errorsOf, loadOk, pod, y } from './testing.ts';

const DNS_CLUSTER = y`
  apiVersion: kubewire/v1
  kind: Cluster
  metadata: {name: lab}
  spec:
    nodes: [{name: node-1, ip: 192.168.1.10}, {name: node-2, ip: 192.168.1.11}]
    hosts: [{name: resolver, ip: 192.168.1.53, dns: {example.com: 93.184.215.14}}]
    dns: {upstream: resolver}
`;

describe('spec.dns: the CoreDNS add-on as kubeadm installs it', () => {
  it("[DNS20] kube-dns at the tenth address with kubeadm's three ports, and 2 coredns pods on the first node before any other pod", () => {
    const s = loadOk(DNS_CLUSTER + pod('client'));
    const svc = s.services.find((x) => x.metadata.name === 'kube-dns')!;
    expect(svc.metadata.namespace).toBe('kube-system');
    expect(svc.spec.clusterIP).toBe('10.96.0.10');
    expect(svc.spec.selector).toEqual({ 'k8s-app': 'kube-dns' });
    expect(svc.spec.ports.map((p) => `${p.name} ${p.port}/${p.protocol}`)).toEqual([
      'dns 53/UDP',
      'dns-tcp 53/TCP',
      'metrics 9153/TCP',
    ]);
    const [a, b, client] = s.pods;
    for (const p of [a, b]) {
      expect(p.namespace).toBe('kube-system');
      expect(p.name).toMatch(/^coredns-[0-9a-f]{8,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.nodeName).toBe('node-1');
      expect(p.dnsPolicy).toBe('Default');
      expect(p.labels['k8s-app']).toBe('kube-dns');
    }
    expect(client.name).toBe('client');
    expect(s.deployments[0]).toMatchObject({
      namespace: 'kube-system',
      name: 'coredns',
      replicas: 2,
    });
    expect(s.cluster.hosts[0].dns).toEqual({ 'example.com': ['93.184.215.14'] });
  });

  it('[DNS20] without spec.dns there is no kube-dns Service and no coredns pod', () => {
    const s = loadOk(CLUSTER + pod('client'));
    expect(s.services.map((x) => x.metadata.name)).toEqual(['kubernetes']);
    expect(s.pods.map((p) => p.name)).toEqual(['client']);
  });

  it('[DNS20] a Service asking for 10.96.0.10 is refused: kube-dns holds it', () => {
    const errors = errorsOf(
      DNS_CLUSTER +
        y`
          ---
          apiVersion: v1
          kind: Service
          metadata: {name: mine}
          spec:
            clusterIP: 10.96.0.10
            ports: [{port: 53, protocol: UDP}]
        `,
    );
    expect(errors.join('\n')).toMatch(/10\.96\.0\.10.*already allocated/);
  });

  it('[DNS22] spec.dns.upstream must name a host', () => {
    const text = DNS_CLUSTER.replace('upstream: resolver', 'upstream: resolvr');
    expect(errorsOf(text)).toEqual([
      "7:19 dns.upstream names no host in spec.hosts (hosts: resolver); did you mean 'resolver'?",
    ]);
  });
});

describe("a pod's DNS fields, refused as the API server refuses them", () => {
  it("[DNS22] an unknown dnsPolicy, in the API server's words at the value", () => {
    expect(errorsOf(CLUSTER + pod('a', 'default', '  dnsPolicy: ClusterLast'))).toEqual([
      '11:14 spec.dnsPolicy: Unsupported value: "ClusterLast": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    ]);
  });

  it('[DNS22] None needs a dnsConfig with a nameserver; nameservers are IPs, at most 3', () => {
    expect(errorsOf(CLUSTER + pod('a', 'default', '  dnsPolicy: None'))).toEqual([
      '11:14 spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
    ]);
    const text =
      CLUSTER +
      pod(
        'a',
        'default',
        '  dnsPolicy: None\n  dnsConfig: {nameservers: [1.1.1.1, one, 3.3.3.3, 4.4.4.4]}',
      );
    expect(errorsOf(text)).toEqual([
      '12:28 spec.dnsConfig.nameservers: Invalid value: []string{"1.1.1.1", "one", "3.3.3.3", "4.4.4.4"}: must not have more than 3 nameservers',
      '12:38 spec.dnsConfig.nameservers[1]: Invalid value: "one": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
  });

  it("[DNS22] a Deployment's template carries dnsPolicy and dnsConfig to its pods", () => {
    const s = loadOk(
      CLUSTER +
        y`
          ---
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: web}
          spec:
            replicas: 1
            selector: {matchLabels: {app: web}}
            template:
              metadata: {labels: {app: web}}
              spec:
                dnsPolicy: ClusterFirst
                dnsConfig: {options: [{name: ndots, value: "2"}]}
                containers: [{name: app, image: nginx}]
        `,
    );
    expect(s.pods[0].dnsConfig).toEqual({ options: [{ name: 'ndots', value: '2' }] });
  });
});

import { describe, expect, it } from 'vitest';
import { loadScenario } from './load.ts';
import { CLUSTER, errorsOf, warningsOf, loadOk, pod, y } from './testing.ts';

describe('loadScenario: documents', () => {
  it('loads the minimal file with every default filled in', () => {
    const s = loadOk(CLUSTER);
    expect(s.cluster).toMatchObject({
      name: 'lab',
      nodeNetwork: '192.168.1.0/24',
      podCIDR: '10.244.0.0/16',
      nodeCIDRMaskSize: 24,
      serviceCIDR: '10.96.0.0/12',
      clusterDomain: 'cluster.local',
      cni: { plugin: 'flannel', mode: 'vxlan' },
      kubeProxy: { mode: 'iptables' },
      seed: 1,
    });
    expect(s.namespaces).toEqual(['default', 'kube-system']);
    expect(s.pods).toEqual([]);
    expect(s.scenario).toEqual({ name: 'lab', title: 'lab', goal: '', actions: [] });
  });

  it('refuses an empty file', () => {
    expect(errorsOf('')).toEqual([
      '1:1 this file has nothing Kubewire reads: paste Kubernetes manifests (Pod, Deployment, Service, …) or start with a kubewire/v1 Cluster document',
    ]);
  });

  it('[MAN8] runs a file with pods but no Cluster on three default nodes, and says so', () => {
    const text = pod('web').replace('---\n', '');
    expect(warningsOf(text)).toEqual([
      '1:1 this file has no Cluster document: Kubewire uses kubeadm and flannel defaults, three nodes node-1..node-3 (192.168.1.10-12), pods 10.244.0.0/16, Services 10.96.0.0/12, CoreDNS',
    ]);
    const s = loadOk(text);
    expect(s.cluster.nodes.map((n) => `${n.name} ${n.ip} ${n.podCIDR}`)).toEqual([
      'node-1 192.168.1.10 10.244.0.0/24',
      'node-2 192.168.1.11 10.244.1.0/24',
      'node-3 192.168.1.12 10.244.2.0/24',
    ]);
    // kubeadm's defaults: clusterName kubernetes, 10.96.0.0/12, cluster.local, CoreDNS with 2 replicas.
    expect(s.cluster).toMatchObject({
      name: 'kubernetes',
      serviceCIDR: '10.96.0.0/12',
      clusterDomain: 'cluster.local',
      cni: { plugin: 'flannel', mode: 'vxlan' },
      kubeProxy: { mode: 'iptables' },
      dns: { replicas: 2 },
    });
    expect(s.services.map((v) => `${v.metadata.name} ${v.spec.clusterIP}`)).toEqual([
      'kubernetes 10.96.0.1',
      'kube-dns 10.96.0.10',
    ]);
    // The pod is placed as the loader places any pod without nodeName: the first node first.
    expect(s.pods.find((p) => p.name === 'web')?.nodeName).toBe('node-1');
  });

  it('refuses a second Cluster at its kind', () => {
    expect(errorsOf(CLUSTER + '---\n' + CLUSTER)).toEqual([
      '8:7 a scenario file has only one Cluster document (the first is at line 2)',
    ]);
  });

  it('[MAN7] warns at its kind: value about a kind it does not simulate, and loads the rest', () => {
    const text =
      CLUSTER +
      y`
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: web}
      ---
      apiVersion: batch/v1
      kind: Job
      metadata: {name: migrate}
      spec: {template: {spec: {containers: [{name: m, image: busybox}]}}}
      ---
      apiVersion: cert-manager.io/v1
      kind: Certificate
      metadata: {name: web-tls}
      spec: {secretName: web-tls}
    `;
    expect(warningsOf(text)).toEqual([
      '8:7 NetworkPolicy is not simulated by Kubewire; it is ignored',
      '12:7 Job is not simulated by Kubewire; it is ignored',
      '17:7 Certificate is not simulated by Kubewire; it is ignored',
    ]);
    expect(loadOk(text).pods).toEqual([]);
  });

  it('[MAN7] still refuses a kind that is a typo of one it reads', () => {
    expect(errorsOf(CLUSTER + '---\napiVersion: v1\nkind: Pdo\nmetadata: {name: x}\n')).toEqual([
      "8:7 unknown kind Pdo; did you mean 'Pod'?",
    ]);
  });

  it('reports YAML syntax errors with line and column, and keeps checking other documents', () => {
    const text =
      CLUSTER.replace('lab', 'Lab') +
      y`
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
        name: web2
    `;
    expect(errorsOf(text)).toEqual([
      "3:18 cluster name 'Lab' must consist of lower case letters, digits, '-' or '.', and start and end with a letter or digit (e.g. 'example.com')",
      '11:3 YAML syntax error: this key appears twice in the same mapping',
    ]);
  });

  it('sorts errors by line', () => {
    const r = loadScenario(
      CLUSTER.replace('lab', 'Lab') + pod('web', 'default', '  nodeName: nope'),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const lines = r.errors.map((e) => e.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(r.errors.map((e) => e.path)).toEqual(['metadata.name', 'spec.nodeName']);
  });
});

describe('loadScenario: one mistake, one error', () => {
  it('does not also claim the Cluster is missing when its kind is unreadable', () => {
    expect(errorsOf(CLUSTER.replace('kind: Cluster', 'kind: [Cluster]'))).toEqual([
      '2:7 kind must be a word like Pod, not a list',
    ]);
    expect(errorsOf(CLUSTER.replace('kind: Cluster', 'kind: Clustr'))).toEqual([
      "2:7 unknown kind Clustr; did you mean 'Cluster'?",
    ]);
  });

  it('does not blame nodeName when a node name is unreadable', () => {
    const text =
      CLUSTER.replace('{name: node-2,', '{name: [node-2],') +
      pod('web', 'default', '  nodeName: node-2');
    expect(errorsOf(text)).toEqual(['5:52 spec.nodes[1].name must be a string, not a list']);
  });

  it('does not blame pod references when a pod name is unreadable', () => {
    const text =
      CLUSTER +
      pod('web').replace('namespace: default', 'namespace: 7') +
      '---\napiVersion: kubewire/v1\nkind: Scenario\nspec: {actions: [{delete: {pod: web}}]}\n';
    expect(errorsOf(text)).toEqual([
      '9:34 metadata.namespace must be a string, not a number (7); put it in quotes: "7"',
    ]);
  });
});

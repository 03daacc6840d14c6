import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario } from './load.ts';
import { errorsOf, loadOk, show, warningsOf } from './testing.ts';

const classroom = readFileSync(new URL('./testdata/classroom.yaml', import.meta.url), 'utf8');

describe('a realistic valid file', () => {
  const s = loadOk(classroom);

  it('reads the cluster', () => {
    expect(s.cluster).toEqual({
      name: 'classroom',
      nodeNetwork: '172.16.0.0/24',
      podCIDR: '10.244.0.0/16',
      nodeCIDRMaskSize: 24,
      serviceCIDR: '10.96.0.0/12',
      clusterDomain: 'cluster.local',
      cni: { plugin: 'calico', mode: 'vxlan', ipPool: '192.168.0.0/16', blockSize: 26 },
      kubeProxy: { mode: 'ipvs', scheduler: 'rr' },
      seed: 2024,
      hosts: [],
      nodes: [
        {
          name: 'control-plane',
          ip: '172.16.0.10',
          podCIDR: '10.244.0.0/24',
          pos: { line: 17, column: 7 },
        },
        {
          name: 'worker-1',
          ip: '172.16.0.11',
          podCIDR: '10.244.7.0/24',
          pos: { line: 19, column: 7 },
        },
        {
          name: 'worker-2',
          ip: '172.16.0.12',
          podCIDR: '10.244.1.0/24',
          pos: { line: 22, column: 7 },
        },
      ],
    });
  });

  it('reads namespaces and pods, scheduling round-robin around the pinned one', () => {
    expect(s.namespaces).toEqual(['default', 'kube-system', 'ops', 'shop']);
    expect(s.pods.map((p) => `${p.namespace}/${p.name}@${p.nodeName}`)).toEqual([
      'default/client@control-plane',
      'shop/frontend-0@worker-1',
      'shop/frontend-1@worker-2',
      'shop/db@control-plane',
      'ops/dns-probe@control-plane',
    ]);
    const f0 = s.pods[1];
    expect(f0).toMatchObject({
      labels: { app: 'frontend', tier: 'web' },
      hostname: 'frontend-0',
      subdomain: 'frontend',
      pos: { line: 45, column: 9 },
    });
    // frontend-1's canary reuses its nginx ports through an anchor.
    expect(s.pods[2].containers[1]).toEqual({
      name: 'canary',
      image: 'nginx:1.28',
      ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
    });
    expect(
      f0.containers.map((c) => [
        c.name,
        c.ports.map((p) => `${p.name}:${p.containerPort}/${p.protocol}`),
      ]),
    ).toEqual([
      ['nginx', ['http:80/TCP', 'https:443/TCP']],
      ['metrics', ['metrics:9113/TCP']],
    ]);
    expect(s.pods[4].containers[0].ports).toEqual([{ containerPort: 5353, protocol: 'UDP' }]);
  });

  it('reads the scenario', () => {
    expect(s.scenario.name).toBe('shop-traffic');
    expect(s.scenario.title).toBe('A client reaches the shop');
    expect(s.scenario.actions.map((a) => `${a.kind}@${a.pos.line}`)).toEqual([
      'ping@113',
      'ping@114',
      'connect@115',
      'connect@116',
      'crash@117',
      'delete@118',
      'ping@119',
    ]);
    expect(s.scenario.actions[1]).toMatchObject({ to: '172.16.0.10', count: 2 });
  });
});

describe('a large generated file', () => {
  const NODES = 60;
  const PODS = 600;
  const lines = ['apiVersion: kubewire/v1', 'kind: Cluster', 'metadata: {name: big}', 'spec:'];
  lines.push(
    '  nodeNetwork: 192.168.0.0/16',
    '  podCIDR: 10.0.0.0/14',
    '  nodeCIDRMaskSize: 23',
    '  nodes:',
  );
  for (let i = 0; i < NODES; i++)
    lines.push(`    - {name: node-${i}, ip: 192.168.${1 + (i >> 8)}.${(i & 255) + 1}}`);
  for (let i = 0; i < PODS; i++) {
    lines.push(
      '---',
      'apiVersion: v1',
      'kind: Pod',
      `metadata: {name: pod-${i}, namespace: ns-${i % 7}}`,
    );
    lines.push(
      `spec: {containers: [{name: app, image: nginx, ports: [{containerPort: ${1000 + i}}]}]}`,
    );
  }
  lines.push(
    '---',
    'apiVersion: kubewire/v1',
    'kind: Scenario',
    'metadata: {name: many}',
    'spec:',
    '  actions:',
  );
  for (let i = 0; i < 100; i++)
    lines.push(`    - ping: {from: ns-${i % 7}/pod-${i}, to: ns-${(i + 1) % 7}/pod-${i + 1}}`);
  const text = lines.join('\n') + '\n';

  // How fast is the bench's business (npm run bench), not a test's: timings flake on shared machines.
  it('loads completely', () => {
    const s = loadOk(text);
    expect(s.cluster.nodes).toHaveLength(NODES);
    expect(s.cluster.nodes[59].podCIDR).toBe('10.0.118.0/23');
    expect(s.pods).toHaveLength(PODS);
    expect(s.pods[61].nodeName).toBe('node-1');
    expect(s.namespaces).toHaveLength(9);
    expect(s.scenario.actions).toHaveLength(100);
  });

  it('reports every error in a large broken file, sorted', () => {
    const broken = text
      .replace('name: pod-10,', 'name: Pod-10,')
      .replace('containerPort: 1500', 'containerPort: 99999')
      .replace('ns-0/pod-0,', 'ns-0/pod-x,')
      .replace('nodeCIDRMaskSize: 23', 'nodeCIDRMaskSize: 19');
    const r = loadScenario(broken);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const shown = r.errors.map(show);
    expect(shown).toEqual([
      '7:21 podCIDR 10.0.0.0/14 with nodeCIDRMaskSize 19 has 32 node subnets; 60 nodes need more',
      "122:18 pod name 'Pod-10' must consist of lower case letters, digits, '-' or '.', and start and end with a letter or digit (e.g. 'example.com')",
      '2573:71 containerPort must be between 1 and 65535, not 99999',
      "3075:20 there is no pod ns-0/pod-x in this scenario; did you mean 'ns-0/pod-0'?",
      // Renaming the pod broke the two actions that name it: real errors, with the fix.
      "3084:36 there is no pod ns-3/pod-10 in this scenario; did you mean 'ns-3/Pod-10'?",
      "3085:20 there is no pod ns-3/pod-10 in this scenario; did you mean 'ns-3/Pod-10'?",
    ]);
  });
});

describe('documents that are not objects', () => {
  it('reports a document with no kind, a non-mapping document, and an unknown kind', () => {
    const text = [
      'apiVersion: kubewire/v1',
      'kind: Cluster',
      'metadata: {name: lab}',
      'spec: {nodes: [{name: a, ip: 192.168.1.2}]}',
      '---',
      'apiVersion: v1',
      'metadata: {name: x}',
      '---',
      '- just',
      '- a list',
      '---',
      'kind: Podd',
      '---',
      'kind: Widget',
      '---',
      'kind: [Pod]',
      '---',
      '# only a comment',
      '---',
      'apiVersion: batch/v1',
      'kind: CronJob',
      '',
    ].join('\n');
    expect(errorsOf(text)).toEqual([
      '6:1 this document has no kind: add kind: Cluster, Namespace, Pod, Service, Deployment, ReplicaSet, StatefulSet, DaemonSet, EndpointSlice, Ingress, IngressClass, Secret, ConfigMap, Scenario',
      '9:1 each document must be a mapping with apiVersion and kind, not a list',
      "12:7 unknown kind Podd; did you mean 'Pod'?",
      '14:7 unknown kind Widget (Kubewire reads Cluster, Namespace, Pod, Service, Deployment, ReplicaSet, StatefulSet, DaemonSet, EndpointSlice, Ingress, IngressClass, Secret, ConfigMap, Scenario)',
      '16:7 kind must be a word like Pod, not a list',
    ]);
    expect(warningsOf(text)).toEqual(['21:7 CronJob is not simulated by Kubewire; it is ignored']);
  });

  it('reports tabs used for indentation as a syntax error', () => {
    const errors = errorsOf('apiVersion: kubewire/v1\nkind: Cluster\nspec:\n\tnodes: []\n');
    expect(errors[0]).toMatch(/^4:1 YAML syntax error: /);
  });
});

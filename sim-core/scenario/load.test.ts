import { describe, expect, it } from 'vitest';
import { loadScenario } from './load.ts';
import { CLUSTER, errorsOf, loadOk, pod, y } from './testing.ts';

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
      '1:1 this file has no Cluster document: start it with apiVersion: kubewire/v1 and kind: Cluster',
    ]);
  });

  it('refuses a file with pods but no Cluster', () => {
    expect(errorsOf(pod('web').replace('---\n', ''))).toEqual([
      '1:1 this file has no Cluster document: start it with apiVersion: kubewire/v1 and kind: Cluster',
    ]);
  });

  it('refuses a second Cluster at its kind', () => {
    expect(errorsOf(CLUSTER + '---\n' + CLUSTER)).toEqual([
      '8:7 a scenario file has only one Cluster document (the first is at line 2)',
    ]);
  });

  it('refuses an unsupported kind at its kind: value', () => {
    const text =
      CLUSTER +
      y`
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: web}
    `;
    expect(errorsOf(text)).toEqual([
      '8:7 kind NetworkPolicy is not supported yet by this version of Kubewire',
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

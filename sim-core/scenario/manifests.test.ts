/**
 * Manifests as users have them (MAN1-MAN12): the controllers' pods, List,
 * `kubectl get -o yaml` output, no Cluster document, warnings instead of
 * refusals for what Kubewire does not model.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../simulation.ts';
import { loadScenario } from './load.ts';
import { CLUSTER, errorsOf, loadOk, show, warningsOf, y } from './testing.ts';

/** The API server's rand.String alphabet (k8s.io/apimachinery/pkg/util/rand: no vowels, no 0/1/3). */
const SUFFIX = '[bcdfghjklmnpqrstvwxz2456789]{5}';

const NO_CLUSTER =
  '1:1 this file has no Cluster document: Kubewire uses kubeadm and flannel defaults, three nodes node-1..node-3 (192.168.1.10-12), pods 10.244.0.0/16, Services 10.96.0.0/12, CoreDNS';

const STATEFUL = y`
  apiVersion: v1
  kind: Service
  metadata: {name: nginx, labels: {app: nginx}}
  spec:
    clusterIP: None
    selector: {app: nginx}
    ports: [{name: web, port: 80}]
  ---
  apiVersion: apps/v1
  kind: StatefulSet
  metadata: {name: web}
  spec:
    serviceName: nginx
    replicas: 3
    selector: {matchLabels: {app: nginx}}
    template:
      metadata: {labels: {app: nginx}}
      spec:
        containers: [{name: nginx, image: registry.k8s.io/nginx-slim:0.24, ports: [{containerPort: 80, name: web}]}]
`;

describe('MAN1-MAN3: pods named as their controllers name them', () => {
  it('[MAN1] a ReplicaSet makes <name>-xxxxx pods, the same names for the same seed', () => {
    const rs = (seed: number) =>
      CLUSTER.replace('spec:\n', `spec:\n  seed: ${seed}\n`) +
      y`
        ---
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: frontend}
        spec:
          replicas: 3
          selector: {matchLabels: {tier: frontend}}
          template:
            metadata: {labels: {tier: frontend}}
            spec: {containers: [{name: php, image: gcr.io/google_samples/gb-frontend:v3}]}
      `;
    const pods = loadOk(rs(1)).pods;
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.name).toMatch(new RegExp(`^frontend-${SUFFIX}$`));
      expect(p.labels).toEqual({ tier: 'frontend' });
    }
    expect(new Set(pods.map((p) => p.name)).size).toBe(3);
    expect(loadOk(rs(1)).pods.map((p) => p.name)).toEqual(pods.map((p) => p.name));
    expect(loadOk(rs(2)).pods.map((p) => p.name)).not.toEqual(pods.map((p) => p.name));
    expect(loadOk(rs(1)).workloads).toMatchObject([
      { kind: 'ReplicaSet', name: 'frontend', pods: pods.map((p) => p.name) },
    ]);
  });

  it('[MAN1] refuses an empty ReplicaSet selector in the API server words (which say "deployment")', () => {
    const text =
      CLUSTER +
      y`
        ---
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: rs}
        spec:
          selector: {matchLabels: {}}
          template: {spec: {containers: [{name: a, image: nginx}]}}
      `;
    expect(errorsOf(text)).toEqual([
      '11:14 spec.selector: Invalid value: "null": empty selector is invalid for deployment',
    ]);
  });

  it('[MAN2] a StatefulSet makes web-0, web-1, web-2 with hostname, subdomain and its labels', () => {
    const s = loadOk(STATEFUL);
    const pods = s.pods.filter((p) => p.namespace === 'default');
    expect(pods.map((p) => [p.name, p.hostname, p.subdomain])).toEqual([
      ['web-0', 'web-0', 'nginx'],
      ['web-1', 'web-1', 'nginx'],
      ['web-2', 'web-2', 'nginx'],
    ]);
    expect(pods[1].labels).toEqual({
      app: 'nginx',
      'statefulset.kubernetes.io/pod-name': 'web-1',
      'apps.kubernetes.io/pod-index': '1',
    });
    // Placed as any pod without nodeName: round-robin in the order written.
    expect(pods.map((p) => p.nodeName)).toEqual(['node-1', 'node-2', 'node-3']);
    expect(s.workloads).toMatchObject([{ kind: 'StatefulSet', name: 'web', serviceName: 'nginx' }]);
  });

  it('[MAN2] CoreDNS answers web-0.nginx.default.svc.cluster.local with web-0 own IP', () => {
    const text =
      STATEFUL +
      y`
        ---
        apiVersion: kubewire/v1
        kind: Scenario
        metadata: {name: sts}
        spec:
          actions:
            - dig: {from: web-1, name: web-0.nginx.default.svc.cluster.local}
      `;
    const r = createSimulation(text);
    if (!r.ok) throw new Error(r.errors.map(show).join('\n'));
    const ipOf = (pod: string) =>
      /host-local: (\S+) → default\/(\S+)/.exec(
        r.sim.steps.find((s) => s.summary.endsWith(`→ default/${pod}`))!.summary,
      )![1];
    const answer = r.sim.steps.find((s) =>
      s.summary.startsWith('A web-0.nginx.default.svc.cluster.local. →'),
    );
    expect(answer?.summary).toBe(
      `A web-0.nginx.default.svc.cluster.local. → NOERROR ${ipOf('web-0')}`,
    );
    expect(ipOf('web-0')).not.toBe(ipOf('web-1'));
  });

  it('[MAN2] a StatefulSet name must be a DNS label (it becomes the pods hostname)', () => {
    const text = STATEFUL.replace('metadata: {name: web}', 'metadata: {name: web.v2}');
    expect(errorsOf(text)[0]).toMatch(
      /^11:18 statefulset name 'web.v2' must consist of lower case letters, digits or '-'/,
    );
  });

  it('[MAN3] a DaemonSet makes one pod per node, nodeName set, in node order', () => {
    const text =
      CLUSTER +
      y`
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: node-agent, namespace: kube-system}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              tolerations: [{operator: Exists}]
              containers: [{name: agent, image: busybox:1.36}]
      `;
    const pods = loadOk(text).pods;
    expect(pods.map((p) => p.nodeName)).toEqual(['node-1', 'node-2']);
    for (const p of pods) {
      expect(p.name).toMatch(new RegExp(`^node-agent-${SUFFIX}$`));
      expect(p.namespace).toBe('kube-system');
      expect(p.labels).toEqual({ app: 'agent', 'pod-template-generation': '1' });
    }
  });
});

describe('MAN4-MAN5: List and kubectl get -o yaml', () => {
  const fixture = readFileSync(
    new URL('./testdata/kubectl-get-deploy-svc.yaml', import.meta.url),
    'utf8',
  );

  it('[MAN5] loads kubectl get deploy,svc -o yaml as printed: a List with status and managedFields', () => {
    const r = loadScenario(fixture);
    if (!r.ok) throw new Error(r.errors.map(show).join('\n'));
    expect(r.warnings.map(show)).toEqual([
      NO_CLUSTER,
      '157:11 the API server makes the kubernetes Service itself (443 → 6443 at the first address of the service CIDR); this copy is ignored',
    ]);
    const s = r.scenario;
    expect(s.deployments.filter((d) => d.namespace === 'default')).toMatchObject([
      { name: 'web', replicas: 2 },
    ]);
    // The ClusterIP kubectl printed is the one asked for again.
    expect(s.services.map((v) => `${v.metadata.name} ${v.spec.clusterIP}`)).toEqual([
      'kubernetes 10.96.0.1',
      'kube-dns 10.96.0.10',
      'web 10.104.58.211',
    ]);
    const web = s.pods.filter((p) => p.namespace === 'default');
    expect(web).toHaveLength(2);
    expect(web[0].containers).toEqual([
      { name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }] },
    ]);
  });

  it('[MAN9] lists what kubectl printed and Kubewire does not model as ignored, at its key', () => {
    const r = loadScenario(fixture);
    if (!r.ok) throw new Error('expected the fixture to load');
    const paths = r.ignored
      .filter((f) => f.line < 150)
      .map((f) => `${f.line}:${f.column} ${f.path}`);
    expect(paths).toEqual([
      '6:5 metadata.annotations',
      '10:5 metadata.creationTimestamp',
      '11:5 metadata.generation',
      '12:5 metadata.managedFields',
      '96:5 metadata.resourceVersion',
      '97:5 metadata.uid',
      '99:5 spec.progressDeadlineSeconds',
      '101:5 spec.revisionHistoryLimit',
      '105:5 spec.strategy',
      '118:11 spec.template.spec.containers[0].imagePullPolicy',
      '124:11 spec.template.spec.containers[0].terminationMessagePath',
      '125:11 spec.template.spec.containers[0].terminationMessagePolicy',
      '127:9 spec.template.spec.restartPolicy',
      '128:9 spec.template.spec.schedulerName',
      '131:3 status',
    ]);
    // Read, so not ignored: replicas, selector, the template's labels, image, ports, dnsPolicy, grace period.
    // Empty ones (creationTimestamp: null, resources: {}, securityContext: {}) lose nothing and are not listed.
    expect(r.ignored.some((f) => /resources|securityContext|replicas|dnsPolicy/.test(f.path))).toBe(
      false,
    );
  });

  it('[MAN4] reads each item of a List as its own object, errors located inside the item', () => {
    const text = y`
      apiVersion: v1
      kind: List
      items:
        - apiVersion: v1
          kind: Pod
          metadata: {name: a}
          spec: {containers: [{name: c, image: busybox}]}
        - apiVersion: v1
          kind: Pod
          metadata: {name: B}
          spec: {containers: [{name: c, image: busybox}]}
        - apiVersion: batch/v1
          kind: Job
          metadata: {name: j}
      metadata: {resourceVersion: ""}
    `;
    expect(errorsOf(text)).toEqual([
      "10:22 pod name 'B' must consist of lower case letters, digits, '-' or '.', and start and end with a letter or digit (e.g. 'example.com')",
    ]);
    expect(warningsOf(text)).toEqual([
      NO_CLUSTER,
      '13:11 Job is not simulated by Kubewire; it is ignored',
    ]);
    expect(loadOk(text.replace('name: B', 'name: b')).pods.map((p) => p.name)).toContain('b');
  });

  it('[MAN4] refuses a List whose items is not a list', () => {
    expect(errorsOf('apiVersion: v1\nkind: List\nitems: {a: 1}\n')).toEqual([
      '3:8 items must be a list of objects, not a mapping',
    ]);
  });
});

describe('MAN6-MAN12: warnings, not refusals', () => {
  it('[MAN6] a misspelt field of a Deployment is a did-you-mean warning; the default applies', () => {
    const text =
      CLUSTER +
      y`
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replcas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: nginx, image: nginx}], priorityClassNam: high}
      `;
    expect(warningsOf(text)).toEqual([
      "11:3 unknown field 'replcas' in the Deployment spec; did you mean 'replicas'? It is ignored",
      "15:55 unknown field 'priorityClassNam' in the pod template spec; did you mean 'priorityClassName'? It is ignored",
    ]);
    expect(loadOk(text).deployments).toMatchObject([{ name: 'web', replicas: 1 }]);
  });

  it('[MAN6] a field nothing resembles is still a warning in a Kubernetes object', () => {
    const text =
      CLUSTER + '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nwidgets: 3\n';
    expect(warningsOf(text)).toEqual([
      "10:1 unknown field 'widgets' in a ConfigMap document: Kubewire does not know it and ignores it",
    ]);
  });

  it('[MAN6] in Kubewire own kinds an unknown field stays an error', () => {
    expect(errorsOf(CLUSTER.replace('spec:', 'spec:\n  podCidr: 10.0.0.0/16'))).toEqual([
      "5:3 unknown field 'podCidr' in the Cluster spec; did you mean 'podCIDR'?",
    ]);
  });

  it('[MAN10] createSimulation succeeds with warnings and returns them', () => {
    const text = STATEFUL + '---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\n';
    const r = createSimulation(text);
    expect(r.ok).toBe(true);
    expect(r.warnings?.map(show)).toEqual([
      NO_CLUSTER,
      '22:7 Job is not simulated by Kubewire; it is ignored',
    ]);
    expect(r.warnings?.every((w) => w.severity === 'warning')).toBe(true);
  });

  it('[MAN10] a refused file returns its warnings too', () => {
    const r = loadScenario('apiVersion: batch/v1\nkind: Job\n---\napiVersion: v1\nkind: Pod\n');
    expect(r.ok).toBe(false);
    expect(r.warnings.map(show)).toEqual([
      NO_CLUSTER,
      '2:7 Job is not simulated by Kubewire; it is ignored',
    ]);
  });

  it('[MAN12] keeps ConfigMaps with their keys, checked as the API server checks them', () => {
    const text =
      CLUSTER +
      y`
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: nginx-conf, namespace: default}
        data: {nginx.conf: "events {}", port: "80"}
      `;
    expect(loadOk(text).configMaps).toEqual([
      {
        namespace: 'default',
        name: 'nginx-conf',
        keys: ['nginx.conf', 'port'],
        pos: { line: 9, column: 18 },
      },
    ]);
    expect(errorsOf(text.replace('port: "80"', 'a b: "80"'))[0]).toMatch(
      /^10:33 data\[a b\]: Invalid value: "a b": a valid config key must consist of alphanumeric characters/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { CLUSTER, errorsOf, loadOk, pod, warningsOf, y } from './testing.ts';

// CLUSTER is lines 1-5; the first document after it starts with `---` on line 6.

describe('Pods: reading', () => {
  it('fills in namespace, protocol, labels, hostname and subdomain', () => {
    const s = loadOk(
      CLUSTER +
        y`
          ---
          apiVersion: v1
          kind: Pod
          metadata:
            name: web-0
            labels: {app: web, tier: ""}
          spec:
            hostname: web-0
            subdomain: web
            containers:
              - name: app
                image: nginx:1.27
                ports:
                  - containerPort: 80
                    name: http
                  - {containerPort: 53, protocol: UDP}
              - name: sidecar
                image: busybox
        `,
    );
    expect(s.pods).toEqual([
      {
        namespace: 'default',
        name: 'web-0',
        nodeName: 'node-1',
        labels: { app: 'web', tier: '' },
        hostname: 'web-0',
        subdomain: 'web',
        containers: [
          {
            name: 'app',
            image: 'nginx:1.27',
            ports: [
              { containerPort: 80, protocol: 'TCP', name: 'http' },
              { containerPort: 53, protocol: 'UDP' },
            ],
          },
          { name: 'sidecar', image: 'busybox', ports: [] },
        ],
        pos: { line: 10, column: 9 },
      },
    ]);
  });

  it('schedules pods without nodeName round-robin in the order written', () => {
    const s = loadOk(
      CLUSTER +
        pod('a') +
        pod('b', 'default', '  nodeName: node-1') +
        pod('c') +
        pod('d', 'team') +
        pod('e', 'default', '  nodeName: node-2') +
        pod('f'),
    );
    expect(s.pods.map((p) => `${p.name}@${p.nodeName}`)).toEqual([
      'a@node-1',
      'b@node-1',
      'c@node-2',
      'd@node-1',
      'e@node-2',
      'f@node-2',
    ]);
  });

  it('lists builtin, declared and implicit namespaces, sorted', () => {
    const ns = (name: string) =>
      `---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`;
    const s = loadOk(
      CLUSTER + ns('zeta') + pod('web', 'alpha') + ns('default') + pod('db', 'kube-system'),
    );
    expect(s.namespaces).toEqual(['alpha', 'default', 'kube-system', 'zeta']);
  });

  it('allows the same pod name in different namespaces', () => {
    const s = loadOk(CLUSTER + pod('web', 'a') + pod('web', 'b'));
    expect(s.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual(['a/web', 'b/web']);
  });

  it('accepts and ignores Kubernetes fields Kubewire does not model', () => {
    const s = loadOk(
      CLUSTER +
        y`
          ---
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
            annotations: {note: hi}
            uid: 1234
          spec:
            restartPolicy: Always
            terminationGracePeriodSeconds: 5
            volumes: [{name: data, emptyDir: {}}]
            securityContext: {runAsNonRoot: true}
            dnsPolicy: ClusterFirst
            initContainers: [{name: init, image: busybox}]
            containers:
              - name: app
                image: nginx
                command: [nginx]
                args: ["-g", "daemon off;"]
                env: [{name: A, value: "1"}]
                resources: {limits: {cpu: 100m}}
                volumeMounts: [{name: data, mountPath: /data}]
                readinessProbe: {httpGet: {path: /, port: 80}}
                ports: [{containerPort: 80, hostPort: 8080}]
          status: {phase: Running}
        `,
    );
    expect(s.pods[0].containers).toEqual([
      {
        name: 'app',
        image: 'nginx',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        args: ['-g', 'daemon off;'], // kept: http-echo's -text is an arg
      },
    ]);
  });
});

describe('Pods: errors', () => {
  it('[MAN6] warns about misspelled keys at every level, once each; a missing required field is still an error', () => {
    const text =
      CLUSTER +
      y`
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web, lables: {app: web}}
        spec:
          nodename: node-1
          contianers:
            - name: app
              imgae: nginx
              ports: [{containerPort: 80, protocl: TCP}]
        spce: {}
      `;
    expect(warningsOf(text)).toEqual([
      "9:23 unknown field 'lables' in the Pod metadata; did you mean 'labels'? It is ignored",
      "11:3 unknown field 'nodename' in the Pod spec; did you mean 'nodeName'? It is ignored",
      "12:3 unknown field 'contianers' in the Pod spec; did you mean 'containers'? It is ignored",
      "16:1 unknown field 'spce' in a Pod document; did you mean 'spec'? It is ignored",
    ]);
    // The misspelt containers leave the Pod without any: the API server's own refusal.
    expect(errorsOf(text)).toEqual(['11:3 a Pod needs at least one container (spec.containers)']);
  });

  it('[MAN6] warns about unknown fields inside containers and ports, and loads', () => {
    const text =
      CLUSTER +
      y`
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - name: app
              imgae: nginx
              image: nginx
              ports: [{containerPort: 80, protocl: TCP}]
      `;
    expect(warningsOf(text)).toEqual([
      "13:7 unknown field 'imgae' in a container; did you mean 'image'? It is ignored",
      "15:35 unknown field 'protocl' in a container port; did you mean 'protocol'? It is ignored",
    ]);
    // protocol was never given: TCP, the default.
    expect(loadOk(text).pods[0].containers[0].ports).toEqual([
      { containerPort: 80, protocol: 'TCP' },
    ]);
  });

  it('reports duplicate pods within a namespace at the second name', () => {
    expect(errorsOf(CLUSTER + pod('web') + pod('web', 'other') + pod('web'))).toEqual([
      '21:18 pod web is defined twice in namespace default (first at line 9)',
    ]);
  });

  it('reports duplicate namespaces and containers', () => {
    const ns = '---\napiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n';
    const twoApps = pod('web').replace(
      '[{name: app, image: nginx}]',
      '[{name: app, image: nginx}, {name: app, image: x}]',
    );
    expect(errorsOf(CLUSTER + ns + ns + twoApps)).toEqual([
      '13:18 namespace team is defined twice (first at line 9)',
      '19:50 container name app is used twice in this Pod (first: containers[0])',
    ]);
  });

  it('reports a nodeName that is not a node, with a suggestion', () => {
    expect(errorsOf(CLUSTER + pod('web', 'default', '  nodeName: node-3'))).toEqual([
      "11:13 nodeName node-3 is not a node of this cluster (nodes: node-1, node-2); did you mean 'node-1'?",
    ]);
    expect(errorsOf(CLUSTER + pod('web', 'default', '  nodeName: worker'))).toEqual([
      '11:13 nodeName worker is not a node of this cluster (nodes: node-1, node-2)',
    ]);
  });

  it('reports missing name, spec, containers and images', () => {
    const noName =
      '---\napiVersion: v1\nkind: Pod\nmetadata: {namespace: x}\nspec: {containers: [{name: a, image: b}]}\n';
    const noSpec = '---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\n';
    const empty = '---\napiVersion: v1\nkind: Pod\nmetadata: {name: c}\nspec: {containers: []}\n';
    const noImage =
      '---\napiVersion: v1\nkind: Pod\nmetadata: {name: d}\nspec: {containers: [{name: a}, {image: x}]}\n';
    expect(errorsOf(CLUSTER + noName + noSpec + empty + noImage)).toEqual([
      '9:11 a Pod needs a metadata.name',
      '12:1 a Pod needs a spec with its containers',
      '19:20 a Pod needs at least one container',
      '24:21 container a needs an image, like nginx:1.27',
      '24:32 container 1 needs a name',
    ]);
  });

  it('reports bad ports: range, type, protocol, name, missing containerPort', () => {
    const text = pod('web').replace(
      '[{name: app, image: nginx}]',
      '[{name: app, image: nginx, ports: [{containerPort: 0}, {containerPort: "80"}, {containerPort: 53, protocol: udp}, {containerPort: 8080, name: Web_Port}, {name: http}]}]',
    );
    expect(errorsOf(CLUSTER + text)).toEqual([
      '11:66 containerPort must be between 1 and 65535, not 0',
      '11:86 spec.containers[0].ports[1].containerPort must be a whole number, not a string ("80")',
      "11:123 protocol 'udp' is not one of TCP, UDP, SCTP; did you mean 'UDP'?",
      "11:157 port name 'Web_Port' must consist of lower case letters, digits or '-', and start and end with a letter or digit",
      '11:168 a port needs a containerPort (1..65535)',
    ]);
  });

  it('reports bad names, labels, hostname and subdomain at the value', () => {
    const text =
      CLUSTER +
      y`
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: Web
          namespace: team_a
          labels: {app: 1, "-bad": x, ok: "white space"}
        spec:
          hostname: web.0
          subdomain: Web
          containers: [{name: App, image: nginx}]
      `;
    expect(errorsOf(text)).toEqual([
      "10:9 pod name 'Web' must consist of lower case letters, digits, '-' or '.', and start and end with a letter or digit (e.g. 'example.com')",
      "11:14 namespace name 'team_a' must consist of lower case letters, digits or '-', and start and end with a letter or digit (e.g. 'my-name')",
      '12:17 metadata.labels.app must be a string, not a number (1); put it in quotes: "1"',
      "12:20 label key '-bad' must consist of letters, digits, '-', '_' or '.', and start and end with a letter or digit",
      "12:35 label value 'white space' must be empty or consist of letters, digits, '-', '_' or '.', and start and end with a letter or digit",
      "14:13 hostname 'web.0' must consist of lower case letters, digits or '-', and start and end with a letter or digit (e.g. 'my-name')",
      "15:14 subdomain 'Web' must consist of lower case letters, digits or '-', and start and end with a letter or digit (e.g. 'my-name')",
      "16:23 container name 'App' must consist of lower case letters, digits or '-', and start and end with a letter or digit (e.g. 'my-name')",
    ]);
  });

  it('reports Namespace and Pod apiVersion mistakes', () => {
    const ns = '---\napiVersion: v2\nkind: Namespace\nmetadata: {}\n';
    expect(
      errorsOf(CLUSTER + ns + pod('web').replace('apiVersion: v1', 'apiVersion: apps/v1')),
    ).toEqual([
      '7:13 a Namespace has apiVersion v1, not v2',
      '9:11 a Namespace needs a metadata.name',
      '11:13 a Pod has apiVersion v1, not apps/v1',
    ]);
  });
});

describe('Pods: follow-on errors', () => {
  it('keeps a pod with an invalid name for actions, so one mistake is one error', () => {
    const text =
      CLUSTER +
      pod('Web') +
      '---\napiVersion: kubewire/v1\nkind: Scenario\nspec: {actions: [{delete: {pod: Web}}]}\n';
    expect(errorsOf(text)).toEqual([
      "9:18 pod name 'Web' must consist of lower case letters, digits, '-' or '.', and start and end with a letter or digit (e.g. 'example.com')",
    ]);
  });

  it('reports an alias to an anchor in another document', () => {
    const first = pod('a').replace(
      'metadata: {name: a, namespace: default}',
      'metadata: {name: a, labels: &l {x: y}}',
    );
    const second = pod('b').replace(
      'metadata: {name: b, namespace: default}',
      'metadata: {name: b, labels: *l}',
    );
    expect(errorsOf(CLUSTER + first + second)).toEqual([
      '15:29 *l refers to no anchor &l in this document (anchors do not reach across ---)',
    ]);
  });
});

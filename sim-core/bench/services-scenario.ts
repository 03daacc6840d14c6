/**
 * A generated cluster with Services for the bench: `nodes` flannel-vxlan
 * nodes, `deployments` Deployments of `replicas` nginx pods each (label
 * app: d<i>, container port 8080 named http, scheduled round-robin), and
 * `services` ClusterIP Services svc-<j> on port 80 → http, Service j
 * selecting Deployment j mod `deployments` (with 2,000 Services over 500
 * Deployments, 4 Services a Deployment, 5 endpoints each). One client pod on
 * node-1 opens a connection to each Service in `targets` by name (kube-proxy
 * in the given mode: iptables or IPVS rr). With `dns`, the cluster runs
 * CoreDNS (spec.dns, an upstream resolver host) and plays the given actions.
 */
export interface ServicesScenarioSize {
  readonly nodes: number;
  readonly deployments: number;
  readonly replicas: number;
  readonly services: number;
  readonly mode: 'iptables' | 'ipvs';
  /** The Services the client connects to, in this order (indexes into svc-0…). */
  readonly targets: readonly number[];
  /** CoreDNS (spec.dns) with an upstream host, and these actions after the connections. */
  readonly dns?: { readonly actions: readonly string[] };
}

export const serviceName = (j: number) => `svc-${j}`;

export function servicesScenario(size: ServicesScenarioSize): string {
  const { nodes, deployments, replicas, services, mode, targets, dns } = size;
  const nodeLines = Array.from(
    { length: nodes },
    (_, i) =>
      `    - {name: node-${i + 1}, ip: 10.0.${Math.floor((i + 10) / 250)}.${((i + 10) % 250) + 1}}`,
  );
  const docs: string[] = [
    `apiVersion: kubewire/v1
kind: Cluster
metadata: {name: bench-services}
spec:
  nodeNetwork: 10.0.0.0/16
  podCIDR: 10.244.0.0/16
  cni: {plugin: flannel, mode: vxlan}
  kubeProxy: {mode: ${mode}${mode === 'ipvs' ? ', scheduler: rr' : ''}}
  seed: 42
${dns ? '  hosts:\n    - {name: resolver, ip: 10.0.0.253, dns: {example.com: 93.184.215.14}}\n  dns: {upstream: resolver}\n' : ''}  nodes:
${nodeLines.join('\n')}`,
    `apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  nodeName: node-1
  containers: [{name: curl, image: curlimages/curl:8.11.1}]`,
  ];
  for (let d = 0; d < deployments; d++)
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: d${d}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: d${d}}}
  template:
    metadata: {labels: {app: d${d}}}
    spec:
      containers:
        - {name: nginx, image: nginx:1.27, ports: [{containerPort: 8080, name: http}]}`);
  for (let j = 0; j < services; j++)
    docs.push(`apiVersion: v1
kind: Service
metadata: {name: ${serviceName(j)}}
spec:
  selector: {app: d${j % deployments}}
  ports: [{name: http, port: 80, targetPort: http}]`);
  const actions = [
    ...targets.map(
      (j) =>
        `    - connect: {from: client, to: ${serviceName(j)}, port: 80, data: "GET / HTTP/1.0\\r\\n\\r\\n", close: true}`,
    ),
    ...(dns?.actions ?? []).map((a) => `    - ${a}`),
  ];
  docs.push(`apiVersion: kubewire/v1
kind: Scenario
metadata: {name: bench-services}
spec:
  title: bench
  goal: bench
  actions:
${actions.length ? actions.join('\n') : '    []'}`);
  return docs.join('\n---\n');
}

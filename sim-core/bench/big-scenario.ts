/**
 * A generated cluster for benchmarks: `nodes` flannel-vxlan nodes with
 * `podsPerNode` pods each (nginx on port 80, scheduled round-robin), and
 * `flows` actions alternating cross-node pings and TCP connections.
 */
export function bigScenario(nodes: number, podsPerNode: number, flows: number): string {
  const docs: string[] = [];
  const nodeLines = Array.from(
    { length: nodes },
    (_, i) =>
      `    - {name: node-${i + 1}, ip: 10.0.${Math.floor((i + 10) / 250)}.${((i + 10) % 250) + 1}}`,
  );
  docs.push(`apiVersion: kubewire/v1
kind: Cluster
metadata: {name: bench}
spec:
  nodeNetwork: 10.0.0.0/16
  podCIDR: 10.244.0.0/16
  cni: {plugin: flannel, mode: vxlan}
  seed: 42
  nodes:
${nodeLines.join('\n')}`);
  for (let i = 0; i < nodes * podsPerNode; i++) {
    docs.push(`apiVersion: v1
kind: Pod
metadata: {name: p${i}, labels: {app: web}}
spec:
  containers:
    - name: app
      image: nginx
      ports: [{containerPort: 80}]`);
  }
  const actions: string[] = [];
  for (let f = 0; f < flows; f++) {
    const a = (f * 7919) % (nodes * podsPerNode);
    const b = (f * 104729 + 13) % (nodes * podsPerNode);
    actions.push(
      f % 2
        ? `    - connect: {from: p${a}, to: p${b}, port: 80}`
        : `    - ping: {from: p${a}, to: p${b}}`,
    );
  }
  docs.push(`apiVersion: kubewire/v1
kind: Scenario
metadata: {name: bench}
spec:
  title: bench
  goal: bench
  actions:
${actions.join('\n')}`);
  return docs.join('\n---\n');
}

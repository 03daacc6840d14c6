import { createHash } from 'node:crypto';

/** Where a generated cluster's pod subnets come from, when the default /16 in /24s is too small. */
export interface PodNetwork {
  /** Default 10.244.0.0/16: 256 node subnets of /24. */
  readonly podCIDR?: string;
  /** Default 24: 253 pods a node. */
  readonly nodeCIDRMaskSize?: number;
}

/**
 * A generated cluster for benchmarks: `nodes` flannel-vxlan nodes with
 * `podsPerNode` pods each (nginx on port 80, scheduled round-robin), and
 * `flows` actions alternating cross-node pings and TCP connections.
 */
export function bigScenario(
  nodes: number,
  podsPerNode: number,
  flows: number,
  net: PodNetwork = {},
): string {
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
  podCIDR: ${net.podCIDR ?? '10.244.0.0/16'}
${net.nodeCIDRMaskSize ? `  nodeCIDRMaskSize: ${net.nodeCIDRMaskSize}\n` : ''}  cni: {plugin: flannel, mode: vxlan}
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

/** RFC 4648 base32, as Go's base32.StdEncoding (kube-proxy's chain-name hash). */
function base32(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return bits > 0 ? out + alphabet[(value << (5 - bits)) & 31] : out;
}

/** servicePortChainName: the prefix and 16 base32 characters of a SHA-256, as kube-proxy names chains. */
function chainName(prefix: string, key: string): string {
  return prefix + base32(createHash('sha256').update(key).digest()).slice(0, 16);
}

/** The ClusterIP of service `n`, counting from 10.96.0.10 (after kubernetes and kube-dns). */
export function serviceVip(n: number): string {
  const i = n + 10;
  return `10.96.${i >> 8}.${i & 255}`;
}

export interface KubeProxyRules {
  /** iptables-restore text for the nat table. */
  readonly text: string;
  /** Rules in KUBE-SERVICES (two per service, then the NodePort rule). */
  readonly servicesChainRules: number;
  /** Rules in the whole nat table. */
  readonly rules: number;
}

/**
 * The nat table kube-proxy's iptables mode writes for `services` ClusterIP
 * services on port 80 (the layout with a cluster CIDR: two KUBE-SERVICES
 * rules per service, the masquerade mark for traffic from outside the pod
 * network and the jump to the service's chain), each service spread over
 * `endpoints` (pod IPs, port 80) with statistic random and one KUBE-SEP
 * chain per endpoint with its DNAT.
 */
export function kubeProxyRules(services: number, endpoints: readonly string[]): KubeProxyRules {
  const chains = [
    ':PREROUTING ACCEPT [0:0]',
    ':INPUT ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
    ':KUBE-MARK-MASQ - [0:0]',
    ':KUBE-NODEPORTS - [0:0]',
    ':KUBE-POSTROUTING - [0:0]',
    ':KUBE-SERVICES - [0:0]',
  ];
  const head = [
    '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
    '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
    '-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0',
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
  ];
  const portals: string[] = [];
  const perService: string[] = [];
  for (let n = 0; n < services; n++) {
    const name = `bench/svc-${n}:http`;
    const vip = serviceVip(n);
    const svc = chainName('KUBE-SVC-', `${name}tcp`);
    chains.push(`:${svc} - [0:0]`);
    const match = `-d ${vip}/32 -p tcp -m comment --comment "${name} cluster IP" -m tcp --dport 80`;
    portals.push(
      `-A KUBE-SERVICES ! -s 10.244.0.0/16 ${match} -j KUBE-MARK-MASQ`,
      `-A KUBE-SERVICES ${match} -j ${svc}`,
    );
    const seps = endpoints.map((ip) => chainName('KUBE-SEP-', `${name}tcp${ip}:80`));
    chains.push(...seps.map((sep) => `:${sep} - [0:0]`));
    endpoints.forEach((ip, e) => {
      const left = endpoints.length - e;
      const pick =
        left > 1 ? ` -m statistic --mode random --probability ${(1 / left).toFixed(10)}` : '';
      perService.push(`-A ${svc} -m comment --comment "${name} -> ${ip}:80"${pick} -j ${seps[e]}`);
    });
    endpoints.forEach((ip, e) =>
      perService.push(
        `-A ${seps[e]} -s ${ip}/32 -m comment --comment "${name}" -j KUBE-MARK-MASQ`,
        `-A ${seps[e]} -p tcp -m comment --comment "${name}" -m tcp -j DNAT --to-destination ${ip}:80`,
      ),
    );
  }
  portals.push(
    '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
  );
  const rules = [...head, ...portals, ...perService];
  return {
    text: ['*nat', ...chains, ...rules, 'COMMIT', ''].join('\n'),
    servicesChainRules: portals.length,
    rules: rules.length,
  };
}

/** The pod IPs host-local gives the first pods on node-1 (10.244.0.0/24: .1 is cni0). */
export const ENDPOINT_IPS = ['10.244.0.2', '10.244.0.3'];

/**
 * One flannel node running kube-proxy's nat table for `services` services
 * whose endpoints are the node's pods ep0 and ep1 (nginx on 80), and a
 * client pod on the same node that opens a connection to the last service's
 * ClusterIP, sends a byte and closes (`printf x | nc -N VIP 80`).
 */
export function serviceScenario(services: number): string {
  const rules = kubeProxyRules(services, ENDPOINT_IPS)
    .text.trimEnd()
    .split('\n')
    .map((l) => `        ${l}`)
    .join('\n');
  const pod = (name: string, image: string, ports: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  containers:
    - {name: app, image: ${image}${ports}}`;
  return [
    `apiVersion: kubewire/v1
kind: Cluster
metadata: {name: services}
spec:
  nodeNetwork: 10.0.0.0/16
  podCIDR: 10.244.0.0/16
  cni: {plugin: flannel, mode: vxlan}
  seed: 42
  nodes:
    - name: node-1
      ip: 10.0.0.11
      iptables: |
${rules}`,
    pod('ep0', 'nginx', ', ports: [{containerPort: 80}]'),
    pod('ep1', 'nginx', ', ports: [{containerPort: 80}]'),
    pod('client', 'nc', ''),
    `apiVersion: kubewire/v1
kind: Scenario
metadata: {name: services}
spec:
  title: services
  goal: services
  actions:
    - connect: {from: client, to: ${serviceVip(services - 1)}, port: 80, data: "x", close: true}`,
  ].join('\n---\n');
}

/**
 * Rules evaluated per packet against the number of Services, computed by the model itself:
 * for a cluster of N ClusterIP Services (two endpoints each) kube-proxy's rules for one node
 * are generated (buildNodeRuleset in iptables mode; syncIpvsProxier in IPVS mode), loaded as
 * iptables-restore loads them (parseIptablesRestore), and a new connection's first packet —
 * a pod's SYN to a Service's ClusterIP, arriving on cni0 — walks nat PREROUTING (traverse).
 * In iptables mode it tests KUBE-SERVICES rule by rule until its Service's rule matches
 * (on average half the chain), then the KUBE-SVC- and KUBE-SEP- chains; in IPVS mode
 * KUBE-SERVICES holds a few `-m set` rules whatever N is, each one hash lookup in an
 * ipset, and IPVS finds the virtual service by one hash lookup (ip_vs_service_find).
 */
import {
  buildNodeRuleset,
  createRng,
  getChain,
  ipsetTest,
  parseIptablesRestore,
  syncIpvsProxier,
  traverse,
  type EndpointSlice,
  type IpsetState,
  type NetfilterState,
  type NfEnv,
  type NfPacket,
  type ProxyNode,
  type Service,
} from '@kubewire/sim-core';
import { walkTable } from '../iptablesWalk.ts';

export type ProxyMode = 'iptables' | 'ipvs';

/** The sizes the chart is drawn at. */
export const SIZES: readonly number[] = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

export interface ScalingPoint {
  readonly services: number;
  readonly mode: ProxyMode;
  /** iptables rules tested, averaged over the connections sampled. */
  readonly rules: number;
  /** Hash lookups: ipset tests by `-m set` rules, and IPVS's own service lookup. */
  readonly lookups: number;
}

export const NODE: ProxyNode = { name: 'node-1', ip: '192.168.1.11', clusterCIDR: '10.244.0.0/16' };
const CLIENT = '10.244.0.2';

/** The address `i` after `base` (a u32). */
const ip = (base: number, i: number) => {
  const n = (base + i) >>> 0;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
};

const u32 = (a: number, b: number, c: number, d: number) =>
  ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

/** N ClusterIP Services on 80/TCP → 8080, two ready endpoints each, and their slices. */
export function growingCluster(n: number): {
  services: Service[];
  endpointSlices: EndpointSlice[];
} {
  const services: Service[] = [];
  const endpointSlices: EndpointSlice[] = [];
  for (let i = 0; i < n; i++) {
    const name = `svc-${String(i).padStart(5, '0')}`;
    services.push({
      metadata: { namespace: 'default', name },
      spec: {
        type: 'ClusterIP',
        selector: { app: name },
        ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }],
        clusterIP: ip(u32(10, 96, 0, 10), i),
        sessionAffinity: 'None',
        externalTrafficPolicy: 'Cluster',
        internalTrafficPolicy: 'Cluster',
      },
    });
    endpointSlices.push({
      metadata: {
        namespace: 'default',
        name: `${name}-abcde`,
        labels: {
          'kubernetes.io/service-name': name,
          'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
        },
      },
      addressType: 'IPv4',
      endpoints: [0, 1].map((k) => ({
        addresses: [ip(u32(10, 244, 0, 10), 2 * i + k)],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: k ? 'node-2' : 'node-1',
      })),
      ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    });
  }
  return { services, endpointSlices };
}

const syn = (dst: string, port: number, sport: number): NfPacket => ({
  src: CLIENT,
  dst,
  protocol: 6,
  sport,
  dport: port,
  tcpFlags: 0x02,
  length: 60,
  ttl: 64,
  inIface: 'cni0',
  bridged: true,
  mark: 0,
  ctState: 'NEW',
  ctStatus: [],
});

/** The ClusterIP ports to connect to: up to `max` spread evenly over the Services. */
function targets(services: readonly Service[], max: number): { ip: string; port: number }[] {
  const all = services.flatMap((s) =>
    s.spec.clusterIP && s.spec.clusterIP !== 'None'
      ? s.spec.ports
          .filter((p) => p.protocol === 'TCP')
          .map((p) => ({ ip: s.spec.clusterIP!, port: p.port }))
      : [],
  );
  if (all.length <= max) return all;
  return Array.from({ length: max }, (_, k) => all[Math.floor(((k + 0.5) * all.length) / max)]);
}

function loaded(text: string): NetfilterState {
  const r = parseIptablesRestore(text);
  if (!r.ok) throw new Error(`iptables-restore: ${r.errors[0]?.message ?? 'failed'}`);
  return r.ruleset;
}

function walkAll(
  state: NetfilterState,
  tos: readonly { ip: string; port: number }[],
  ipsets: IpsetState | undefined,
  seed: number,
): { rules: number; setTests: number } {
  const rng = createRng(seed);
  let setTests = 0;
  const env: NfEnv = {
    nowUs: 1_000_000,
    addrType: (a) => (a === NODE.ip || a.startsWith('127.') ? 'LOCAL' : 'UNICAST'),
    random: () => rng.u32() / 2 ** 32,
    ipsetContains: (set, key, dirs) => {
      setTests++;
      return ipsetTest(ipsets, set, key, dirs);
    },
  };
  const nat = state.tables.nat;
  let rules = 0;
  tos.forEach((t, i) => {
    const r = traverse(state, 'nat', 'PREROUTING', syn(t.ip, t.port, 40000 + i), env);
    rules += walkTable('PREROUTING', r.hits, (c) => (nat ? getChain(nat, c) : undefined)).tested;
  });
  return { rules, setTests };
}

/** Rules a first packet tests in nat PREROUTING for these objects, in one proxy mode. */
export function rulesPerPacket(
  services: readonly Service[],
  endpointSlices: readonly EndpointSlice[],
  mode: ProxyMode,
  samples = 9,
): ScalingPoint {
  const tos = targets(services, samples);
  const n = services.length;
  if (!tos.length) return { services: n, mode, rules: 0, lookups: 0 };
  if (mode === 'iptables') {
    const text = buildNodeRuleset({ services, endpointSlices, node: NODE }).text;
    const { rules, setTests } = walkAll(loaded(text), tos, undefined, 1);
    return { services: n, mode, rules: rules / tos.length, lookups: setTests / tos.length };
  }
  const sync = syncIpvsProxier(services, endpointSlices, NODE);
  const state = loaded(sync.iptablesFile);
  const ipsets: IpsetState = Object.fromEntries(
    sync.ipsets.map((s) => [s.name, { name: s.name, type: s.type, members: s.entries }]),
  );
  const { rules, setTests } = walkAll(state, tos, ipsets, 1);
  // IPVS's ip_vs_in looks the virtual service up once, in a hash table.
  return { services: n, mode, rules: rules / tos.length, lookups: setTests / tos.length + 1 };
}

/**
 * `bench.ts services`: the Services half of the bench at the size the
 * Services issue asks for, 50 nodes, 2,500 pods (500 Deployments × 5) and
 * 2,000 ClusterIP Services × 5 endpoints, in iptables and in IPVS mode:
 * load+validate (the API server allocates), the whole simulation and the
 * heap its trace keeps, the EndpointSlice controller and kube-proxy's sync
 * for one node (rule generation and iptables-restore's parse) timed on
 * their own over the objects the simulation ended with, and iptables-save
 * of one node. Then the cost of a connection to the first, the middle and
 * the last Service of KUBE-SERVICES for 100, 500 and 2,000 Services: rules
 * walked (the nat table's hits) grow with the Services in iptables mode and
 * stay flat in IPVS mode, as on a real node (a linear chain against a hash
 * lookup in ip_vs_conn / ip_vs_service).
 */
import { createRng } from '../engine/rng.ts';
import { createSimulation } from '../simulation.ts';
import { loadScenario } from '../scenario/load.ts';
import type { Simulation } from '../api.ts';
import type { EndpointSlice, ProxyNode, Service } from '../k8s/api-types.ts';
import { reconcileEndpointSlices, type PodView } from '../k8s/controllers/index.ts';
import { buildNodeRuleset } from '../k8s/kube-proxy/iptables/index.ts';
import { syncIpvsProxier } from '../k8s/kube-proxy/ipvs/index.ts';
import { performance } from 'node:perf_hooks';
import {
  iptablesSave,
  parseIptablesRestore,
  pvecGet,
  traverse,
  type NfEnv,
  type NfPacket,
} from '../dataplane/netfilter/index.ts';
import { isLocalAddress } from '../dataplane/addresses.ts';
import { ipsetTest } from '../dataplane/ipvs/ipset-test.ts';
import { serviceName, servicesScenario, type ServicesScenarioSize } from './services-scenario.ts';
import { bytes, heapUsed, HAS_GC, median, mib, ms, num, table, time, us } from './measure.ts';

type Mode = ServicesScenarioSize['mode'];
const MODES: readonly Mode[] = ['iptables', 'ipvs'];

/** The issue's cluster: 50 nodes, 500 Deployments × 5 pods, 2,000 Services (4 a Deployment). */
export const SERVICES_CLUSTER = { nodes: 50, deployments: 500, replicas: 5, services: 2_000 };

function simulated(text: string): Simulation {
  const r = createSimulation(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors.slice(0, 3)));
  return r.sim;
}

/** The Services in KUBE-SERVICES order: kube-proxy's service map sorted by ServicePortName. */
function chainOrder(services: number): number[] {
  const names = Array.from({ length: services }, (_, j) => j);
  const key = (j: number) => `default/${serviceName(j)}:http`;
  return names.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The first, the middle and the last Service of KUBE-SERVICES. */
function targetsOf(services: number): { label: string; svc: number }[] {
  const order = chainOrder(services);
  return [
    { label: 'first', svc: order[0] },
    { label: 'middle', svc: order[Math.floor(services / 2)] },
    { label: 'last', svc: order[services - 1] },
  ];
}

const TERMINAL = new Set(['ACCEPT', 'DROP', 'REJECT', 'DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT']);

/**
 * Rules one nf.nat fact's packet was tested against, from its hits (the
 * rules that matched, in order) and the chains' lengths: a chain the walk
 * left by a RETURN, or ended in (a terminal target, or a jump on the path to
 * one), tested the rules up to that one; a chain it fell off the end of
 * tested every rule (a miss in KUBE-SERVICES leaves no hit but costs the
 * whole chain).
 */
function rulesTested(
  hits: readonly { chain: string; rule: number; target?: string }[],
  hook: string,
  length: (chain: string) => number | undefined,
): number {
  let walked = 0;
  const stack: { chain: string; last: number }[] = [{ chain: hook, last: 0 }];
  for (const h of hits) {
    while (stack.length > 1 && stack[stack.length - 1].chain !== h.chain)
      walked += length(stack.pop()!.chain) ?? 0; // fell off its end
    const top = stack[stack.length - 1];
    top.last = h.rule;
    if (h.target === 'RETURN') {
      walked += h.rule;
      stack.pop();
    } else if (h.target !== undefined && length(h.target) !== undefined)
      stack.push({ chain: h.target, last: 0 });
  }
  const ended = hits.length > 0 && TERMINAL.has(hits[hits.length - 1].target ?? '');
  for (const e of stack) walked += ended ? e.last : (length(e.chain) ?? 0);
  return walked;
}

/**
 * nat rules tested for one action's packets (a connection's first packet
 * at each nat hook it crosses, on every node), on the client's node and in
 * all. IPVS takes its packet outside netfilter: only its few set-matching
 * rules count.
 */
function natRulesWalked(sim: Simulation, action: number, clientNode: string) {
  let here = 0;
  let all = 0;
  for (const s of sim.steps) {
    if (s.action !== action || s.facts.type !== 'nf.nat') continue;
    const f = s.facts as { hook: string; hits: readonly { chain: string; rule: number }[] };
    const nat = sim.stateAt(s.index).netns[s.place.netns]?.netfilter?.tables.nat;
    const length = (chain: string) => {
      const i = nat?.chainIndex.get(chain);
      return i === undefined ? undefined : pvecGet(nat!.chains, i).rules.length;
    };
    const n = rulesTested(f.hits, f.hook, length);
    all += n;
    if (s.place.node === clientNode) here += n;
  }
  return { here, all };
}

/**
 * The connection's SYN through the client node's nat PREROUTING on its
 * own (the walk a real node's kernel does once per connection), on the
 * state the simulation ended with: microseconds a packet.
 */
function natWalkUs(sim: Simulation, node: string, clientIp: string, vip: string): number {
  const ns = sim.stateAt(sim.steps.length - 1).netns[node];
  const state = ns.netfilter!;
  let seed = 42;
  const env: NfEnv = {
    nowUs: 1_000_000,
    addrType: (ip) => (isLocalAddress(ns, ip) ? 'LOCAL' : 'UNICAST'),
    random: () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32,
    ipsetContains: (set, key, dirs) => ipsetTest(ns.ipsets, set, key, dirs),
  };
  const syn = (sport: number): NfPacket => ({
    src: clientIp,
    dst: vip,
    protocol: 6,
    sport,
    dport: 80,
    tcpFlags: 0x02,
    length: 60,
    ttl: 64,
    inIface: 'cni0',
    bridged: true,
    mark: 0,
    ctState: 'NEW',
    ctStatus: [],
  });
  const packets = 1_000;
  for (let i = 0; i < packets; i++) traverse(state, 'nat', 'PREROUTING', syn(30_000 + i), env);
  const batches: number[] = [];
  for (let b = 0; b < 7; b++) {
    const t = performance.now();
    for (let i = 0; i < packets; i++) traverse(state, 'nat', 'PREROUTING', syn(40_000 + i), env);
    batches.push(((performance.now() - t) * 1000) / packets);
  }
  return median(batches);
}

/** The EndpointSlice controller's informer view of the simulated pods. */
function podViews(sim: Simulation): PodView[] {
  const specs = new Map(sim.scenario.pods.map((p) => [`${p.namespace}/${p.name}`, p]));
  return sim.stateAt(sim.steps.length - 1).pods.map((p) => {
    const spec = specs.get(`${p.namespace}/${p.name}`);
    return {
      namespace: p.namespace,
      name: p.name,
      labels: spec?.labels ?? {},
      ...(p.ip ? { ip: p.ip } : {}),
      nodeName: p.node,
      ready: p.phase === 'Running' && p.containers.every((c) => c.state === 'running'),
      terminating: false,
      phase: p.phase,
      containerPorts: (spec?.containers ?? []).flatMap((c) =>
        c.ports.map((port) => ({
          containerPort: port.containerPort,
          protocol: port.protocol,
          ...(port.name ? { name: port.name } : {}),
        })),
      ),
    };
  });
}

interface ClusterRun {
  readonly mode: Mode;
  readonly yamlBytes: number;
  readonly loadMs: number;
  readonly simMs: number;
  readonly steps: number;
  readonly heap: number;
  readonly endpointSlices: number;
  readonly eps: { ms: number; slices: number };
  /** One node's rule generation: buildNodeRuleset, or syncIpvsProxier. */
  readonly generate: { ms: number; natRules: number; filterRules: number; virtualServers: number };
  readonly parseMs: number;
  readonly restoreBytes: number;
  readonly save: { ms: number; bytes: number; lines: number };
}

function measureCluster(mode: Mode, runs: number, c: typeof SERVICES_CLUSTER): ClusterRun {
  const text = servicesScenario({ ...c, mode, targets: [] });
  const load = time(runs, () => loadScenario(text));
  if (!load.value.ok) throw new Error(JSON.stringify(load.value.errors.slice(0, 3)));
  const before = heapUsed();
  const sim = time(runs, () => simulated(text));
  const heap = heapUsed() - before;
  const s = sim.value;
  const end = s.stateAt(s.steps.length - 1);
  const { services, endpointSlices } = end.api;

  // The EndpointSlice controller's first pass: every Service, no slices yet.
  const pods = podViews(s);
  const rng = createRng(42).fork('controllers');
  const eps = time(runs, () => {
    let slices = 0;
    for (const svc of services) {
      const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
      slices += reconcileEndpointSlices({
        service: svc,
        pods,
        existing: [],
        rng: rng.fork(`endpointslice/${key}`),
      }).changes.length;
    }
    return slices;
  });

  const n = s.scenario.cluster.nodes[0];
  const node: ProxyNode = { name: n.name, ip: n.ip, clusterCIDR: s.scenario.cluster.podCIDR };
  const gen = generate(mode, services, endpointSlices, node, runs);
  const parse = time(runs, () => parseIptablesRestore(gen.value.text));
  if (!parse.value.ok) throw new Error(JSON.stringify(parse.value.errors.slice(0, 3)));

  const nf = end.netns[n.name]?.netfilter;
  if (!nf) throw new Error(`${n.name} has no netfilter state`);
  const save = time(5, () => iptablesSave(nf));
  return {
    mode,
    yamlBytes: text.length,
    loadMs: load.ms,
    simMs: sim.ms,
    steps: s.steps.length,
    heap,
    endpointSlices: endpointSlices.length,
    eps: { ms: eps.ms, slices: eps.value },
    generate: { ms: gen.ms, ...gen.value.counts },
    parseMs: parse.ms,
    restoreBytes: gen.value.text.length,
    save: {
      ms: save.ms,
      bytes: new TextEncoder().encode(save.value).length,
      lines: save.value.split('\n').length - 1,
    },
  };
}

function generate(
  mode: Mode,
  services: readonly Service[],
  endpointSlices: readonly EndpointSlice[],
  node: ProxyNode,
  runs: number,
) {
  if (mode === 'iptables') {
    const t = time(runs, () => buildNodeRuleset({ services, endpointSlices, node }));
    const sync = t.value.sync;
    return {
      ms: t.ms,
      value: {
        text: t.value.text,
        counts: {
          natRules: sync.natRules.length,
          filterRules: sync.filterRules.length,
          virtualServers: 0,
        },
      },
    };
  }
  const t = time(runs, () => syncIpvsProxier(services, endpointSlices, node, { scheduler: 'rr' }));
  const lines = t.value.iptablesFile.split('\n');
  const rulesIn = (name: string) => {
    const start = lines.indexOf(`*${name}`);
    const stop = lines.indexOf('COMMIT', start);
    return lines.slice(start, stop).filter((l) => l.startsWith('-A ')).length;
  };
  return {
    ms: t.ms,
    value: {
      text: t.value.iptablesFile,
      counts: {
        natRules: rulesIn('nat'),
        filterRules: rulesIn('filter'),
        virtualServers: t.value.table.virtualServers.length,
      },
    },
  };
}

// ---------------------------------------------------------------------------
// The cost of a connection as the Services grow.

/** The per-connection runs' cluster: 10 nodes, 100 Deployments × 5 (50 pods a node). */
const PACKET_CLUSTER = { nodes: 10, deployments: 100, replicas: 5 };
/** Connections to one Service in a run: enough to stand out of the setup's noise. */
const CONNECTIONS = 40;

interface ConnectionRun {
  readonly mode: Mode;
  readonly services: number;
  readonly natRules: number;
  readonly rows: readonly {
    readonly label: string;
    readonly svc: number;
    readonly walked: { readonly here: number; readonly all: number };
    readonly walkUs: number;
    readonly stepsPerConnection: number;
    readonly perStepUs: number;
  }[];
}

function measureConnections(mode: Mode, services: number, runs: number): ConnectionRun {
  const size = (targets: number[]) =>
    servicesScenario({ ...PACKET_CLUSTER, services, mode, targets });
  const base = time(runs, () => simulated(size([])));
  const end = base.value.stateAt(base.value.steps.length - 1);
  let natRules = 0;
  const nat = end.netns['node-1']?.netfilter?.tables.nat;
  if (nat) for (const i of nat.chainIndex.values()) natRules += pvecGet(nat.chains, i).rules.length;
  const client = end.pods.find((p) => p.name === 'client')!;
  const rows = targetsOf(services).map(({ label, svc }) => {
    const run = time(runs, () => simulated(size(Array<number>(CONNECTIONS).fill(svc))));
    const steps = run.value.steps.length - base.value.steps.length;
    const vip = end.api.services.find((x) => x.metadata.name === serviceName(svc))!.spec.clusterIP!;
    return {
      label,
      svc,
      walked: natRulesWalked(run.value, 0, client.node),
      walkUs: natWalkUs(base.value, client.node, client.ip!, vip),
      stepsPerConnection: steps / CONNECTIONS,
      perStepUs: ((run.ms - base.ms) * 1000) / steps,
    };
  });
  return { mode, services, natRules, rows };
}

// ---------------------------------------------------------------------------

export function benchServices(
  opts: { runs?: number; sizes?: readonly number[]; cluster?: typeof SERVICES_CLUSTER } = {},
): void {
  const runs = opts.runs ?? 3;
  const sizes = opts.sizes ?? [100, 500, 2_000];
  // Compile the hot paths first.
  simulated(servicesScenario({ ...PACKET_CLUSTER, services: 40, mode: 'iptables', targets: [0] }));
  simulated(servicesScenario({ ...PACKET_CLUSTER, services: 40, mode: 'ipvs', targets: [0] }));

  const c = opts.cluster ?? SERVICES_CLUSTER;
  const clusters = MODES.map((m) => measureCluster(m, runs, c));
  console.log(
    [
      '',
      `Services: ${c.nodes} nodes, ${num(c.deployments * c.replicas)} pods (${c.deployments} Deployments × ${c.replicas}), ${num(c.services)} ClusterIP Services × ${c.replicas} endpoints (${num(clusters[0].yamlBytes / 1024)} KiB YAML)`,
      table(
        [
          'kube-proxy mode',
          'load+validate',
          'simulate',
          'steps',
          'heap for the trace',
          'EndpointSlice controller',
          'rules for one node',
          'iptables-restore parse',
          'iptables-save of a node',
        ],
        clusters.map((r) => [
          r.mode,
          ms(r.loadMs),
          ms(r.simMs),
          num(r.steps),
          mib(r.heap),
          `${ms(r.eps.ms)} (${num(r.eps.slices)} slices)`,
          `${ms(r.generate.ms)} (${r.mode === 'ipvs' ? `${num(r.generate.virtualServers)} virtual servers, ` : ''}${num(r.generate.natRules)} nat + ${num(r.generate.filterRules)} filter rules)`,
          `${ms(r.parseMs)} (${bytes(r.restoreBytes)})`,
          `${ms(r.save.ms)} (${bytes(r.save.bytes)}, ${num(r.save.lines)} lines)`,
        ]),
      ),
      `  simulate is createSimulation: load+validate, ${num(c.deployments * c.replicas)} pods started, the controllers and every node’s kube-proxy sync;`,
      '  the controller, the rules and the parse are timed again on their own over the objects the simulation ended with;',
      '  nodes whose rules cannot differ share one generated and parsed ruleset (rulesDependOnNode); IPVS syncs every node' +
        (HAS_GC ? '' : '\n  (run with --expose-gc for steadier heap figures)'),
    ].join('\n'),
  );

  const conns: ConnectionRun[] = [];
  for (const mode of MODES) for (const s of sizes) conns.push(measureConnections(mode, s, runs));
  console.log(
    [
      '',
      `one connection (curl to the Service by name, ${PACKET_CLUSTER.nodes} nodes, ${num(PACKET_CLUSTER.deployments * PACKET_CLUSTER.replicas)} pods, ${CONNECTIONS} in a run)`,
      table(
        [
          'mode, Services (nat rules on a node)',
          'to the Service',
          'nat rules tested: client’s node / all nodes',
          'its SYN through nat PREROUTING',
          'steps',
          'simulate per step',
        ],
        conns.flatMap((r) =>
          r.rows.map((row, i) => [
            i === 0 ? `${r.mode}, ${num(r.services)} (${num(r.natRules)})` : '',
            `${row.label} (${serviceName(row.svc)})`,
            `${num(row.walked.here)} / ${num(row.walked.all)}`,
            us(row.walkUs),
            num(row.stepsPerConnection, 1),
            us(row.perStepUs),
          ]),
        ),
      ),
      '  rules tested: from each nf.nat fact’s hits and the chains’ lengths (a chain walked to its end without a match counts whole);',
      '  all nodes adds the endpoint’s node: the VXLAN packet walks all of its KUBE-SERVICES to the NodePort jump, the decapsulated SYN misses all of it;',
      '  its SYN: traverse() of the connection’s first packet through the client node’s nat table alone, median of 7 batches of 1 000;',
      `  simulate per step: (createSimulation with ${CONNECTIONS} connections − without) / the extra steps, median of ${runs}`,
    ].join('\n'),
  );
}

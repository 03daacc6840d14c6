/**
 * The kubewire CLI: the same sim-core functions the app uses, for docs,
 * scripts and tests. `npm run --silent kubewire -- <command> <scenario.yaml> …`
 */
import { narrate } from './narration/index.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Simulation } from './api.ts';
import type { Netns, Snapshot, Step } from './model.ts';
import { createSimulation } from './simulation.ts';
import { formatDiagnostics } from './scenario/format.ts';
import { fdbLines, neighborLines, routeLines, sysctlLines } from './format/tables.ts';
import { ssLines } from './format/ss.ts';
import { clusterObjects } from './format/cluster-objects.ts';
import { describeEndpointSlices } from './format/kubectl-describe.ts';
import { kubectlGet, resolveResource, unknownResource } from './format/kubectl-get.ts';
import { ipsetText, ipvsadmText } from './format/ipvs-listing.ts';
import { restoreTable } from './format/restore-tables.ts';
import { buildNodeRuleset } from './k8s/kube-proxy/iptables/index.ts';
import { syncIpvsProxier, type IpvsSync } from './k8s/kube-proxy/ipvs/index.ts';
import { LABEL_SERVICE_NAME } from './k8s/controllers/index.ts';
import {
  EMPTY_NETFILTER,
  iptablesList,
  iptablesSave,
  TABLE_NAMES,
  type TableName,
} from './dataplane/netfilter/index.ts';
import { CT_EMPTY, ctList, ctListSummary } from './dataplane/netfilter/conntrack.ts';

const USAGE = `usage: kubewire <command> <scenario.yaml> [options]

commands:
  validate                       check the file; prints "ok" or every error as file:line:col
  trace [--json] [--pcap FILE] [-v]   the steps, one line each (-v adds the explanation)
        [--pcapng FILE]          every capture point in one pcapng (one interface per device)
        [--capture DEV --pcap FILE]  one device's capture, like tcpdump -i DEV -w FILE
                                 (DEV: node-1/cni0, node-1/default/pod-a/eth0; --capture list names them)
  ipam --node NAME               host-local's files: IP, container ID, interface
  arp --node NAME                ip neigh of the node and of each of its pods
  route --node NAME              ip route of the node and of each of its pods
  fdb --node NAME                bridge fdb show of the node
  sysctl --node NAME             sysctl -a for the net.* keys we model, node and pods
  iptables-save --node NAME      the node's tables as iptables-save prints them
        [-t TABLE] [--as-written]  one table; --as-written: what kube-proxy fed iptables-restore
  iptables --node NAME [-t TABLE] [-x]   iptables -t TABLE -L -v -n, with counters (default table: filter)
  conntrack --node NAME          conntrack -L at that step (timeouts counted down to the step's time)
  ss --node NAME                 ss -tan of the node and of each of its pods
  ipvsadm --node NAME [--stats] [-c]   ipvsadm -Ln (--stats: counters, -c: connections)
  ipset --node NAME              ipset list of the node
  get RESOURCE [-o wide]         kubectl get: pods (po), services (svc), endpointslices,
        [-n NAMESPACE | -A]      deployments (deploy), replicasets (rs); kubectl's columns
  endpointslices [--service NS/NAME]   kubectl describe endpointslices (of one Service)
options:
  --at STEP                      show tables as they were after step STEP (default: the end)
  -n NAMESPACE, -A               get's namespace (default: default), or every namespace`;

interface Args {
  command: string;
  file: string;
  /** Positional arguments after the scenario file (get's RESOURCE). */
  rest: string[];
  flags: Map<string, string | true>;
}

/** Flags without a value; every other `--flag` and these short ones take one. */
const SWITCHES = new Set([
  '--json',
  '-v',
  '--help',
  '-h',
  '-x',
  '-A',
  '--all-namespaces',
  '--as-written',
  '--stats',
  '-c',
]);
const SHORT_WITH_VALUE = new Set(['-t', '-o', '-n']);

const isScenarioFile = (a: string) => /\.(ya?ml|json)$/i.test(a);

function parseArgs(argv: string[]): Args {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) flags.set(a.slice(0, eq), a.slice(eq + 1));
    else if (SWITCHES.has(a)) flags.set(a, true);
    else if (a.startsWith('--') || SHORT_WITH_VALUE.has(a)) flags.set(a, argv[++i] ?? '');
    else positional.push(a);
  }
  const [command = '', ...args] = positional;
  // `get pods scenario.yaml` (kubectl's order) and `get scenario.yaml pods` both work.
  const at = args.findIndex(isScenarioFile);
  const fileAt = at >= 0 ? at : 0;
  const file = args[fileAt] ?? '';
  return { command, file, rest: args.filter((_, i) => i !== fileAt), flags };
}

function fail(message: string): never {
  process.stderr.write(message + '\n');
  process.exit(2);
}

/** The step index --at names (default: the last step). */
function stepIndex(sim: Simulation, flags: Args['flags']): number {
  const at = flags.get('--at');
  if (at === undefined) return sim.steps.length - 1;
  const n = Number(at);
  if (!Number.isInteger(n) || n < -1 || n >= sim.steps.length)
    fail(`kubewire: --at must be a step from -1 to ${sim.steps.length - 1}`);
  return n;
}

function load(file: string): Simulation {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    fail(`kubewire: cannot read ${file}: ${(e as Error).message}`);
  }
  const result = createSimulation(text);
  if (!result.ok) {
    process.stdout.write(formatDiagnostics(result.errors, file) + '\n');
    process.exit(1);
  }
  return result.sim;
}

function time(us: number): string {
  return (us / 1e6).toFixed(6);
}

function placeText(s: Step): string {
  const ns = s.place.netns;
  return s.place.iface ? `${ns} ${s.place.iface}` : ns;
}

export function traceLines(sim: Simulation, verbose: boolean): string[] {
  const width = Math.max(...sim.steps.map((s) => placeText(s).length), 10);
  return sim.steps.flatMap((s) => {
    const line = `${String(s.index).padStart(4)}  ${time(s.timeUs)}  ${placeText(s).padEnd(width)}  ${s.kind.padEnd(11)}  ${s.summary}`;
    return verbose ? [line, `      ${narrate(s.facts).explanation}`] : [line];
  });
}

function snapshotAt(sim: Simulation, flags: Args['flags']): Snapshot {
  return sim.stateAt(stepIndex(sim, flags));
}

function nodeNetns(snap: Snapshot, node: string): Netns[] {
  if (!snap.nodes.some((n) => n.name === node))
    fail(`kubewire: no node "${node}" (nodes: ${snap.nodes.map((n) => n.name).join(', ')})`);
  const all = Object.values(snap.netns).filter((ns) => ns.node === node);
  return [
    ...all.filter((ns) => ns.kind === 'host'),
    ...all.filter((ns) => ns.kind === 'pod').sort((a, b) => a.id.localeCompare(b.id)),
  ];
}

function hostNetns(snap: Snapshot, node: string): Netns {
  return nodeNetns(snap, node).find((ns) => ns.kind === 'host')!;
}

function perNetns(snap: Snapshot, node: string, lines: (ns: Netns) => string[]): string {
  return nodeNetns(snap, node)
    .map((ns) =>
      [`# ${ns.kind === 'host' ? `node ${ns.node}` : `pod ${ns.pod}`}`, ...lines(ns)].join('\n'),
    )
    .join('\n\n');
}

function ipamText(snap: Snapshot, node: string): string {
  const n = snap.nodes.find((x) => x.name === node) ?? fail(`kubewire: no node "${node}"`);
  const rows = n.ipam.filter((f) => /\/\d+\.\d+\.\d+\.\d+$/.test(f.path));
  const last = n.ipam.find((f) => f.path.endsWith('/last_reserved_ip.0'));
  const out = [
    `# ${node} ${n.podCIDR} (/var/lib/cni/networks/cbr0)`,
    `${'IP'.padEnd(16)}${'CONTAINER ID'.padEnd(66)}INTERFACE`,
  ];
  for (const f of rows) {
    const [id, ifname] = f.content.split('\r\n');
    out.push(`${f.path.split('/').pop()!.padEnd(16)}${id.padEnd(66)}${ifname}`);
  }
  out.push(`last_reserved_ip.0: ${last?.content ?? '(none)'}`);
  return out.join('\n');
}

export function main(argv: string[]): void {
  const args = parseArgs(argv);
  if (args.flags.has('--help') || args.flags.has('-h') || !args.command) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  if (!args.file) fail(`kubewire: ${args.command} needs a scenario file\n\n${USAGE}`);
  const sim = load(args.file);
  const node = () => {
    const n = args.flags.get('--node');
    return typeof n === 'string' && n ? n : fail(`kubewire: ${args.command} needs --node NAME`);
  };
  const out = (s: string): void => void process.stdout.write(s + '\n');
  switch (args.command) {
    case 'validate':
      return out('ok');
    case 'trace': {
      const pcap = args.flags.get('--pcap');
      const capture = args.flags.get('--capture');
      const points = sim.capturePoints();
      if (capture === 'list') return out(points.join('\n'));
      if (typeof capture === 'string' && !points.includes(capture))
        fail(`kubewire: no capture point "${capture}" (the trace has: ${points.join(', ')})`);
      if (typeof pcap === 'string')
        writeFileSync(
          pcap,
          typeof capture === 'string' ? sim.exportCapture(capture) : sim.exportPcap(),
        );
      const pcapng = args.flags.get('--pcapng');
      if (typeof pcapng === 'string') writeFileSync(pcapng, sim.exportPcapng());
      if (args.flags.has('--json')) return out(JSON.stringify(sim.steps.map(stepJson), null, 2));
      return out(traceLines(sim, args.flags.has('-v')).join('\n'));
    }
    case 'ipam':
      return out(ipamText(snapshotAt(sim, args.flags), node()));
    case 'arp':
      return out(perNetns(snapshotAt(sim, args.flags), node(), neighborLines));
    case 'route':
      return out(perNetns(snapshotAt(sim, args.flags), node(), routeLines));
    case 'sysctl':
      return out(perNetns(snapshotAt(sim, args.flags), node(), sysctlLines));
    case 'iptables-save':
    case 'iptables': {
      const snap = snapshotAt(sim, args.flags);
      const ns = hostNetns(snap, node());
      const state = ns.netfilter ?? EMPTY_NETFILTER;
      const t = args.flags.get('-t');
      const table = typeof t === 'string' ? t : args.command === 'iptables' ? 'filter' : undefined;
      if (table !== undefined && !(TABLE_NAMES as readonly string[]).includes(table))
        fail(`iptables v1.8.9 (nf_tables): table '${table}' does not exist`);
      if (args.command === 'iptables-save') {
        if (args.flags.has('--as-written'))
          return asWritten(sim, stepIndex(sim, args.flags), node(), table);
        const tables = table ? [table as TableName] : undefined;
        return out(iptablesSave(state, tables ? { tables } : {}).trimEnd());
      }
      const opts = { verbose: true, numeric: true, exact: args.flags.has('-x') };
      return out(iptablesList(state, table as TableName, opts).trimEnd());
    }
    case 'conntrack': {
      const snap = snapshotAt(sim, args.flags);
      const lines = ctList(hostNetns(snap, node()).conntrack ?? CT_EMPTY, snap.timeUs);
      if (lines.length) out(lines.join('\n'));
      process.stderr.write(ctListSummary(lines.length) + '\n');
      return;
    }
    case 'ss':
      return out(perNetns(snapshotAt(sim, args.flags), node(), ssLines));
    case 'ipvsadm':
    case 'ipset': {
      const snap = snapshotAt(sim, args.flags);
      const n = node();
      const ns = hostNetns(snap, n);
      const sync = ns.ipvs || ns.ipsets ? undefined : ipvsSync(sim, snap, n);
      if (args.command === 'ipset') {
        const save = iptablesSave(ns.netfilter ?? EMPTY_NETFILTER);
        const text = ipsetText(ns, sync, sim.scenario.cluster.seed, save);
        return void process.stdout.write(text);
      }
      const view = args.flags.has('-c')
        ? 'connections'
        : args.flags.has('--stats')
          ? 'stats'
          : 'list';
      return void process.stdout.write(ipvsadmText(ns, sync, view, snap.timeUs));
    }
    case 'get':
      return get(sim, args);
    case 'endpointslices':
      return endpointSlices(sim, args);
    case 'fdb':
      return out(perNetns(snapshotAt(sim, args.flags), node(), fdbLines).split('\n\n')[0]);
    default:
      fail(`kubewire: unknown command "${args.command}"\n\n${USAGE}`);
  }
}

/**
 * What kube-proxy wrote at its last sync on the node up to the step: the
 * restore input it fed iptables-restore, recomputed from the API objects the
 * sync saw (the sync is a pure function of them).
 */
function asWritten(sim: Simulation, index: number, node: string, table?: string): void {
  const last = sim.steps.findLast(
    (s) => s.index <= index && s.facts.type === 'kube-proxy.sync' && s.place.node === node,
  );
  if (!last) {
    process.stderr.write(`kubewire: kube-proxy has not synced ${node} by step ${index}\n`);
    return;
  }
  const { cluster } = sim.scenario;
  const n = cluster.nodes.find((x) => x.name === node)!;
  const api = sim.stateAt(last.index).api;
  // IPVS mode feeds iptables-restore --noflush only the few set-matching rules.
  const ipvs = ipvsSync(sim, sim.stateAt(last.index), node);
  const text = ipvs
    ? ipvs.iptablesRestore
    : buildNodeRuleset({
        services: api.services,
        endpointSlices: api.endpointSlices,
        node: { name: n.name, ip: n.ip, clusterCIDR: cluster.podCIDR },
      }).sync.restoreText;
  process.stdout.write(table ? restoreTable(text, table) : text);
}

/** kube-proxy's IPVS sync for the node, when the cluster runs kube-proxy in IPVS mode. */
function ipvsSync(sim: Simulation, snap: Snapshot, node: string): IpvsSync | undefined {
  const { cluster } = sim.scenario;
  if (cluster.kubeProxy.mode !== 'ipvs') return undefined;
  const n = cluster.nodes.find((x) => x.name === node)!;
  const proxyNode = { name: n.name, ip: n.ip, clusterCIDR: cluster.podCIDR };
  const opts = cluster.kubeProxy.scheduler ? { scheduler: cluster.kubeProxy.scheduler } : {};
  return syncIpvsProxier(snap.api.services, snap.api.endpointSlices, proxyNode, opts);
}

/** -n NAMESPACE (default "default") or -A: the namespace get lists, undefined for all. */
function namespaceOf(args: Args): string | undefined {
  if (args.flags.has('-A') || args.flags.has('--all-namespaces')) return undefined;
  const n = args.flags.get('-n') ?? args.flags.get('--namespace');
  if (n === undefined) return 'default';
  if (typeof n !== 'string' || !n) fail('error: flag needs an argument: -n');
  return n;
}

/** kubewire get RESOURCE: kubectl get's table. */
function get(sim: Simulation, args: Args): void {
  const [what] = args.rest;
  if (!what)
    fail(
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.',
    );
  const resource = resolveResource(what) ?? fail(unknownResource(what));
  const o = args.flags.get('-o') ?? args.flags.get('--output');
  if (o !== undefined && o !== 'wide')
    fail(
      `kubewire: get -o ${o === true ? '' : o}: only the table and -o wide are printed (kubectl's yaml and json would show fields Kubewire does not model)`,
    );
  const wide = o === 'wide';
  if (wide && (resource === 'deployments' || resource === 'replicasets'))
    fail(
      `kubewire: get ${resource} -o wide needs spec.selector, which the loaded scenario does not keep`,
    );
  const r = kubectlGet(clusterObjects(sim, stepIndex(sim, args.flags)), resource, {
    wide,
    namespace: namespaceOf(args),
  });
  process.stdout.write(r.out);
  process.stderr.write(r.err);
}

/** kubewire endpointslices [--service NS/NAME]: kubectl describe endpointslices. */
function endpointSlices(sim: Simulation, args: Args): void {
  const snap = snapshotAt(sim, args.flags);
  let slices = snap.api.endpointSlices;
  const svc = args.flags.get('--service');
  if (svc !== undefined) {
    const parts = typeof svc === 'string' ? svc.split('/') : [];
    const [ns, name] = parts.length === 1 ? ['default', parts[0]] : parts;
    if (parts.length < 1 || parts.length > 2 || !ns || !name)
      fail(`kubewire: --service must be NAMESPACE/NAME or NAME, not "${svc === true ? '' : svc}"`);
    const known = snap.api.services.map((s) => `${s.metadata.namespace}/${s.metadata.name}`);
    if (!known.includes(`${ns}/${name}`))
      fail(`kubewire: no Service "${ns}/${name}" (Services: ${known.join(', ')})`);
    slices = slices.filter(
      (s) => s.metadata.namespace === ns && s.metadata.labels?.[LABEL_SERVICE_NAME] === name,
    );
  }
  const sorted = [...slices].sort((a, b) =>
    `${a.metadata.namespace}/${a.metadata.name}` < `${b.metadata.namespace}/${b.metadata.name}`
      ? -1
      : 1,
  );
  if (!sorted.length) {
    process.stderr.write('No resources found\n');
    return;
  }
  process.stdout.write(describeEndpointSlices(sorted));
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function stepJson(s: Step) {
  const { frame, layers: _layers, ...rest } = s;
  return { ...rest, ...(frame ? { frame: hex(frame) } : {}) };
}

main(process.argv.slice(2));

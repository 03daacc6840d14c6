/**
 * The kubewire CLI: the same sim-core functions the app uses, for docs,
 * scripts and tests. `npm run --silent kubewire -- <command> <scenario.yaml> …`
 */
import { SCENARIO_LIMITS } from './scenario/limits.ts';
import { narrate } from './narration/index.ts';
import { closeSync, fstatSync, openSync, readSync, writeFileSync } from 'node:fs';
import type { Simulation } from './api.ts';
import type { Netns, Snapshot, Step } from './model.ts';
import { checkScenario, createSimulation } from './simulation.ts';
import { formatDiagnostics } from './scenario/format.ts';
import type { Diagnostic, IgnoredField } from './scenario/types.ts';
import { fdbLines, neighborLines, routeLines, sysctlLines } from './format/tables.ts';
import { bpfEndpointLines, bpfIpcacheLines, bpfLbLines } from './format/cilium-maps.ts';
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

import { createIngressModel } from './k8s/ingress/model.ts';
import { routeRequest } from './k8s/ingress/match.ts';
import { renderNginxServers } from './k8s/ingress/nginx-conf.ts';
import { routeText } from './format/ingress-route.ts';
import { digAtStep, digPod } from './programs/dig-offline.ts';
import { DIG_TYPES } from './scenario/dns-actions.ts';
import { formatResolvConf, podResolvConf } from './k8s/resolv-conf.ts';
import { birdProtocolsText, birdRouteText, birdView } from './format/bird.ts';
import { calicoIpamText } from './format/calico-ipam.ts';
import { CALICO_DEFAULT_POOL } from './scenario/cluster-calico.ts';

const USAGE = `usage: kubewire <command> <scenario.yaml> [options]

commands:
  validate                       check the file; prints "ok" or every error as file:line:col
        [--ignored]              also list the fields kept but not modelled (status, resources, …)
  trace [--json] [--pcap FILE] [-v]   the steps, one line each (-v adds the explanation)
        [--pcapng FILE]          every capture point in one pcapng (one interface per device)
        [--keylog FILE]          the HTTPS sessions' keys (SSLKEYLOGFILE), for Wireshark to decrypt
        [--capture DEV --pcap FILE]  one device's capture, like tcpdump -i DEV -w FILE
                                 (DEV: node-1/cni0, node-1/default/pod-a/eth0; --capture list names them)
  ipam --node NAME               host-local's files: IP, container ID, interface; with Calico,
                                 calicoctl ipam show --show-blocks, the node's block affinities
                                 and allocations
  bird --node NAME [protocols|route]   Calico BGP/IPIP: birdcl show protocols / show route
  arp --node NAME                ip neigh of the node and of each of its pods
  route --node NAME              ip route of the node and of each of its pods
  fdb --node NAME                bridge fdb show of the node
  bpf-endpoint --node NAME       Cilium's endpoint map, as cilium bpf endpoint list
  bpf-ipcache --node NAME        Cilium's ipcache, as cilium bpf ipcache list
  bpf-lb --node NAME             Cilium's service map (kubeProxyReplacement), as cilium bpf lb list
  sysctl --node NAME             sysctl -a for the net.* keys we model, node and pods
  iptables-save --node NAME      the node's tables as iptables-save prints them
        [-t TABLE] [--as-written]  one table; --as-written: what kube-proxy fed iptables-restore
  iptables --node NAME [-t TABLE] [-x]   iptables -t TABLE -L -v -n, with counters (default table: filter)
  conntrack --node NAME          conntrack -L at that step (timeouts counted down to the step's time)
  ss --node NAME                 ss -tan of the node and of each of its pods
  ipvsadm --node NAME [--stats] [-c]   ipvsadm -Ln (--stats: counters, -c: connections)
  ipset --node NAME              ipset list of the node
  get RESOURCE [-o wide]         kubectl get: pods (po), services (svc), endpointslices,
        [-n NAMESPACE | -A]      deployments (deploy), replicasets (rs), ingresses (ing); kubectl's columns
  endpointslices [--service NS/NAME]   kubectl describe endpointslices (of one Service)
  ingress --host H --path P      the backend ingress-nginx picks (service:port, 404 or 301) and why
  ingress --nginx-conf           the server blocks ingress-nginx writes into nginx.conf
  dig NAME [TYPE] [@SERVER] [+search] [--from POD]   dig in a pod (default: the file's first
                                 pod), answered by CoreDNS from the step's state; exit 9 when
                                 no server answers, as dig
  resolv-conf --pod POD          the pod's /etc/resolv.conf (POD: NAMESPACE/NAME or NAME)
options:
  --at STEP                      show tables as they were after step STEP (default: the end)
  -n NAMESPACE, -A               get's namespace (default: default), or every namespace
scenario.yaml: a path, or - for standard input (at most 16 MiB)
exit status: 0 ok, 1 invalid scenario, 2 usage error (or a file that cannot be read or
  written), 70 internal error (a bug: please report it)`;

interface Args {
  command: string;
  file: string;
  /** Positional arguments after the scenario file (get's RESOURCE). */
  rest: string[];
  flags: Map<string, string | true>;
}

/** Flags without a value; every other `--flag` and these short ones take one. */
const SWITCHES = new Set([
  '--ignored',
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
  '--nginx-conf',
]);
const SHORT_WITH_VALUE = new Set(['-t', '-o', '-n']);

const isScenarioFile = (a: string) => /\.(ya?ml|json)$/i.test(a);

/** A flag's value may not be missing or be the next flag (`--at --node n`); `-1` is a value. */
const isValue = (v: string | undefined): v is string =>
  v !== undefined && v !== '' && !(v.startsWith('-') && !/^-\d+$/.test(v));

function parseArgs(argv: string[]): Args {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) {
      const v = a.slice(eq + 1);
      if (!v) fail(`kubewire: option ${a.slice(0, eq)} needs a value`);
      flags.set(a.slice(0, eq), v);
    } else if (SWITCHES.has(a)) flags.set(a, true);
    else if (a.startsWith('--') || SHORT_WITH_VALUE.has(a)) {
      const v = argv[i + 1];
      if (!isValue(v)) fail(`kubewire: option ${a} needs a value`);
      flags.set(a, v);
      i++;
    } else positional.push(a);
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

/** A scenario file's size limit, the loader's and the app's (scenario/limits.ts). */
export const MAX_SCENARIO_BYTES = SCENARIO_LIMITS.fileBytes;

/**
 * The file's text, read at most MAX_SCENARIO_BYTES + 1 bytes far, so that a
 * device (`/dev/zero`) or a huge file is refused instead of filling memory.
 * `-` reads standard input.
 */
function readScenario(file: string): string {
  let fd: number;
  try {
    fd = file === '-' ? 0 : openSync(file, 'r');
  } catch (e) {
    fail(`kubewire: cannot read ${file}: ${errnoText(e)}`);
  }
  try {
    if (file !== '-' && fstatSync(fd).isDirectory()) fail(`kubewire: ${file} is a directory`);
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.alloc(1 << 20);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        fail(`kubewire: cannot read ${file}: ${errnoText(e)}`);
      }
      if (n === 0) break;
      chunks.push(Buffer.from(chunk.subarray(0, n)));
      total += n;
      if (total > MAX_SCENARIO_BYTES) {
        process.stdout.write(
          `${file}:1:1: the file is larger than ${MAX_SCENARIO_BYTES / 2 ** 20} MiB, the limit for a scenario\n`,
        );
        process.exit(1);
      }
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    if (file !== '-') closeSync(fd);
  }
}

/** ENOENT's "no such file or directory", without Node's syscall and path decoration. */
function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EISDIR: 'is a directory',
    ENOTDIR: 'a component of the path is not a directory',
    ENOSPC: 'no space left on device',
    EROFS: 'read-only file system',
  };
  return (err.code && known[err.code]) ?? err.message ?? String(e);
}

/** Writes a file the user asked for (--pcap, --pcapng, --keylog), or fails with one line. */
function writeOut(file: string, bytes: Uint8Array | string): void {
  try {
    writeFileSync(file, bytes);
  } catch (e) {
    fail(`kubewire: cannot write ${file}: ${errnoText(e)}`);
  }
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

/** Warnings go to stderr, compiler style, and never change the exit code (MAN11). */
function writeWarnings(warnings: readonly Diagnostic[] | undefined, file: string): void {
  if (warnings?.length) process.stderr.write(formatDiagnostics(warnings, file) + '\n');
}

/** `validate --ignored`: one line per field kept but not modelled. */
function ignoredLines(ignored: readonly IgnoredField[], file: string): string[] {
  return ignored.map((f) => `${file}:${f.line}:${f.column}: ignored: ${f.path}`);
}

function load(file: string): Simulation {
  const result = createSimulation(readScenario(file));
  writeWarnings(result.warnings, file);
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
  const lines: string[] = [];
  for (const line of traceLineStream(sim, verbose)) lines.push(line);
  return lines;
}

/** The trace's lines one at a time (a loop, not a spread: a trace may have millions of steps). */
function* traceLineStream(sim: Simulation, verbose: boolean): Generator<string> {
  let width = 10;
  for (const s of sim.steps) width = Math.max(width, placeText(s).length);
  for (const s of sim.steps) {
    yield `${String(s.index).padStart(4)}  ${time(s.timeUs)}  ${placeText(s).padEnd(width)}  ${s.kind.padEnd(11)}  ${s.summary}`;
    if (verbose) yield `      ${narrate(s.facts).explanation}`;
  }
}

/** Writes lines in blocks, so a big trace never becomes one huge string. */
function writeLines(lines: Iterable<string>): void {
  let block: string[] = [];
  for (const line of lines) {
    block.push(line);
    if (block.length === 1000) {
      process.stdout.write(block.join('\n') + '\n');
      block = [];
    }
  }
  if (block.length) process.stdout.write(block.join('\n') + '\n');
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
  if (args.command === 'validate') {
    // Every check the loader and the simulator make before the first step, without simulating.
    const result = checkScenario(readScenario(args.file));
    writeWarnings(result.warnings, args.file);
    if (result.ok) {
      const n = result.ignored.length;
      if (args.flags.has('--ignored')) writeLines(ignoredLines(result.ignored, args.file));
      else if (n)
        process.stderr.write(
          `kubewire: ${n} field${n > 1 ? 's' : ''} kept but not modelled (validate --ignored lists them)\n`,
        );
      return void process.stdout.write('ok\n');
    }
    process.stdout.write(formatDiagnostics(result.errors, args.file) + '\n');
    process.exit(1);
  }
  const sim = load(args.file);
  const node = () => {
    const n = args.flags.get('--node');
    return typeof n === 'string' && n ? n : fail(`kubewire: ${args.command} needs --node NAME`);
  };
  const out = (s: string): void => void process.stdout.write(s + '\n');
  switch (args.command) {
    case 'trace': {
      const pcap = args.flags.get('--pcap');
      const capture = args.flags.get('--capture');
      const points = sim.capturePoints();
      if (capture === 'list') return out(points.join('\n'));
      if (typeof capture === 'string' && !points.includes(capture))
        fail(`kubewire: no capture point "${capture}" (the trace has: ${points.join(', ')})`);
      if (typeof pcap === 'string')
        writeOut(pcap, typeof capture === 'string' ? sim.exportCapture(capture) : sim.exportPcap());
      const pcapng = args.flags.get('--pcapng');
      if (typeof pcapng === 'string') writeOut(pcapng, sim.exportPcapng());
      const keylog = args.flags.get('--keylog');
      if (typeof keylog === 'string') writeOut(keylog, sim.keylog());
      if (args.flags.has('--json')) return writeLines(jsonLines(sim.steps));
      return writeLines(traceLineStream(sim, args.flags.has('-v')));
    }
    case 'ipam': {
      const snap = snapshotAt(sim, args.flags);
      const { cni } = sim.scenario.cluster;
      if (cni.plugin === 'calico') {
        if (!snap.nodes.some((n) => n.name === node())) fail(`kubewire: no node "${node()}"`);
        return out(calicoIpamText(snap, cni.ipPool ?? CALICO_DEFAULT_POOL, node()));
      }
      return out(ipamText(snap, node()));
    }
    case 'bird': {
      const what = args.rest[0] ?? 'protocols';
      if (what !== 'protocols' && what !== 'route')
        fail(`kubewire: bird shows "protocols" or "route", not "${what}"`);
      const at = stepIndex(sim, args.flags);
      const snap = sim.stateAt(at);
      const view = birdView(sim.scenario.cluster, snap, node(), sim.steps.slice(0, at + 1));
      if (!view.ok) fail(`kubewire: ${view.why}`);
      return out(
        (what === 'route' ? birdRouteText(view.routes) : birdProtocolsText(view.protocols)).join(
          '\n',
        ),
      );
    }
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
    case 'ingress':
      return ingress(sim, args);
    case 'dig':
      return dig(sim, args);
    case 'resolv-conf': {
      stepIndex(sim, args.flags); // --at is checked; a pod's resolv.conf is written once, at its start
      const pod = args.flags.get('--pod');
      if (typeof pod !== 'string') fail('kubewire: resolv-conf needs --pod NAMESPACE/NAME');
      const spec = digPod(sim, pod);
      if (typeof spec === 'string') fail(`kubewire: ${spec}`);
      return void process.stdout.write(formatResolvConf(podResolvConf(spec, sim.scenario.cluster)));
    }
    case 'fdb':
      return out(perNetns(snapshotAt(sim, args.flags), node(), fdbLines).split('\n\n')[0]);
    case 'bpf-endpoint':
    case 'bpf-ipcache':
    case 'bpf-lb': {
      const name = node();
      const n = snapshotAt(sim, args.flags).nodes.find((x) => x.name === name);
      if (!n) fail(`kubewire: no node "${name}"`);
      if (!n.bpf)
        fail(`kubewire: ${name} runs no Cilium (cni plugin ${sim.scenario.cluster.cni.plugin})`);
      if (args.command === 'bpf-lb' && !n.bpf.lb)
        fail(`kubewire: ${name} has no service map: set cni.kubeProxyReplacement: true`);
      const lines = { 'bpf-endpoint': bpfEndpointLines, 'bpf-ipcache': bpfIpcacheLines };
      return out((lines[args.command as keyof typeof lines] ?? bpfLbLines)(n.bpf).join('\n'));
    }
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

/** kubewire ingress: a request routed as ingress-nginx routes it, or its nginx.conf servers. */
function ingress(sim: Simulation, args: Args): void {
  stepIndex(sim, args.flags); // --at is checked; the Ingresses do not change during a trace
  if (!sim.scenario.cluster.ingressNginx)
    fail(
      'kubewire: ingress: this scenario has no Ingress and no ingress-nginx (spec.ingressNginx)',
    );
  const model = createIngressModel(sim.scenario);
  if (args.flags.has('--nginx-conf')) return void process.stdout.write(renderNginxServers(model));
  const host = args.flags.get('--host');
  const path = args.flags.get('--path') ?? '/';
  if (typeof host !== 'string')
    fail('kubewire: ingress needs --host HOST (and --path PATH, default /)');
  if (typeof path !== 'string' || !path.startsWith('/'))
    fail(`kubewire: --path must start with /, not "${path === true ? '' : path}"`);
  process.stdout.write(routeText(routeRequest(model, { host, path })) + '\n');
}

/**
 * kubewire dig NAME [TYPE] [@SERVER] [+search] [--from POD]: dig's words
 * in any order, as dig takes them (a known type is the type, the other word
 * the name).
 */
function dig(sim: Simulation, args: Args): void {
  let name: string | undefined;
  let qtype: string | undefined;
  let server: string | undefined;
  let search = false;
  // dig says "(1 server found)" only for an @SERVER written before the name.
  let serverFirst = false;
  for (const w of args.rest) {
    if (w.startsWith('@')) {
      serverFirst = name === undefined;
      if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(w.slice(1)))
        fail(`kubewire: dig: @SERVER must be an IPv4 address, not "${w.slice(1)}"`);
      server = w.slice(1);
    } else if (w === '+search' || w === '+nosearch') search = w === '+search';
    else if (w.startsWith('+'))
      fail(`kubewire: dig: ${w} is not simulated (only +search and +nosearch)`);
    else if (qtype === undefined && DIG_TYPES.includes(w.toUpperCase())) qtype = w.toUpperCase();
    else if (name === undefined) name = w;
    else fail(`kubewire: dig: one name at a time ("${name}" and "${w}")`);
  }
  if (!name)
    fail(`kubewire: dig needs a NAME: dig NAME [TYPE] [@SERVER] [+search] [--from POD]
  TYPE: ${DIG_TYPES.join(', ')}`);
  const from = args.flags.get('--from');
  if (from === true) fail('kubewire: option --from needs a value');
  const r = digAtStep(sim, {
    name,
    qtype: qtype ?? 'A',
    ...(from !== undefined ? { from } : {}),
    ...(server ? { server, serverFirst } : {}),
    search,
    at: stepIndex(sim, args.flags),
    args: args.rest.join(' '),
  });
  if (!r.ok) fail(`kubewire: ${r.error}`);
  process.stdout.write(r.out);
  if (r.code) process.exit(r.code);
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
  const { frame, before, layers: _layers, ...rest } = s;
  return {
    ...rest,
    ...(frame ? { frame: hex(frame) } : {}),
    ...(before ? { before: hex(before) } : {}),
  };
}

/** The steps as one JSON array, a step per line: the same value as JSON.stringify(steps), streamed. */
function* jsonLines(steps: readonly Step[]): Generator<string> {
  if (!steps.length) return yield '[]';
  yield '[';
  for (const [i, s] of steps.entries())
    yield `  ${JSON.stringify(stepJson(s))}${i < steps.length - 1 ? ',' : ''}`;
  yield ']';
}

/** `kubewire … | head`: the reader went away; stop quietly, as cat does. */
function quietOnEpipe(e: NodeJS.ErrnoException): void {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
}
process.stdout.on('error', quietOnEpipe);

try {
  main(process.argv.slice(2));
} catch (e) {
  if ((e as NodeJS.ErrnoException).code === 'EPIPE') process.exit(0);
  // A bug of ours: one line, not a stack trace (KUBEWIRE_DEBUG=1 shows it).
  if (process.env.KUBEWIRE_DEBUG) throw e;
  process.stderr.write(
    `kubewire: internal error: ${e instanceof Error ? e.message : String(e)} (please report it; KUBEWIRE_DEBUG=1 shows where)\n`,
  );
  process.exit(70);
}

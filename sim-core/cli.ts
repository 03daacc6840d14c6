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
  iptables --node NAME [-t TABLE] [-x]   iptables -t TABLE -L -v -n, with counters (default table: filter)
  conntrack --node NAME          conntrack -L at that step (timeouts counted down to the step's time)
  ss --node NAME                 ss -tan of the node and of each of its pods
options:
  --at STEP                      show tables as they were after step STEP (default: the end)`;

interface Args {
  command: string;
  file: string;
  flags: Map<string, string | true>;
}

function parseArgs(argv: string[]): Args {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json' || a === '-v' || a === '--help' || a === '-h') flags.set(a, true);
    else if (a === '-x') flags.set(a, true);
    else if (a.startsWith('--') || a === '-t') flags.set(a, argv[++i] ?? '');
    else positional.push(a);
  }
  return { command: positional[0] ?? '', file: positional[1] ?? '', flags };
}

function fail(message: string): never {
  process.stderr.write(message + '\n');
  process.exit(2);
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
  const at = flags.get('--at');
  if (at === undefined) return sim.stateAt(sim.steps.length - 1);
  const n = Number(at);
  if (!Number.isInteger(n) || n < -1 || n >= sim.steps.length)
    fail(`kubewire: --at must be a step from -1 to ${sim.steps.length - 1}`);
  return sim.stateAt(n);
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
      if (args.command === 'iptables-save') return out(iptablesSave(state).trimEnd());
      const table = (args.flags.get('-t') as string | undefined) ?? 'filter';
      if (!(TABLE_NAMES as readonly string[]).includes(table))
        fail(`iptables v1.8.9 (nf_tables): table '${table}' does not exist`);
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
    case 'fdb':
      return out(perNetns(snapshotAt(sim, args.flags), node(), fdbLines).split('\n\n')[0]);
    default:
      fail(`kubewire: unknown command "${args.command}"\n\n${USAGE}`);
  }
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function stepJson(s: Step) {
  const { frame, layers: _layers, ...rest } = s;
  return { ...rest, ...(frame ? { frame: hex(frame) } : {}) };
}

main(process.argv.slice(2));

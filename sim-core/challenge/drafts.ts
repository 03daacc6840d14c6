/**
 * One decision point of the trace as a question draft: the right device and
 * row, read from the step's facts and touched rows, and the alternatives the
 * same tables held just before (the snapshot the student is looking at).
 */
import type { Snapshot, Step } from '../model.ts';
import type { Fact, FactOfType } from '../narration/facts.ts';
import { hitPath } from '../narration/netfilter.ts';
import type { QuestionKind, ReasonRow, ReasonTable } from './types.ts';
import { DROPPED, dstMac, ifaceLabel, ipv4Dst, otherIfaces, whoOf } from './places.ts';
import {
  chainRows,
  conntrackRows,
  fdbRow,
  fdbRows,
  neighRows,
  routeRows,
  ruleRow,
  udpSocketRows,
} from './rows.ts';

export interface Draft {
  readonly kind: QuestionKind;
  readonly netns: string;
  /** Same key, same question: asked once (the second SYN through cni0 asks nothing new). */
  readonly key: string;
  readonly prompt: string;
  readonly device: string;
  /** Alternatives in order of plausibility: the first ones are offered first. */
  readonly devices: readonly string[];
  readonly reason: ReasonRow;
  readonly reasons: readonly ReasonRow[];
  readonly why: string;
}

const rows = (table: ReasonTable, netns: string, list: readonly string[]): ReasonRow[] =>
  list.map((row) => ({ table, netns, row }));

type Of<T extends Fact['type']> = FactOfType<T>;

function routeDraft(step: Step, before: Snapshot, f: Of<'neigh.xmit'>): Draft | null {
  if (f.cause?.type === 'vxlan.send') return null; // the encap question covers the outer packet
  const ref = step.touched.find((t) => t.table === 'route' && t.change === 'read');
  const ns = ref && before.netnsById(ref.netns);
  if (!ref || !ns) return null;
  const who = whoOf(before, ns.id);
  const dst = ipv4Dst(step.frame) ?? f.nexthop;
  const device = ifaceLabel(before, ns.id, f.dev);
  const via = f.via ? ` to the gateway ${f.via}` : ` straight to ${f.nexthop}`;
  return {
    kind: 'route',
    netns: ns.id,
    key: `route|${ns.id}|${f.route}|${f.dev}`,
    prompt: `${who} has a packet for ${dst}. Where does it go next?`,
    device,
    devices: [...otherIfaces(before, ns.id, [f.dev])],
    reason: { table: 'route', netns: ns.id, row: f.route },
    reasons: [
      ...rows('route', ns.id, routeRows(ns)),
      // Not the next hop's own entry: it gives the MAC, not the way out.
      ...rows(
        'neighbor',
        ns.id,
        neighRows(ns).filter((r) => !r.startsWith(`${f.nexthop} `)),
      ),
    ],
    why: `${who}'s longest matching route for ${dst} is \`${f.route}\`: out ${f.dev}${via}, whose neighbour entry gives the MAC ${f.mac}.`,
  };
}

/** A bridge's forwarding decision: to one port (fdb), up to its own stack, or out a port after routing. */
function bridgeDraft(
  step: Step,
  before: Snapshot,
  bridge: string,
  mac: string,
  port: string,
  routed?: Of<'neigh.xmit'>,
): Draft | null {
  const ns = before.netnsById(step.place.netns);
  const entry = ns?.fdb.find((e) => e.bridge === bridge && e.mac === mac && e.port === port);
  if (!ns || !entry) return null;
  const row = fdbRow(entry);
  const who = whoOf(before, ns.id);
  const local = port === bridge;
  const name = bridge === 'switch' ? 'the switch' : bridge;
  const up = `${bridge} itself: up to ${who}'s own IP stack`;
  const device = local ? up : ifaceLabel(before, ns.id, port);
  const ports = ns.ifaces.filter((f) => f.master === bridge && f.name !== port).map((f) => f.name);
  const devices = [
    // A switch has no IP stack to hand a frame up to.
    ...(local || ns.kind === 'network' ? [] : [up]),
    `flooded out of every port of ${name}`,
    ...ports.map((p) => ifaceLabel(before, ns.id, p)),
    ...otherIfaces(before, ns.id, [port, bridge, ...ports]),
  ];
  const at = local
    ? `the destination MAC ${mac} is ${bridge}'s own address, so the frame goes up to ${who}'s IP stack to be routed`
    : `${mac} is behind ${port}, so the frame goes out of that port only — no flood, no TTL change`;
  const why = routed
    ? `The route \`${routed.route}\` sends the packet to ${bridge}; the neighbour entry gives ${mac}, and ${bridge}'s fdb row \`${row}\` says ${at}.`
    : `${name === 'the switch' ? 'The switch' : bridge}'s fdb row \`${row}\`: ${at}.`;
  const dst = ipv4Dst(step.frame);
  return {
    kind: 'bridge',
    netns: ns.id,
    key: `bridge|${ns.id}|${bridge}|${mac}|${port}|${routed ? 'routed' : ''}`,
    prompt: routed
      ? `${who} routes the packet for ${dst ?? routed.nexthop} into ${bridge}. Which way does ${bridge} send it?`
      : `${bridge === 'switch' ? 'The switch' : `${bridge} on ${who}`} has a frame for ${mac}. Where does it go next?`,
    device,
    devices,
    reason: { table: 'fdb', netns: ns.id, row },
    reasons: [
      ...rows('fdb', ns.id, fdbRows(ns, bridge)),
      ...rows(
        'neighbor',
        ns.id,
        neighRows(ns).filter((r) => !routed || !r.startsWith(`${routed.nexthop} `)),
      ),
    ],
    why,
  };
}

function encapDraft(step: Step, before: Snapshot, f: Of<'vxlan.encap'>): Draft | null {
  const ns = before.netnsById(step.place.netns);
  const entry = ns?.fdb.find((e) => e.bridge === f.dev && e.mac === f.mac);
  const out = step.place.iface;
  if (!ns || !entry || !out) return null;
  const row = fdbRow(entry);
  const who = whoOf(before, ns.id);
  return {
    kind: 'encap',
    netns: ns.id,
    key: `encap|${ns.id}|${f.dev}|${f.mac}`,
    prompt: `${f.dev} on ${who} has a frame for ${dstMac(step.frame) === f.mac ? f.mac : `the VTEP ${f.mac}`}. Where does it go next?`,
    device: ifaceLabel(before, ns.id, out),
    devices: otherIfaces(before, ns.id, [out, f.dev]),
    reason: { table: 'fdb', netns: ns.id, row },
    reasons: [
      ...rows('fdb', ns.id, fdbRows(ns, f.dev)),
      ...rows('neighbor', ns.id, neighRows(ns)),
      ...rows('route', ns.id, routeRows(ns)),
    ],
    why: `${f.dev}'s fdb row \`${row}\` says the VTEP ${f.mac} is at ${f.remote}: the frame is wrapped in VXLAN (VNI ${f.vni}, UDP ${f.local} → ${f.remote}:${f.dport}, 50 bytes more) and the outer packet leaves by ${out}.`,
  };
}

function decapDraft(step: Step, before: Snapshot, f: Of<'vxlan.decap'>): Draft | null {
  const ns = before.netnsById(step.place.netns);
  const socket = ns?.sockets?.find((s) => s.encap?.dev === f.dev && s.localPort === f.port);
  const from = step.from?.iface;
  if (!ns || !socket || !from) return null;
  const sockets = udpSocketRows(ns);
  const row = sockets.find((r) => r.includes(`:${f.port} `)) ?? sockets[0];
  const who = whoOf(before, ns.id);
  return {
    kind: 'decap',
    netns: ns.id,
    key: `decap|${ns.id}|${f.dev}`,
    prompt: `${who} receives a UDP datagram from ${f.from} to port ${f.port} on ${from}. Where does it go next?`,
    device: ifaceLabel(before, ns.id, f.dev),
    devices: otherIfaces(before, ns.id, [f.dev, from]),
    reason: { table: 'socket', netns: ns.id, row },
    reasons: [
      ...rows('socket', ns.id, sockets),
      ...rows('fdb', ns.id, fdbRows(ns, f.dev)),
      ...rows('route', ns.id, routeRows(ns)),
    ],
    why: `UDP port ${f.port} is ${f.dev}'s VXLAN socket (\`${row}\`): the kernel strips the outer headers (VNI ${f.vni}) and the inner frame arrives on ${f.dev} as if from a cable.`,
  };
}

const rewritten = (what: string, to: string) => `${what} rewritten to ${to}`;
const unchanged = (before: string) => `unchanged: still ${before}`;

function natDraft(step: Step, before: Snapshot, f: Of<'nf.nat'>): Draft | null {
  const ns = before.netnsById(step.place.netns);
  const last = f.hits[f.hits.length - 1];
  if (!ns || !f.nat || !f.changed || !last) return null;
  const row = ruleRow(ns, 'nat', last.chain, last.rule);
  if (!row) return null;
  // The Service's chain and the endpoint chains it jumps to: the rules that could have decided.
  const svc = f.hits[f.hits.length - 2]?.chain;
  const t = ns.netfilter?.tables.nat;
  const siblings = svc ? chainRows(ns, 'nat', [svc]) : [];
  const targets = siblings.flatMap((r) => /-j (KUBE-SEP-\S+)/.exec(r)?.[1] ?? []);
  const endpointRules = t ? chainRows(ns, 'nat', targets) : [];
  const others = endpointRules
    .flatMap((r) => /--to-destination (\S+)/.exec(r)?.[1] ?? [])
    .filter((d) => d !== f.nat!.after);
  const who = whoOf(before, ns.id);
  const random = siblings.some((r) => r.includes('-m statistic'));
  return {
    kind: 'nat',
    netns: ns.id,
    key: `nat|${ns.id}|${f.hook}|${f.nat.before}|${f.nat.after}`,
    prompt: `${who}'s nat ${f.hook} sees the first packet of a connection to ${f.nat.before}. What happens to it?`,
    device: rewritten(f.nat.what, f.nat.after),
    devices: [unchanged(f.nat.before), ...others.map((d) => rewritten(f.nat!.what, d))],
    reason: { table: 'iptables', netns: ns.id, row },
    reasons: rows('iptables', ns.id, [
      ...endpointRules.filter((r) => r.includes('-j DNAT')),
      ...siblings,
      ...endpointRules,
    ]),
    why:
      `The walk ${hitPath(f.hits)} ends in \`${row}\`: the ${f.nat.what} becomes ${f.nat.after}, and conntrack keeps the binding for the connection's later packets and replies.` +
      (random
        ? ` Which endpoint is a random pick (-m statistic --mode random): another run could choose another.`
        : ''),
  };
}

function ctNatDraft(step: Step, before: Snapshot, f: Of<'ct.nat'>): Draft | null {
  const ns = before.netnsById(step.place.netns);
  if (!ns) return null;
  const ip = (a: string) => a.split(':')[0];
  const entries = conntrackRows(ns, before.timeUs);
  const row = entries.find(
    (r) => r.includes(`=${ip(f.before)} `) && r.includes(`=${ip(f.after)} `),
  );
  if (!row) return null;
  const who = whoOf(before, ns.id);
  const other = f.what === 'source' ? 'destination' : 'source';
  return {
    kind: 'nat',
    netns: ns.id,
    key: `ct|${ns.id}|${f.reply}|${f.what}|${f.before}|${f.after}`,
    prompt: `${who} sees a ${f.reply ? 'reply' : 'later packet'} of a NATed connection (${f.what} ${f.before}). What happens to it?`,
    device: rewritten(f.what, f.after),
    devices: [unchanged(f.before), rewritten(other, f.after)],
    reason: { table: 'conntrack', netns: ns.id, row },
    reasons: [
      ...rows('conntrack', ns.id, entries),
      ...rows('iptables', ns.id, chainRows(ns, 'nat', ['PREROUTING', 'OUTPUT', 'POSTROUTING'])),
    ],
    why: `conntrack already has the connection: \`${row}\`. The ${f.what} ${f.before} becomes ${f.after} from that entry, without walking the nat table again.`,
  };
}

/** The draft for a step, or null when the step is not a decision point the student can predict. */
export function draftAt(step: Step, before: Snapshot): Draft | null {
  const f = step.facts;
  switch (f.type) {
    case 'neigh.xmit':
      return routeDraft(step, before, f);
    case 'bridge.forward':
      return bridgeDraft(step, before, f.bridge, f.mac, f.port.split(' ')[0]);
    case 'bridge.local':
      return bridgeDraft(step, before, f.bridge, f.mac, f.bridge);
    case 'bridge.dev-xmit':
      return f.sent.type === 'neigh.xmit'
        ? bridgeDraft(step, before, f.bridge, f.mac, f.port, f.sent)
        : null;
    case 'vxlan.encap':
      return encapDraft(step, before, f);
    case 'vxlan.decap':
      return decapDraft(step, before, f);
    case 'nf.nat':
      return natDraft(step, before, f);
    case 'ct.nat':
      return ctNatDraft(step, before, f);
    default:
      return null;
  }
}

export { DROPPED };

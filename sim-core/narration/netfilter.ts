/**
 * Netfilter and conntrack: the tables a packet walks at each hook, NAT set up
 * on a connection's first packet and applied from conntrack afterwards,
 * REJECT's answers, and br_netfilter's bridged DNAT.
 */
import type { Fact } from './facts.ts';
import { narrate } from './narrate.ts';
import type { FactOf, Narrators } from './types.ts';

/** One rule a packet matched on its way through a table: chain, rule number, target. */
export interface Hit {
  readonly chain: string;
  readonly rule: number;
  readonly target?: string;
}

export type NetfilterFact =
  | FactOf<'ct.new', { hook: string; tcpState?: string; src: string; dst: string; entry: string }>
  | FactOf<'ct.confirm', { src: string; dst: string; entry: string }>
  | FactOf<'ct.clash', { src: string; dst: string }>
  | FactOf<
      'ct.nat',
      { reply: boolean; what: 'source' | 'destination'; before: string; after: string }
    >
  | FactOf<
      'nf.nat',
      {
        hook: string;
        hits: readonly Hit[];
        nat?: { kind: string; what: 'source' | 'destination'; before: string; after: string };
        changed: boolean;
      }
    >
  | FactOf<
      'nf.table',
      { table: string; hook: string; hits: readonly Hit[]; verdict: string; policy?: string }
    >
  | FactOf<
      'nf.drop',
      {
        table: string;
        hook: string;
        rejectWith?: string;
        /** A VXLAN datagram, for this device and UDP port: the tunnelled packet is lost with it. */
        tunnel?: { dev: string; port: number };
      }
    >
  | FactOf<'nf.reject', { where: string; how: string; src: string; tcp: boolean; code?: number }>
  | FactOf<'brnf.dnat', { bridge: string; dst: string; mac: string; state: string }>
  | FactOf<'brnf.slow', { bridge: string; dst: string; state?: string }>
  | FactOf<'brnf.restore', { sent: Fact; bridge: string; srcMac: string; port: string }>;

/** `KUBE-SERVICES 1 → KUBE-SVC-… 3 → KUBE-SEP-… 2 DNAT`: each chain entered, the rule that sent it on, the verdict. */
export function hitPath(hits: readonly Hit[]): string {
  return hits
    .map((h, i) => {
      const jump = hits[i + 1]?.chain === h.target;
      return `${h.chain} ${h.rule}${h.target && !jump ? ` ${h.target}` : ''}`;
    })
    .join(' → ');
}

export const netfilterNarrators: Narrators<NetfilterFact> = {
  'ct.new': (f) => ({
    headline: `conntrack: a new connection ${f.src} → ${f.dst}`,
    explanation: `${f.hook}: conntrack has no entry for this packet's tuple, so it creates one — state NEW for iptables (--ctstate NEW), not yet in the table (unconfirmed) until the packet leaves: ${f.entry}.`,
  }),
  'ct.confirm': (f) => ({
    headline: `conntrack confirms ${f.src} → ${f.dst}`,
    explanation: `The connection's first packet is leaving, so conntrack confirms its entry — only now is it in the table (conntrack -L): ${f.entry}.`,
  }),
  'ct.clash': (f) => ({
    headline: `conntrack cannot confirm ${f.src} → ${f.dst}: dropped`,
    explanation:
      'conntrack could not confirm the entry (a clashing tuple won the race), so the packet is dropped.',
  }),
  'ct.nat': (f) => ({
    headline: `conntrack ${f.reply ? 'un-NATs' : 'NATs'} the ${f.what}: ${f.before} → ${f.after}`,
    explanation: f.reply
      ? `A reply of a NATed connection: conntrack's entry maps it back, so the ${f.what} ${f.before} becomes ${f.after} (the nat table is not consulted again).`
      : `A later packet of a NATed connection: conntrack applies the same binding, ${f.what} ${f.before} → ${f.after}, without walking the nat table.`,
  }),
  'nf.nat': (f) => ({
    headline: f.nat
      ? `nat ${f.hook}: ${f.nat.kind} ${f.nat.before} → ${f.nat.after}`
      : `nat ${f.hook}: no NAT for this connection`,
    explanation:
      `The connection's first packet walks the nat table's ${f.hook} chain: ${hitPath(f.hits)}.` +
      (f.changed && f.nat
        ? ` The ${f.nat.what} becomes ${f.nat.after}; conntrack remembers the binding, so later packets of this connection skip the nat table and replies are rewritten back.`
        : ''),
  }),
  'nf.table': (f) => ({
    headline: `${f.table} ${f.hook}: ${f.verdict}${f.policy ? ' (policy)' : ''}`,
    explanation: `${f.table} ${f.hook}: ${f.hits.length ? hitPath(f.hits) : `no rule matched, so the chain's policy ${f.policy} decides`}.`,
  }),
  'nf.drop': (f) =>
    f.tunnel
      ? {
          headline: `${f.table} ${f.hook} drops the VXLAN datagram (UDP ${f.tunnel.port})`,
          explanation: `${f.table} ${f.hook} drops the packet: a VXLAN datagram to UDP ${f.tunnel.port}, before ${f.tunnel.dev} could decapsulate it. The pod packet inside vanishes with it, at the outer hop: no ICMP error goes back, and the sender only sees its reply never come.`,
        }
      : {
          headline: `${f.table} ${f.hook} ${f.rejectWith ? 'rejects' : 'drops'} the packet`,
          explanation: `${f.table} ${f.hook} ${f.rejectWith ? `rejects the packet (${f.rejectWith})` : 'drops the packet'}.`,
        },
  'nf.reject': (f) => ({
    headline: `${f.where} REJECTs: the kernel answers ${f.src} itself`,
    explanation: `${f.where} REJECTs the packet (--reject-with ${f.how}), so the kernel answers ${f.src} itself: ${f.tcp ? "a TCP RST in the destination's name." : `ICMP destination unreachable, code ${f.code}.`}`,
  }),
  'brnf.dnat': (f) => ({
    headline: `br_netfilter keeps the DNATed packet bridged to ${f.dst}`,
    explanation: `After the DNAT, the route to ${f.dst} leaves through ${f.bridge} itself, so the packet stays on the bridge: br_netfilter only rewrites the destination MAC to ${f.mac} (the node's neighbour entry, ${f.state}). The source MAC stays the sender's and the TTL is not decremented.`,
  }),
  'brnf.slow': (f) => ({
    headline: `The DNATed packet stays bridged; the node resolves ${f.dst}`,
    explanation: `After the DNAT, the route to ${f.dst} leaves through ${f.bridge} itself, so the packet stays bridged (br_netfilter's bridged DNAT); the node's neighbour layer must supply the destination MAC${f.state ? ` (its entry is ${f.state}, not confirmed, so it takes the slow path)` : ''}.`,
  }),
  'brnf.restore': (f) => ({
    headline: `br_netfilter restores the sender's MAC and keeps bridging`,
    explanation: `${narrate(f.sent).explanation} The node's neighbour layer hands the frame to ${f.bridge} with ${f.bridge}'s MAC as the source (what a non-promiscuous capture on ${f.bridge} shows); br_netfilter puts the sender's MAC ${f.srcMac} back and the bridge carries on as if the frame had just arrived on ${f.port}.`,
  }),
};

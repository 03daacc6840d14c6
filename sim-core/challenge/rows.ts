/**
 * Table rows as the real commands print them, for challenge answers: `ip route`,
 * `bridge fdb show`, `ip neigh`, `iptables-save`, `conntrack -L`, `ss -uan`.
 */
import type { FdbEntry, Neighbor, Netns, Socket } from '../model.ts';
import { formatRoute } from '../dataplane/route.ts';
import { getChain, saveRule } from '../dataplane/netfilter/index.ts';
import type { TableName } from '../dataplane/netfilter/index.ts';
import { ctEntries } from '../dataplane/netfilter/conntrack-table.ts';
import { ctFormat } from '../dataplane/netfilter/conntrack-format.ts';

export const routeRows = (ns: Netns): string[] => ns.routes.map(formatRoute);

/** iproute2's print_fdb: mac, dev, dst (a VXLAN entry), self or master, permanent. */
export function fdbRow(e: FdbEntry): string {
  const flag = e.flag === 'master' ? `master ${e.bridge}` : 'self';
  return `${e.mac} dev ${e.port}${e.dst ? ` dst ${e.dst}` : ''} ${flag}${e.permanent ? ' permanent' : ''}`;
}

/** A group MAC (33:33:…, 01:00:5e:…): the bridge's multicast rows, never a unicast decision. */
const multicast = (mac: string) => (parseInt(mac.slice(0, 2), 16) & 1) === 1;

/** The unicast rows of one bridge (or VXLAN device) in the namespace. */
export const fdbRows = (ns: Netns, bridge: string): string[] =>
  ns.fdb.filter((e) => e.bridge === bridge && !multicast(e.mac)).map(fdbRow);

/** `ip neigh`: "10.244.1.0 dev flannel.1 lladdr 6e:00:0a:f4:01:00 PERMANENT". */
export const neighRow = (n: Neighbor): string =>
  `${n.ip} dev ${n.dev}${n.mac ? ` lladdr ${n.mac}` : ''} ${n.state}`;

export const neighRows = (ns: Netns): string[] => ns.neighbors.map(neighRow);

/** `ss -uan` without the queues: "UNCONN 0.0.0.0:8472 0.0.0.0:* kernel (flannel.1)". */
export const socketRow = (s: Socket): string =>
  `${s.state} ${s.localAddr}:${s.localPort} ${s.peerAddr ?? '0.0.0.0'}:${s.peerPort || '*'} ${s.owner}`;

export const udpSocketRows = (ns: Netns): string[] =>
  (ns.sockets ?? []).filter((s) => s.protocol === 'udp').map(socketRow);

/** One rule as iptables-save writes it: "-A KUBE-SEP-… -p tcp … -j DNAT --to-destination …". */
export function ruleRow(ns: Netns, table: TableName, chain: string, rule: number): string | null {
  const t = ns.netfilter?.tables[table];
  const r = t && getChain(t, chain)?.rules[rule - 1];
  return r ? `-A ${chain}${saveRule(r)}` : null;
}

/** Every rule of the chains named, in order (iptables-save lines). */
export function chainRows(ns: Netns, table: TableName, chains: readonly string[]): string[] {
  const t = ns.netfilter?.tables[table];
  if (!t) return [];
  return chains.flatMap((name) => {
    const c = getChain(t, name);
    return c ? c.rules.map((r) => `-A ${name}${saveRule(r)}`) : [];
  });
}

/** `conntrack -L` lines of the namespace at a time. */
export const conntrackRows = (ns: Netns, nowUs: number): string[] =>
  ns.conntrack ? ctEntries(ns.conntrack).map((e) => ctFormat(e, nowUs)) : [];

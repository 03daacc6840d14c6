/**
 * What a mode costs one packet, read from the trace: the devices it crosses,
 * the routing hops (TTL decrements), the bytes of outer headers on the node
 * network, the pod's MTU and TCP MSS, and the kernel tables the action's
 * steps looked up or changed. Compare mode shows these side by side.
 */
import type { Snapshot, Step } from '../model.ts';
import { innerTtl, packetId, synMss } from './packet-id.ts';

/** A kernel table on the path: where, which, and (for an iptables chain) which chain. */
export interface PathTable {
  readonly netns: string;
  /** "route", "neighbour", "bridge FDB", "VXLAN FDB", "iptables nat/KUBE-SERVICES", "conntrack", "IPVS". */
  readonly table: string;
}

export interface PathStats {
  /** The action the numbers are for. */
  readonly action: number;
  /** Devices a capture sees the action's first IP packet on (`tcpdump -i DEV`; the node network's switch aside). */
  readonly devices: number;
  /** Routing hops: the packet's TTL as sent minus as delivered. */
  readonly routed: number;
  /** Bytes the mode adds to that packet on the node network (outer headers): the largest frame minus the one sent. */
  readonly overhead: number;
  /** The sending pod's eth0 MTU, after the action. */
  readonly mtu?: number;
  /** TCP MSS: the first SYN's option in the trace, or else MTU − 40 (20 bytes of IPv4, 20 of TCP). */
  readonly mss?: number;
  readonly mssFrom?: 'syn' | 'mtu';
  /** Every kernel table the action's steps read or wrote, in first-use order. */
  readonly tables: readonly PathTable[];
}

/** Kernel lookups a step's touched rows name; sockets, IPAM files and the DNS cache are not on the path. */
function tableName(ref: Step['touched'][number], step: Step): string | undefined {
  switch (ref.table) {
    case 'route':
      return 'route';
    case 'neighbor':
      return 'neighbour';
    case 'fdb':
      // The encap step reads the tunnel device's FDB (bridge fdb show dev flannel.1), the others a bridge's.
      return step.kind === 'encap' ? 'VXLAN FDB' : 'bridge FDB';
    case 'iptables': {
      const [table, chain] = ref.key.split('/');
      return `iptables ${table}/${chain}`;
    }
    case 'conntrack':
      return 'conntrack';
    default:
      return undefined;
  }
}

/** The first action that sends a packet, for a step of setup (-1) or an action without one. */
export function statsAction(steps: readonly Step[], action: number): number {
  if (action >= 0 && steps.some((s) => s.action === action && s.frame && s.kind === 'transmit'))
    return action;
  return steps.find((s) => s.action >= 0 && s.frame && s.kind === 'transmit')?.action ?? action;
}

/** The numbers for `action` (see PathStats); `after` is the state after the action's last step. */
export function pathStats(steps: readonly Step[], action: number, after: Snapshot): PathStats {
  const mine = steps.filter((s) => s.action === action);
  const tables: PathTable[] = [];
  const seen = new Set<string>();
  for (const step of mine) {
    const names: [string, string][] = step.touched.flatMap((ref) => {
      const t = tableName(ref, step);
      return t && ref.netns !== '@network' ? [[ref.netns, t] as [string, string]] : [];
    });
    if (step.facts.type.startsWith('ipvs.')) names.push([step.place.netns, 'IPVS']);
    for (const [netns, table] of names) {
      const key = `${netns} ${table}`;
      if (seen.has(key)) continue;
      seen.add(key);
      tables.push({ netns, table });
    }
  }
  // The action's first IP packet (not ARP): the request whose journey the numbers describe.
  let first: string | undefined;
  const journey: Step[] = [];
  for (const step of mine) {
    const id = packetId(step.frame);
    if (id === undefined || id.startsWith('arp:')) continue;
    first ??= id;
    if (id === first) journey.push(step);
  }
  const devices = new Set<string>();
  // Where tcpdump -i DEV would see it: the devices, not the animation's anchors.
  for (const s of journey)
    for (const p of s.seenAt ?? [])
      if (p.netns !== '@network') devices.add(`${p.netns}/${p.iface}`);
  const sent = journey[0];
  const last = journey.findLast((s) => s.kind === 'transmit') ?? journey[journey.length - 1];
  const ttl0 = innerTtl(sent?.frame);
  const ttl1 = innerTtl(last?.frame);
  const overhead = journey.reduce(
    (m, s) => Math.max(m, (s.frame?.length ?? 0) - (sent?.frame?.length ?? 0)),
    0,
  );
  const source = sent?.from?.netns ?? sent?.place.netns;
  const mtu = source
    ? after.netnsById(source)?.ifaces.find((i) => i.name === 'eth0')?.mtu
    : undefined;
  let mss: number | undefined;
  // A pod's SYN (an outside client's says its own MTU).
  for (const s of steps)
    if (s.from?.netns.includes('/') && (mss = synMss(s.frame)) !== undefined) break;
  const mssFrom = mss !== undefined ? 'syn' : mtu !== undefined ? 'mtu' : undefined;
  if (mss === undefined && mtu !== undefined) mss = mtu - 40;
  return {
    action,
    devices: devices.size,
    routed: ttl0 !== undefined && ttl1 !== undefined ? ttl0 - ttl1 : 0,
    overhead,
    mtu,
    mss,
    mssFrom,
    tables,
  };
}

/**
 * `conntrack -L` at the step's time, each entry labelled with what the step did to it.
 * In order of trust: the step's own 'conntrack' refs (key: the entry's id); else the
 * table diffed with the step before's (an entry confirmed, its state or timeout changed,
 * one gone); else, at a netfilter or conntrack step in this netns, the entry whose
 * tuples the step's packet belongs to (a lookup).
 */
import {
  ctEntries,
  ctFormat,
  ctInvertTuple,
  ctIsExpired,
  ctLookup,
  icmpTuple,
  portTuple,
  type CtEntry,
  type CtTable,
  type CtTuple,
  type Layer,
  type Simulation,
  type TableRef,
} from '@kubewire/sim-core';
import { changeOf } from './touched.ts';

export interface CtRow {
  readonly key: string;
  readonly text: string;
  readonly change?: TableRef['change'];
  readonly ghost?: boolean;
}

const live = (table: CtTable | undefined, nowUs: number) =>
  table ? ctEntries(table).filter((e) => !ctIsExpired(e, nowUs)) : [];

export interface CtAt {
  readonly table?: CtTable;
  readonly timeUs: number;
}

export function conntrackRows(
  netns: string,
  now: CtAt,
  before: CtAt | undefined,
  refs: readonly TableRef[],
  packet: readonly CtTuple[],
): CtRow[] {
  const entries = live(now.table, now.timeUs);
  const was = before ? live(before.table, before.timeUs) : [];
  const old = new Map(was.map((e) => [e.id, e]));
  const diff = (e: CtEntry): TableRef['change'] | undefined =>
    !before ? undefined : !old.has(e.id) ? 'added' : old.get(e.id) !== e ? 'updated' : undefined;
  const hit = new Set(packet.flatMap((t) => lookup(now.table, t, now.timeUs)));
  const rows: CtRow[] = entries.map((e) => ({
    key: String(e.id),
    text: ctFormat(e, now.timeUs),
    change: changeOf(refs, netns, String(e.id)) ?? diff(e) ?? (hit.has(e.id) ? 'read' : undefined),
  }));
  const ids = new Set(entries.map((e) => e.id));
  const gone = was.filter((e) => !ids.has(e.id));
  return [
    ...rows,
    ...gone.map((e) => ({
      key: `gone ${e.id}`,
      text: ctFormat(e, before?.timeUs ?? now.timeUs),
      change: 'removed' as const,
      ghost: true,
    })),
  ];
}

/** The entry a packet belongs to: its tuple is one of the entry's, or the inverse of one (after NAT). */
function lookup(table: CtTable | undefined, tuple: CtTuple, nowUs: number): number[] {
  if (!table) return [];
  const inverse = ctInvertTuple(tuple);
  const found = ctLookup(table, tuple, nowUs) ?? (inverse && ctLookup(table, inverse, nowUs));
  return found ? [found.entry.id] : [];
}

const fieldOf = (layer: Layer | undefined, name: string) => {
  const f = layer?.fields.find((x) => x.name === name);
  return f && (f.raw ?? f.value);
};

/** The flows a decoded frame carries: one tuple per IPv4 header (a VXLAN packet has two). */
export function packetTuples(layers: readonly Layer[] | undefined): CtTuple[] {
  if (!layers) return [];
  return layers.flatMap((ip, i): CtTuple[] => {
    if (ip.protocol !== 'ipv4') return [];
    const l4 = layers[i + 1];
    const src = fieldOf(ip, 'ip.src');
    const dst = fieldOf(ip, 'ip.dst');
    const num = (name: string) => Number.parseInt(fieldOf(l4, name) ?? '', 10);
    if (!src || !dst || !l4) return [];
    if (l4.protocol === 'tcp' || l4.protocol === 'udp') {
      const p = l4.protocol;
      return [portTuple(p === 'tcp' ? 6 : 17, src, num(`${p}.srcport`), dst, num(`${p}.dstport`))];
    }
    if (l4.protocol === 'icmp') {
      return [icmpTuple(src, dst, num('icmp.type'), num('icmp.code'), num('icmp.ident'))];
    }
    return [];
  });
}

/** How far back a frameless netfilter step looks for the packet it is about. */
const LOOK_BACK = 3;

/**
 * The packet a netfilter or conntrack step in a host is about: its own frame, or (a
 * hook's step carries none) the last frame of the same action on that node, a step or
 * three before.
 */
export function hookPacket(sim: Simulation, index: number): CtTuple[] {
  const step = sim.steps[index];
  if (!step || (step.kind !== 'netfilter' && step.kind !== 'conntrack')) return [];
  for (let i = index; i >= Math.max(0, index - LOOK_BACK); i--) {
    const s = sim.steps[i];
    if (s.action !== step.action || s.place.node !== step.place.node) break;
    const tuples = packetTuples(s.layers);
    if (tuples.length) return tuples;
  }
  return [];
}

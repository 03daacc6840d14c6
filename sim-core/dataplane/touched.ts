/**
 * A step's changed rows, derived from the state before and after it
 * (tldraw's store diffs: added, updated, removed), so no code has to claim a
 * change by hand — and none can claim one that did not happen. Code adds
 * only what it read (a route lookup, an FDB hit). Only the namespaces and
 * nodes whose objects changed are compared: structural sharing makes
 * "unchanged" an identity check.
 */
import type { Netns, NodeStatus, PodStatus, Socket, TableRef } from '../model.ts';

type Table = TableRef['table'];

function shallowEqual(a: object, b: object): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    const va = (a as Record<string, unknown>)[k];
    const vb = (b as Record<string, unknown>)[k];
    if (
      va !== vb &&
      !(typeof va === 'object' && va && typeof vb === 'object' && vb && shallowEqual(va, vb))
    )
      return false;
  }
  return true;
}

/** Rows of one table diffed by identity key; `shown` is the key a panel highlights by. */
function diffRows<T extends object>(
  out: TableRef[],
  table: Table,
  netns: string,
  before: readonly T[],
  after: readonly T[],
  id: (row: T) => string,
  shown: (row: T) => string,
): void {
  if (before === after) return;
  // Rows shared by identity at either end are unchanged: diff only the middle.
  let start = 0;
  let endB = before.length;
  let endA = after.length;
  while (start < endB && start < endA && before[start] === after[start]) start++;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) {
    endB--;
    endA--;
  }
  if (start === endB && start === endA) return;
  const old = new Map<string, T>();
  for (let i = start; i < endB; i++) old.set(id(before[i]), before[i]);
  const seen = new Set<string>();
  for (let i = start; i < endA; i++) {
    const row = after[i];
    const k = id(row);
    seen.add(k);
    const prev = old.get(k);
    if (!prev) out.push({ table, netns, key: shown(row), change: 'added' });
    else if (prev !== row && !shallowEqual(prev, row))
      out.push({ table, netns, key: shown(row), change: 'updated' });
  }
  for (const [k, row] of old)
    if (!seen.has(k)) out.push({ table, netns, key: shown(row), change: 'removed' });
}

const NONE: readonly never[] = [];

export function diffNetns(
  out: TableRef[],
  before: Netns | undefined,
  after: Netns | undefined,
): void {
  if (before === after || !after) return;
  const id = after.id;
  diffRows(
    out,
    'neighbor',
    id,
    before?.neighbors ?? NONE,
    after.neighbors,
    (n) => `${n.ip}|${n.dev}`,
    (n) => n.ip,
  );
  diffRows(
    out,
    'fdb',
    id,
    before?.fdb ?? NONE,
    after.fdb,
    (e) => `${e.mac}|${e.port}|${e.flag}`,
    (e) => e.mac,
  );
  diffRows(
    out,
    'route',
    id,
    before?.routes ?? NONE,
    after.routes,
    (r) => `${r.dst}|${r.dev}`,
    (r) => r.dst,
  );
  diffRows(
    out,
    'iface',
    id,
    before?.ifaces ?? NONE,
    after.ifaces,
    (i) => i.name,
    (i) => i.name,
  );
  const sock = (k: Socket) =>
    `${k.protocol} ${k.localAddr}:${k.localPort} ${k.peerAddr ?? '*'}:${k.peerPort ?? '*'}`;
  diffRows(out, 'socket', id, before?.sockets ?? NONE, after.sockets ?? NONE, sock, sock);
}

export function diffNode(out: TableRef[], before: NodeStatus | undefined, after: NodeStatus): void {
  if (before === after) return;
  const name = (p: string) => p.split('/').pop()!;
  diffRows(
    out,
    'ipam',
    after.name,
    before?.ipam ?? NONE,
    after.ipam,
    (f) => f.path,
    (f) => name(f.path),
  );
}

export function diffPod(
  out: TableRef[],
  before: PodStatus | undefined,
  after: PodStatus | undefined,
): void {
  if (before === after || !after) return;
  diffRows(
    out,
    'container',
    after.netns,
    before?.containers ?? NONE,
    after.containers,
    (c) => c.name,
    (c) => c.name,
  );
}

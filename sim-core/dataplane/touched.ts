/**
 * A step's changed rows, derived from the state before and after it
 * (tldraw's store diffs: added, updated, removed), so no code has to claim a
 * change by hand — and none can claim one that did not happen. Code adds
 * only what it read (a route lookup, an FDB hit). Only the namespaces and
 * nodes whose objects changed are compared: structural sharing makes
 * "unchanged" an identity check.
 */
import { hamtDiff, hamtEmpty } from '../engine/hamt.ts';
import type { Netns, NodeStatus, PodStatus, Socket, TableRef } from '../model.ts';
import { CT_EMPTY, type CtTable } from './netfilter/conntrack-table.ts';
import type { Counter, NetfilterState, NfChain, NfTable } from './netfilter/ruleset.ts';
import { saveRule } from './netfilter/save.ts';
import { CHUNK_SIZE, pvecGet, pvecLeaves } from './netfilter/pvec.ts';
import { TABLE_NAMES } from './netfilter/tables.ts';

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
  if (before?.conntrack !== after.conntrack)
    diffConntrack(out, id, before?.conntrack, after.conntrack);
  if (before?.netfilter !== after.netfilter)
    diffCounters(out, id, before?.netfilter, after.netfilter);
  if (before?.dnsCache !== after.dnsCache)
    hamtDiff(before?.dnsCache ?? hamtEmpty(), after.dnsCache ?? hamtEmpty(), (key, was, now) =>
      out.push({
        table: 'dns-cache',
        netns: id,
        key,
        change: was === undefined ? 'added' : now === undefined ? 'removed' : 'updated',
      }),
    );
}

/** Conntrack entries created, changed (state, timeout) or gone, by id: a HAMT diff skips what is shared. */
function diffConntrack(out: TableRef[], netns: string, before?: CtTable, after?: CtTable): void {
  hamtDiff((before ?? CT_EMPTY).byId, (after ?? CT_EMPTY).byId, (key, was, now) => {
    // A copy with nothing changed (the same packet state written again) is no change.
    if (was && now && shallowEqual(was, now)) return;
    out.push({
      table: 'conntrack',
      netns,
      key,
      change: was === undefined ? 'added' : now === undefined ? 'removed' : 'updated',
    });
  });
}

/**
 * iptables rows whose counters moved ("nat/KUBE-SERVICES/3", or
 * ".../policy" for a built-in chain's policy), and rows a restore added,
 * replaced or removed. Rows are keyed by position, as `iptables -L
 * --line-numbers` numbers them. A packet's walk changes a few counter
 * chunks: chains and chunks shared by identity are skipped.
 */
function diffCounters(
  out: TableRef[],
  netns: string,
  before: NetfilterState | undefined,
  after: NetfilterState | undefined,
): void {
  const push = (key: string, change: TableRef['change']) =>
    out.push({ table: 'iptables', netns, key, change });
  for (const t of TABLE_NAMES) {
    const a = before?.tables[t];
    const b = after?.tables[t];
    if (a === b) continue;
    if (a && b && a.chainIndex === b.chainIndex) {
      const la = pvecLeaves(a.chains);
      const lb = pvecLeaves(b.chains);
      for (let i = 0; i < lb.length; i++)
        if (la[i] !== lb[i])
          for (let j = 0; j < lb[i].length; j++) diffChain(push, t, la[i][j], lb[i][j]);
      continue;
    }
    const names = (x: NfTable | undefined) => [...(x?.chainIndex.keys() ?? [])].join('\n');
    if (a && b && names(a) === names(b)) {
      // Restored with the same chains: compare rule by rule, by what iptables-save would print.
      for (const name of a.chainIndex.keys())
        diffChain(push, t, chainOf(a, name), chainOf(b, name), true);
      continue;
    }
    // Chains added or removed: a restore replaced the table (kube-proxy's sync). One ref for the
    // whole table, "nat/*": listing each of tens of thousands of rules would cost more than the step.
    push(`${t}/*`, !a ? 'added' : !b ? 'removed' : 'updated');
  }
}

function chainOf(table: NfTable | undefined, name: string): NfChain | undefined {
  const i = table?.chainIndex.get(name);
  return i === undefined ? undefined : pvecGet(table!.chains, i);
}

function diffChain(
  push: (key: string, change: TableRef['change']) => void,
  table: string,
  a: NfChain | undefined,
  b: NfChain | undefined,
  byText = false,
): void {
  if (a === b) return;
  const name = (a ?? b)!.name;
  const key = (rule: number | 'policy') => `${table}/${name}/${rule}`;
  const change = (x: unknown, y: unknown): TableRef['change'] =>
    x === undefined ? 'added' : y === undefined ? 'removed' : 'updated';
  if ((a?.policy ?? b?.policy) !== undefined && !sameCounter(a?.policyCounter, b?.policyCounter))
    push(key('policy'), change(a?.policyCounter, b?.policyCounter));
  if (a && b && a.rules === b.rules) {
    // Only counters moved: compare their chunks.
    const ra = pvecLeaves(a.counters);
    const rb = pvecLeaves(b.counters);
    for (let k = 0; k < rb.length; k++) {
      if (ra[k] === rb[k]) continue;
      for (let m = 0; m < rb[k].length; m++)
        if (!sameCounter(ra[k]?.[m], rb[k][m])) push(key(k * CHUNK_SIZE + m + 1), 'updated');
    }
    return;
  }
  const n = Math.max(a?.rules.length ?? 0, b?.rules.length ?? 0);
  for (let i = 0; i < n; i++) {
    const x = a?.rules[i];
    const y = b?.rules[i];
    const same = x === y || (byText && x && y && saveRule(x) === saveRule(y));
    if (same && sameCounter(pvecGet(a!.counters, i), pvecGet(b!.counters, i))) continue;
    push(key(i + 1), change(x, y));
  }
}

const sameCounter = (a: Counter | undefined, b: Counter | undefined) =>
  a === b || (!!a && !!b && a.packets === b.packets && a.bytes === b.bytes);

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

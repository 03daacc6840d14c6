/**
 * A persistent string-keyed map that keeps the order a JavaScript object
 * would give its keys after `{ ...withoutKey, [key]: value }`: setting a key
 * moves it to the end, deleting it drops it, and keys that look like array
 * indices ("0", "17") come first in numeric order (ECMA-262's
 * OrdinaryOwnPropertyKeys). It replaces those object spreads where a group
 * holds thousands of keys: a set copies a few HAMT nodes and adds one cell to
 * an append-only log instead of copying every key, and two versions share
 * everything else.
 *
 * The log keeps superseded cells until they outnumber the live ones; then it
 * is rebuilt from the live entries (amortised O(1) a change), so listing the
 * values costs O(size), not O(changes ever made).
 */
import { hamtEmpty, hamtGet, hamtDelete, hamtSet, type Hamt } from './hamt.ts';

interface Entry<T> {
  readonly key: string;
  readonly value: T;
  /** Its place in the log: later sets have larger numbers. */
  readonly seq: number;
}

/** The log, newest cell first. */
interface Cell<T> {
  readonly entry: Entry<T>;
  readonly prev: Cell<T> | undefined;
}

export interface OrderedMap<T> {
  readonly index: Hamt<Entry<T>>;
  readonly log: Cell<T> | undefined;
  /** Cells in the log, live or superseded. */
  readonly logSize: number;
  readonly size: number;
  /** Live keys that are array indices: they sort before the rest. */
  readonly indexKeys: number;
}

const EMPTY: OrderedMap<never> = {
  index: hamtEmpty(),
  log: undefined,
  logSize: 0,
  size: 0,
  indexKeys: 0,
};

export function omapEmpty<T>(): OrderedMap<T> {
  return EMPTY;
}

/** A canonical array index (0 … 2³² − 2), which objects list first. */
export function isArrayIndex(key: string): boolean {
  if (key.length === 0 || key.length > 10) return false;
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && n < 4294967295 && String(n) === key;
}

export function omapGet<T>(m: OrderedMap<T>, key: string): T | undefined {
  return hamtGet(m.index, key)?.value;
}

export function omapHas<T>(m: OrderedMap<T>, key: string): boolean {
  return hamtGet(m.index, key) !== undefined;
}

/** The map with `key` bound to `value`, moved to the end (as an object spread would put it). */
export function omapSet<T>(m: OrderedMap<T>, key: string, value: T): OrderedMap<T> {
  const had = hamtGet(m.index, key) !== undefined;
  const entry: Entry<T> = { key, value, seq: m.logSize };
  const next: OrderedMap<T> = {
    index: hamtSet(m.index, key, entry),
    log: { entry, prev: m.log },
    logSize: m.logSize + 1,
    size: had ? m.size : m.size + 1,
    indexKeys: !had && isArrayIndex(key) ? m.indexKeys + 1 : m.indexKeys,
  };
  return next.logSize > 2 * next.size + 32 ? compact(next) : next;
}

export function omapDelete<T>(m: OrderedMap<T>, key: string): OrderedMap<T> {
  if (hamtGet(m.index, key) === undefined) return m;
  return {
    index: hamtDelete(m.index, key),
    log: m.log,
    logSize: m.logSize,
    size: m.size - 1,
    indexKeys: isArrayIndex(key) ? m.indexKeys - 1 : m.indexKeys,
  };
}

/** Live entries in insertion order (array-index keys not yet moved first). */
function liveInLogOrder<T>(m: OrderedMap<T>): Entry<T>[] {
  const out: Entry<T>[] = [];
  for (let c = m.log; c; c = c.prev)
    if (hamtGet(m.index, c.entry.key) === c.entry) out.push(c.entry);
  return out.reverse();
}

function compact<T>(m: OrderedMap<T>): OrderedMap<T> {
  let log: Cell<T> | undefined;
  let index = m.index;
  let seq = 0;
  for (const { key, value } of liveInLogOrder(m)) {
    const entry = { key, value, seq: seq++ };
    index = hamtSet(index, key, entry);
    log = { entry, prev: log };
  }
  return { ...m, index, log, logSize: seq };
}

/** Every entry in the map's key order. */
export function omapEntries<T>(m: OrderedMap<T>): Entry<T>[] {
  const live = liveInLogOrder(m);
  if (m.indexKeys === 0) return live;
  const first = live.filter((e) => isArrayIndex(e.key)).sort((a, b) => +a.key - +b.key);
  return [...first, ...live.filter((e) => !isArrayIndex(e.key))];
}

export function omapValues<T>(m: OrderedMap<T>): T[] {
  return omapEntries(m).map((e) => e.value);
}

/**
 * The keys of `keys` that are in `m`, in the map's key order: O(k log k) for
 * k keys, whatever the map's size.
 */
export function omapOrder<T>(m: OrderedMap<T>, keys: Iterable<string>): string[] {
  const found: Entry<T>[] = [];
  for (const key of keys) {
    const e = hamtGet(m.index, key);
    if (e) found.push(e);
  }
  if (found.length > 1) found.sort(byKeyOrder);
  return found.map((e) => e.key);
}

function byKeyOrder(a: Entry<unknown>, b: Entry<unknown>): number {
  const ia = isArrayIndex(a.key);
  const ib = isArrayIndex(b.key);
  if (ia !== ib) return ia ? -1 : 1;
  return ia ? +a.key - +b.key : a.seq - b.seq;
}

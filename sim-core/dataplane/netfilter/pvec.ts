/**
 * A persistent vector: a 32-way trie of fixed-size chunks, after Bagwell's
 * array-mapped tries as used by Clojure's PersistentVector (without its tail
 * buffer: netfilter state never grows per packet, it is only rewritten).
 *
 * pvecSet copies one leaf chunk of 32 values and the ≤ log32(n) branch arrays
 * above it; every other chunk is shared by reference with the old vector. That
 * is what lets a packet bump one rule counter in a 20,000-rule KUBE-SERVICES
 * chain without copying 20,000 counters.
 */
export const CHUNK_BITS = 5;
export const CHUNK_SIZE = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_SIZE - 1;

type Node = readonly unknown[];

export interface PVec<T> {
  readonly size: number;
  /** Bits to shift an index right by at the root: 0 when the root is a leaf. */
  readonly shift: number;
  readonly root: Node;
  /** Phantom: keeps T in the type without storing it. */
  readonly _t?: T;
}

function chunk<U>(items: readonly U[]): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < items.length; i += CHUNK_SIZE) out.push(items.slice(i, i + CHUNK_SIZE));
  return out;
}

/** A vector holding `items` in order. */
export function pvecFrom<T>(items: readonly T[]): PVec<T> {
  let level: Node[] = chunk(items);
  let shift = 0;
  if (level.length === 0) return { size: 0, shift: 0, root: [] };
  while (level.length > 1) {
    level = chunk(level);
    shift += CHUNK_BITS;
  }
  return { size: items.length, shift, root: level[0] };
}

/** A vector of `n` copies of `value`. */
export function pvecFill<T>(n: number, value: T): PVec<T> {
  return pvecFrom(new Array<T>(n).fill(value));
}

function leafFor(v: PVec<unknown>, i: number): Node {
  let node = v.root;
  for (let s = v.shift; s > 0; s -= CHUNK_BITS) node = node[(i >>> s) & CHUNK_MASK] as Node;
  return node;
}

export function pvecGet<T>(v: PVec<T>, i: number): T {
  if (!Number.isInteger(i) || i < 0 || i >= v.size) {
    throw new RangeError(`index ${i} outside a vector of ${v.size}`);
  }
  return leafFor(v, i)[i & CHUNK_MASK] as T;
}

function setIn(node: Node, shift: number, i: number, value: unknown): Node {
  const copy = node.slice();
  const slot = (i >>> shift) & CHUNK_MASK;
  copy[slot] = shift === 0 ? value : setIn(node[slot] as Node, shift - CHUNK_BITS, i, value);
  return copy;
}

/** A new vector with element i replaced; `v` is unchanged. */
export function pvecSet<T>(v: PVec<T>, i: number, value: T): PVec<T> {
  if (!Number.isInteger(i) || i < 0 || i >= v.size) {
    throw new RangeError(`index ${i} outside a vector of ${v.size}`);
  }
  if (pvecGet(v, i) === value) return v;
  return { size: v.size, shift: v.shift, root: setIn(v.root, v.shift, i, value) };
}

/** All elements in order (O(n): for printers, not for the per-packet path). */
export function pvecToArray<T>(v: PVec<T>): T[] {
  return pvecLeaves(v).flat() as T[];
}

/** The leaf chunks in order. Exposed so tests can check structural sharing. */
export function pvecLeaves<T>(v: PVec<T>): readonly (readonly T[])[] {
  const leaves: Node[] = [];
  const walk = (node: Node, shift: number): void => {
    if (shift === 0) leaves.push(node);
    else for (const child of node) walk(child as Node, shift - CHUNK_BITS);
  };
  if (v.size > 0) walk(v.root, v.shift);
  return leaves as readonly (readonly T[])[];
}

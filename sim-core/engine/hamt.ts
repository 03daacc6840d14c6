/**
 * A persistent (immutable) string-keyed hash map: a hash array mapped trie
 * (Bagwell, "Ideal Hash Trees", 2001; the structure behind Clojure's maps).
 * Each branch has up to 32 children indexed by 5 bits of the key's 32-bit
 * hash. Setting or deleting a key copies only the nodes on its path (at most
 * 7), so two versions share every other node by identity: a simulation can
 * keep its tables as they were at every step for the price of a few nodes per
 * change, and a diff can skip shared subtrees with `===`.
 *
 * The shape depends only on the set of keys, never on insertion order
 * (deletion collapses single-leaf branches), so iteration order is
 * deterministic.
 */

const BITS = 5;
const MASK = 31;

interface Leaf<V> {
  readonly kind: 'leaf';
  readonly hash: number;
  readonly key: string;
  readonly value: V;
}
/** Keys whose 32-bit hashes are equal. */
interface Collision<V> {
  readonly kind: 'collision';
  readonly hash: number;
  readonly leaves: readonly Leaf<V>[];
}
/** A trie node: `bitmap` says which of the 32 slots are present, in order. */
export interface HamtBranch<V> {
  readonly kind: 'branch';
  readonly bitmap: number;
  readonly children: readonly HamtNode<V>[];
}
type HamtNode<V> = HamtBranch<V> | Leaf<V> | Collision<V>;

export interface Hamt<V> {
  readonly root: HamtBranch<V>;
  readonly size: number;
}

const EMPTY: Hamt<never> = { root: { kind: 'branch', bitmap: 0, children: [] }, size: 0 };

export function hamtEmpty<V>(): Hamt<V> {
  return EMPTY;
}

/** FNV-1a over UTF-16 code units, then murmur3's fmix32 so every bit mixes. */
export function hamtHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

const slot = (hash: number, shift: number) => 1 << ((hash >>> shift) & MASK);
const index = (bitmap: number, bit: number) => popcount(bitmap & (bit - 1));

export function hamtGet<V>(map: Hamt<V>, key: string): V | undefined {
  const hash = hamtHash(key);
  let node: HamtNode<V> = map.root;
  for (let shift = 0; ; shift += BITS) {
    if (node.kind === 'leaf') return node.key === key ? node.value : undefined;
    if (node.kind === 'collision') return node.leaves.find((l) => l.key === key)?.value;
    const bit = slot(hash, shift);
    if ((node.bitmap & bit) === 0) return undefined;
    node = node.children[index(node.bitmap, bit)];
  }
}

export function hamtHas<V>(map: Hamt<V>, key: string): boolean {
  return hamtGet(map, key) !== undefined;
}

function branchOf<V>(a: Leaf<V> | Collision<V>, b: Leaf<V>, shift: number): HamtBranch<V> {
  const ia = (a.hash >>> shift) & MASK;
  const ib = (b.hash >>> shift) & MASK;
  if (ia === ib)
    return { kind: 'branch', bitmap: 1 << ia, children: [branchOf(a, b, shift + BITS)] };
  return {
    kind: 'branch',
    bitmap: (1 << ia) | (1 << ib),
    children: ia < ib ? [a, b] : [b, a],
  };
}

function replaceAt<T>(items: readonly T[], i: number, item: T): T[] {
  const copy = items.slice();
  copy[i] = item;
  return copy;
}

function setIn<V>(
  node: HamtNode<V>,
  shift: number,
  leaf: Leaf<V>,
  added: { n: number },
): HamtNode<V> {
  if (node.kind === 'leaf') {
    if (node.key === leaf.key) return node.value === leaf.value ? node : leaf;
    added.n = 1;
    if (node.hash === leaf.hash)
      return { kind: 'collision', hash: leaf.hash, leaves: [node, leaf] };
    return branchOf(node, leaf, shift);
  }
  if (node.kind === 'collision') {
    if (node.hash !== leaf.hash) {
      added.n = 1;
      return branchOf(node, leaf, shift);
    }
    const i = node.leaves.findIndex((l) => l.key === leaf.key);
    if (i >= 0 && node.leaves[i].value === leaf.value) return node;
    if (i < 0) added.n = 1;
    const leaves = i < 0 ? [...node.leaves, leaf] : replaceAt(node.leaves, i, leaf);
    return { kind: 'collision', hash: node.hash, leaves };
  }
  const bit = slot(leaf.hash, shift);
  const i = index(node.bitmap, bit);
  if ((node.bitmap & bit) === 0) {
    added.n = 1;
    const children = [...node.children.slice(0, i), leaf, ...node.children.slice(i)];
    return { kind: 'branch', bitmap: node.bitmap | bit, children };
  }
  const child = setIn(node.children[i], shift + BITS, leaf, added);
  if (child === node.children[i]) return node;
  return { kind: 'branch', bitmap: node.bitmap, children: replaceAt(node.children, i, child) };
}

/** The map with `key` bound to `value`; the same map when nothing changes. */
export function hamtSet<V>(map: Hamt<V>, key: string, value: V): Hamt<V> {
  const added = { n: 0 };
  const leaf: Leaf<V> = { kind: 'leaf', hash: hamtHash(key), key, value };
  const root = setIn(map.root, 0, leaf, added) as HamtBranch<V>;
  return root === map.root ? map : { root, size: map.size + added.n };
}

function deleteIn<V>(
  node: HamtNode<V>,
  shift: number,
  hash: number,
  key: string,
): HamtNode<V> | undefined {
  if (node.kind === 'leaf') return node.key === key ? undefined : node;
  if (node.kind === 'collision') {
    const leaves = node.leaves.filter((l) => l.key !== key);
    if (leaves.length === node.leaves.length) return node;
    return leaves.length === 1 ? leaves[0] : { kind: 'collision', hash, leaves };
  }
  const bit = slot(hash, shift);
  if ((node.bitmap & bit) === 0) return node;
  const i = index(node.bitmap, bit);
  const child = deleteIn(node.children[i], shift + BITS, hash, key);
  if (child === node.children[i]) return node;
  if (child !== undefined) {
    // A branch left holding one leaf is replaced by the leaf, so the trie's
    // shape stays a function of its keys alone (the root always stays a branch).
    if (child.kind !== 'branch' && node.children.length === 1 && shift > 0) return child;
    return { kind: 'branch', bitmap: node.bitmap, children: replaceAt(node.children, i, child) };
  }
  const children = node.children.filter((_, j) => j !== i);
  if (shift > 0 && children.length === 0) return undefined;
  if (shift > 0 && children.length === 1 && children[0].kind !== 'branch') return children[0];
  return { kind: 'branch', bitmap: node.bitmap & ~bit, children };
}

/** The map without `key`; the same map when it was absent. */
export function hamtDelete<V>(map: Hamt<V>, key: string): Hamt<V> {
  const root = deleteIn(map.root, 0, hamtHash(key), key) as HamtBranch<V>;
  return root === map.root ? map : { root: root ?? EMPTY.root, size: map.size - 1 };
}

/** Every binding, in trie order (deterministic for a given set of keys). */
export function* hamtEntries<V>(map: Hamt<V>): Generator<[string, V]> {
  const stack: HamtNode<V>[] = [map.root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === 'leaf') yield [node.key, node.value];
    else if (node.kind === 'collision') for (const l of node.leaves) yield [l.key, l.value];
    else for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
}

export function* hamtValues<V>(map: Hamt<V>): Generator<V> {
  for (const [, value] of hamtEntries(map)) yield value;
}

/** Every branch node: what two versions can share by identity. */
export function* hamtBranches<V>(map: Hamt<V>): Generator<HamtBranch<V>> {
  const stack: HamtBranch<V>[] = [map.root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    yield node;
    for (const c of node.children) if (c.kind === 'branch') stack.push(c);
  }
}

function leavesOf<V>(node: HamtNode<V> | undefined, out: Leaf<V>[]): Leaf<V>[] {
  if (!node) return out;
  if (node.kind === 'leaf') out.push(node);
  else if (node.kind === 'collision') out.push(...node.leaves);
  else for (const c of node.children) leavesOf(c, out);
  return out;
}

function diffNodes<V>(
  x: HamtNode<V> | undefined,
  y: HamtNode<V> | undefined,
  visit: (key: string, before: V | undefined, after: V | undefined) => void,
): void {
  if (x === y) return;
  if (x?.kind === 'branch' && y?.kind === 'branch') {
    let bits = (x.bitmap | y.bitmap) >>> 0;
    while (bits !== 0) {
      const bit = bits & -bits;
      bits = (bits ^ bit) >>> 0;
      const cx = x.bitmap & bit ? x.children[index(x.bitmap, bit)] : undefined;
      const cy = y.bitmap & bit ? y.children[index(y.bitmap, bit)] : undefined;
      diffNodes(cx, cy, visit);
    }
    return;
  }
  // A leaf or collision on one side: that slot holds few keys on either side.
  const before = new Map(leavesOf(x, []).map((l) => [l.key, l.value]));
  for (const l of leavesOf(y, [])) {
    const old = before.get(l.key);
    if (old !== l.value) visit(l.key, before.has(l.key) ? old : undefined, l.value);
    before.delete(l.key);
  }
  for (const [key, value] of before) visit(key, value, undefined);
}

/**
 * The bindings that differ between two versions: added (before undefined),
 * removed (after undefined) or replaced. Shared subtrees are skipped by
 * identity, so the cost follows the changes, not the size of the map.
 */
export function hamtDiff<V>(
  a: Hamt<V>,
  b: Hamt<V>,
  visit: (key: string, before: V | undefined, after: V | undefined) => void,
): void {
  diffNodes(a.root, b.root, visit);
}

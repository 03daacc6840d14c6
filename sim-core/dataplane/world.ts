/**
 * The simulation's current state and its trace. State is a chain of
 * immutable snapshots with structural sharing: network namespaces and pods
 * are grouped by node, each group a persistent ordered map in a HAMT of
 * groups, so a change copies the changed object and a few trie nodes — not
 * its node's group (4,000 pods on one node made that quadratic) nor the
 * record of groups (likewise with 2,000 nodes).
 * Keeping one such state per step is what makes `stateAt(i)` O(1); the flat
 * `Snapshot` view (`netns` by id, `pods` in order) is built on first access.
 */
import type {
  ApiObjects,
  CapturePoint,
  Netns,
  NodeStatus,
  Place,
  PodStatus,
  Snapshot,
  Step,
  StepKind,
  TableRef,
} from '../model.ts';
import type { Fact } from '../narration/facts.ts';
import type { Layer } from '../wire/layers.ts';
import { hamtEmpty, hamtGet, hamtSet, type Hamt } from '../engine/hamt.ts';
import {
  isArrayIndex,
  omapDelete,
  omapEmpty,
  omapGet,
  omapOrder,
  omapSet,
  omapValues,
  type OrderedMap,
} from '../engine/ordered-map.ts';
import { diffNetns, diffNode, diffPod } from './touched.ts';

export interface StepInput {
  readonly kind: StepKind;
  readonly place: Place;
  readonly from?: Place;
  readonly fanout?: readonly Place[];
  readonly frame?: Uint8Array;
  readonly before?: Uint8Array;
  readonly captured?: boolean;
  readonly seenAt?: readonly CapturePoint[];
  readonly summary: string;
  readonly facts: Fact;
  readonly touched?: readonly TableRef[];
}

/** How a frame is shown: its decoded layers (built when first asked for) and its Info line. */
export interface Describe {
  layers(frame: Uint8Array): readonly Layer[];
  summary(frame: Uint8Array): string;
}

const VIEW_CACHE = 64;
const NO_API_OBJECTS: ApiObjects = Object.freeze({ services: [], endpointSlices: [] });

/** group (a node, the node network, a host) → key → value, each group in object key order. */
type Groups<T> = Hamt<OrderedMap<T>>;

/**
 * What is stored per step: small, persistent, shared. Plain data only (no
 * class instances or functions), so a finished trace crosses a structured
 * clone (a Web Worker's postMessage) with its sharing intact (transfer.ts).
 */
export interface State {
  readonly timeUs: number;
  readonly nodes: readonly NodeStatus[];
  /** node → netns id → Netns. The node network is a group of its own. */
  readonly netns: Groups<Netns>;
  /** node → "ns/name" → PodStatus, in the order they were last set within each node. */
  readonly pods: Groups<PodStatus>;
  /** Node order, for a stable flat view. */
  readonly order: readonly string[];
  readonly api: ApiObjects;
}

/**
 * Each group's values, kept per group version: a step changes one or two groups, so the next
 * step's flat view rebuilds those and copies the rest (2 500 pods' namespaces a step otherwise,
 * most of a Services-scale step's script time in the app).
 */
const groupValues = new WeakMap<object, readonly unknown[]>();

function valuesOf<T>(group: OrderedMap<T>): readonly T[] {
  let values = groupValues.get(group) as readonly T[] | undefined;
  if (!values) groupValues.set(group, (values = omapValues(group)));
  return values;
}

function flatten<T>(groups: Groups<T>, order: readonly string[]): T[] {
  const out: T[] = [];
  for (const g of order) {
    const group = hamtGet(groups, g);
    if (group) for (const v of valuesOf(group)) out.push(v);
  }
  return out;
}

function groupGet<T>(groups: Groups<T>, group: string, key: string): T | undefined {
  const g = hamtGet(groups, group);
  return g && omapGet(g, key);
}

/** Snapshot.partVersion's tokens: one per (netns group, pod group) pair, kept while both live. */
const versions = new WeakMap<object, WeakMap<object, object>>();
const NO_GROUP = Object.freeze({});

function partVersion(netns: object | undefined, pods: object | undefined): object {
  const a = netns ?? NO_GROUP;
  const b = pods ?? NO_GROUP;
  let byPods = versions.get(a);
  if (!byPods) versions.set(a, (byPods = new WeakMap()));
  let token = byPods.get(b);
  if (!token) byPods.set(b, (token = Object.freeze({})));
  return token;
}

/** The public Snapshot over a stored State; the flat views are computed once, on first use. */
function view(s: State): Snapshot {
  let netns: Record<string, Netns> | undefined;
  let list: Netns[] | undefined;
  let pods: PodStatus[] | undefined;
  const all = () => (list ??= flatten(s.netns, s.order));
  const snap = {} as Snapshot;
  Object.defineProperties(snap, {
    timeUs: { value: s.timeUs, enumerable: true },
    nodes: { value: s.nodes, enumerable: true },
    api: { value: s.api, enumerable: true },
    pods: { enumerable: true, get: () => (pods ??= flatten(s.pods, s.order)) },
    netns: {
      enumerable: true,
      get: () => (netns ??= Object.fromEntries(all().map((n) => [n.id, n]))),
    },
    netnsList: { value: all },
    // Ids start with their node's name ("node-1", "node-1/default/pod-a"); the network is its own group.
    netnsById: {
      // indexOf, not split: the topology looks up every pod's netns at every step.
      value: (id: string) => {
        const slash = id.indexOf('/');
        return groupGet(s.netns, slash < 0 ? id : id.slice(0, slash), id);
      },
    },
    partVersion: {
      value: (node: string) => partVersion(hamtGet(s.netns, node), hamtGet(s.pods, node)),
    },
  });
  return Object.freeze(snap);
}

/**
 * `stateAt(i)` over stored States: a Snapshot view per step, built on first
 * use. Recently viewed snapshots are kept, so a panel and the topology asking
 * for the same step share one flat view. Bounded: a view's flat records cost
 * about 1 KiB per namespace, and playing a long trace would otherwise keep
 * them all.
 */
export class StateViews {
  readonly initial: Snapshot;
  private readonly views = new Map<number, Snapshot>();

  constructor(
    initial: State,
    private readonly states: readonly State[],
  ) {
    this.initial = view(initial);
  }

  stateAt(index: number): Snapshot {
    if (index < 0 || this.states.length === 0) return this.initial;
    const i = Math.min(index, this.states.length - 1);
    let v = this.views.get(i);
    if (v) {
      this.views.delete(i); // refresh its place in the LRU order
    } else {
      v = view(this.states[i]);
      if (this.views.size >= VIEW_CACHE) this.views.delete(this.views.keys().next().value!);
    }
    this.views.set(i, v);
    return v;
  }
}

/** A step's decoded layers, built from its frame on first access (and kept); enumerable, like a field. */
export function defineLayers(step: Step, frame: Uint8Array, decode: Describe['layers']): void {
  let layers: readonly Layer[] | undefined;
  Object.defineProperty(step, 'layers', {
    enumerable: true,
    get: () => (layers ??= decode(frame)),
  });
}

/** The groups with `key` set (moved to its group's end, as an object spread would) or deleted. */
function put<T>(groups: Groups<T>, group: string, key: string, value: T | undefined): Groups<T> {
  const g = hamtGet(groups, group) ?? omapEmpty<T>();
  return hamtSet(groups, group, value === undefined ? omapDelete(g, key) : omapSet(g, key, value));
}

/**
 * The order groups were first created in, which is the order an object of
 * groups listed them (array-index names first): the order a step's changed
 * rows are reported in.
 */
function dirty(sets: Map<string, Set<string>>, group: string, key: string): void {
  const keys = sets.get(group);
  if (keys) keys.add(key);
  else sets.set(group, new Set([key]));
}

class GroupOrder {
  private readonly seen = new Map<string, number>();
  note(group: string): void {
    if (!this.seen.has(group)) this.seen.set(group, this.seen.size);
  }
  sort(groups: Iterable<string>): string[] {
    const out = [...groups];
    if (out.length < 2) return out;
    const rank = (g: string) => (isArrayIndex(g) ? +g - 4294967295 : this.seen.get(g)!);
    return out.sort((a, b) => rank(a) - rank(b));
  }
}

/** The trace reached its step limit while action `action` played (−1: before the first). */
export class StepLimitExceeded extends Error {
  constructor(
    readonly limit: number,
    readonly action: number,
  ) {
    super(`the trace reached ${limit} steps`);
  }
}

export class World {
  private s: State;
  /** "ns/name" → node, so pod lookups do not scan the cluster. */
  private readonly podNode = new Map<string, string>();
  /** netns id → node, likewise. */
  private readonly netnsNode = new Map<string, string>();
  readonly steps: Step[] = [];
  private readonly states: State[] = [];
  /** The state the last recorded step saw: the base of the next step's diff. */
  private recorded: State;
  /** Group → keys of the netns / pods set since `recorded`: all the next diff has to look at. */
  private readonly dirtyNetns = new Map<string, Set<string>>();
  private readonly dirtyPods = new Map<string, Set<string>>();
  private readonly netnsGroups = new GroupOrder();
  private readonly podGroups = new GroupOrder();
  /** The state before the first step, and the views over it and the stored states. */
  private initialState: State;
  private views: StateViews;
  initial: Snapshot;
  /** Called after every `every`-th step is recorded (progress reporting; see onRecord). */
  private recordHook: { readonly every: number; readonly fn: () => void } | undefined;
  timeUs = 0;
  action = -1;
  /** Steps the trace may hold: recording one more throws StepLimitExceeded. */
  stepLimit = Infinity;

  constructor(
    nodes: readonly NodeStatus[],
    netns: readonly Netns[],
    private readonly describe: Describe,
  ) {
    const order = [
      ...nodes.map((n) => n.name),
      ...netns.filter((n) => n.kind === 'network' || n.kind === 'external').map((n) => n.node),
    ];
    let groups: Groups<Netns> = hamtEmpty();
    for (const ns of netns) {
      groups = put(groups, ns.node, ns.id, ns);
      this.netnsGroups.note(ns.node);
      this.netnsNode.set(ns.id, ns.node);
    }
    this.s = { timeUs: 0, nodes, netns: groups, pods: hamtEmpty(), order, api: NO_API_OBJECTS };
    this.recorded = this.s;
    this.initialState = this.s;
    this.views = new StateViews(this.s, this.states);
    this.initial = this.views.initial;
  }

  /** What was set up before any step (a node's iptables, say) is the state before the first step. */
  sealInitial(): void {
    if (this.steps.length > 0) throw new Error('sealInitial after the first step');
    this.recorded = this.s;
    this.dirtyNetns.clear();
    this.dirtyPods.clear();
    this.initialState = this.s;
    this.views = new StateViews(this.s, this.states);
    this.initial = this.views.initial;
  }

  /** Calls `fn` after every `every` steps recorded. It must only observe: the trace does not depend on it. */
  onRecord(every: number, fn: () => void): void {
    this.recordHook = { every, fn };
  }

  /** The stored states (before the first step, and after each), for moving a finished trace elsewhere. */
  stored(): { readonly initial: State; readonly states: readonly State[] } {
    return { initial: this.initialState, states: this.states };
  }

  /** The API server's objects now (Services, EndpointSlices). */
  get api(): ApiObjects {
    return this.s.api;
  }

  setApi(api: ApiObjects): void {
    this.s = { ...this.s, api };
  }

  /** The current state as a Snapshot (builds the flat view: use sparingly in hot paths). */
  get state(): Snapshot {
    return view(this.s);
  }

  hasNetns(id: string): boolean {
    return this.findNetns(id) !== undefined;
  }

  findNetns(id: string): Netns | undefined {
    const node = this.netnsNode.get(id);
    return node === undefined ? undefined : groupGet(this.s.netns, node, id);
  }

  netns(id: string): Netns {
    const ns = this.findNetns(id);
    if (!ns) throw new Error(`no network namespace ${id}`);
    return ns;
  }

  setNetns(ns: Netns): void {
    this.netnsNode.set(ns.id, ns.node);
    this.netnsGroups.note(ns.node);
    dirty(this.dirtyNetns, ns.node, ns.id);
    this.s = { ...this.s, netns: put(this.s.netns, ns.node, ns.id, ns) };
  }

  removeNetns(id: string): void {
    const node = this.netnsNode.get(id);
    if (node === undefined) return;
    this.netnsNode.delete(id);
    dirty(this.dirtyNetns, node, id);
    this.s = { ...this.s, netns: put(this.s.netns, node, id, undefined) };
  }

  updateNetns(id: string, fn: (ns: Netns) => Netns): void {
    this.setNetns(fn(this.netns(id)));
  }

  pod(key: string): PodStatus | undefined {
    const node = this.podNode.get(key);
    return node === undefined ? undefined : groupGet(this.s.pods, node, key);
  }

  setPod(pod: PodStatus): void {
    const key = `${pod.namespace}/${pod.name}`;
    this.podNode.set(key, pod.node);
    this.podGroups.note(pod.node);
    dirty(this.dirtyPods, pod.node, key);
    this.s = { ...this.s, pods: put(this.s.pods, pod.node, key, pod) };
  }

  removePod(key: string): void {
    const node = this.podNode.get(key);
    if (node === undefined) return;
    this.podNode.delete(key);
    dirty(this.dirtyPods, node, key);
    this.s = { ...this.s, pods: put(this.s.pods, node, key, undefined) };
  }

  setNode(node: NodeStatus): void {
    this.s = { ...this.s, nodes: this.s.nodes.map((n) => (n.name === node.name ? node : n)) };
  }

  node(name: string): NodeStatus {
    const n = this.s.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no node ${name}`);
    return n;
  }

  /** A frame's Info line, as a step shows it. */
  summaryOf(frame: Uint8Array): string {
    return this.describe.summary(frame);
  }

  /** State after step `index` (−1: before the first). */
  stateAt(index: number): Snapshot {
    return this.views.stateAt(index);
  }

  /** The rows that changed since the last step was recorded (see touched.ts). */
  private changedRows(): TableRef[] {
    const before = this.recorded;
    const after = this.s;
    const out: TableRef[] = [];
    // Groups in their own order, and within each the keys set since, in the group's order.
    if (before.netns !== after.netns)
      for (const g of this.netnsGroups.sort(this.dirtyNetns.keys())) {
        const old = hamtGet(before.netns, g);
        const group = hamtGet(after.netns, g);
        if (old === group || !group) continue;
        for (const id of omapOrder(group, this.dirtyNetns.get(g)!))
          diffNetns(out, old && omapGet(old, id), omapGet(group, id));
      }
    if (before.nodes !== after.nodes)
      after.nodes.forEach((n, i) => diffNode(out, before.nodes[i], n));
    if (before.pods !== after.pods)
      for (const g of this.podGroups.sort(this.dirtyPods.keys())) {
        const old = hamtGet(before.pods, g);
        const group = hamtGet(after.pods, g);
        if (old === group || !group) continue;
        for (const key of omapOrder(group, this.dirtyPods.get(g)!))
          diffPod(out, old && omapGet(old, key), omapGet(group, key));
      }
    return out;
  }

  /**
   * Appends a step with the state as it is now. Its added, updated and
   * removed rows are what changed since the previous step; of the refs the
   * caller gives, only the lookups ("read") are kept.
   */
  record(input: StepInput): Step {
    if (this.steps.length >= this.stepLimit)
      throw new StepLimitExceeded(this.stepLimit, this.action);
    if (this.s.timeUs !== this.timeUs) this.s = { ...this.s, timeUs: this.timeUs };
    const step: Step = {
      index: this.steps.length,
      timeUs: this.timeUs,
      kind: input.kind,
      place: input.place,
      ...(input.from ? { from: input.from } : {}),
      ...(input.fanout ? { fanout: input.fanout } : {}),
      ...(input.frame ? { frame: input.frame } : {}),
      ...(input.before ? { before: input.before } : {}),
      ...(input.captured ? { captured: true } : {}),
      ...(input.seenAt?.length ? { seenAt: input.seenAt } : {}),
      summary: input.summary || (input.frame ? this.describe.summary(input.frame) : ''),
      facts: input.facts,
      touched: [...(input.touched ?? []).filter((t) => t.change === 'read'), ...this.changedRows()],
      action: this.action,
    };
    if (input.frame) this.decodeLazily(step, input.frame);
    this.steps.push(step);
    this.states.push(this.s);
    this.recorded = this.s;
    this.dirtyNetns.clear();
    this.dirtyPods.clear();
    if (this.recordHook && this.steps.length % this.recordHook.every === 0) this.recordHook.fn();
    return step;
  }

  /**
   * A step whose frame is only known later: the VXLAN encap step is recorded
   * when flannel.1 wraps the inner frame, but the outer Ethernet header is
   * written by eth0's neighbour output (after ARP, if the node has to ask).
   * The step then shows the frame as it leaves, with the inner one as `before`.
   * Only steps that are not captured are amended: exports never change.
   */
  amendFrame(index: number, frame: Uint8Array, before: Uint8Array): void {
    const old = this.steps[index];
    if (!old || old.captured || old.seenAt) return;
    const step: Step = {
      index: old.index,
      timeUs: old.timeUs,
      kind: old.kind,
      place: old.place,
      ...(old.from ? { from: old.from } : {}),
      ...(old.fanout ? { fanout: old.fanout } : {}),
      frame,
      before,
      summary: old.summary,
      facts: old.facts,
      touched: old.touched,
      action: old.action,
    };
    this.decodeLazily(step, frame);
    this.steps[index] = step;
  }

  /** Decoded layers are for the inspector and tshark comparisons: most steps are never
   * inspected, so they are built on first access (and kept). */
  private decodeLazily(step: Step, frame: Uint8Array): void {
    defineLayers(step, frame, this.describe.layers);
  }
}

/**
 * The simulation's current state and its trace. State is a chain of
 * immutable snapshots with structural sharing: network namespaces and pods
 * are grouped by node, so a change copies only the changed object, its
 * node's group and the small record of groups — never the whole cluster.
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

type Groups<T> = Readonly<Record<string, Readonly<Record<string, T>>>>;

/** What is stored per step: small, persistent, shared. */
interface State {
  readonly timeUs: number;
  readonly nodes: readonly NodeStatus[];
  /** node → netns id → Netns. The node network is a group of its own. */
  readonly netns: Groups<Netns>;
  /** node → "ns/name" → PodStatus, in creation order within each node. */
  readonly pods: Groups<PodStatus>;
  /** Node order, for a stable flat view. */
  readonly order: readonly string[];
  readonly api: ApiObjects;
}

function flatten<T>(groups: Groups<T>, order: readonly string[]): T[] {
  const out: T[] = [];
  for (const g of order) if (groups[g]) out.push(...Object.values(groups[g]));
  return out;
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
        return s.netns[slash < 0 ? id : id.slice(0, slash)]?.[id];
      },
    },
  });
  return Object.freeze(snap);
}

function put<T>(groups: Groups<T>, group: string, key: string, value: T | undefined): Groups<T> {
  const { [key]: _old, ...rest } = groups[group] ?? {};
  return { ...groups, [group]: value === undefined ? rest : { ...rest, [key]: value } };
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
  /** Node groups whose netns / pods were set since `recorded`: all the next diff has to look at. */
  private readonly dirtyNetns = new Set<string>();
  private readonly dirtyPods = new Set<string>();
  /**
   * Recently viewed snapshots, so a panel and the topology asking for the same
   * step share one flat view. Bounded: a view's flat records cost about 1 KiB
   * per namespace, and playing a long trace would otherwise keep them all.
   */
  private readonly views = new Map<number, Snapshot>();
  initial: Snapshot;
  timeUs = 0;
  action = -1;

  constructor(
    nodes: readonly NodeStatus[],
    netns: readonly Netns[],
    private readonly describe: Describe,
  ) {
    const order = [
      ...nodes.map((n) => n.name),
      ...netns.filter((n) => n.kind === 'network' || n.kind === 'external').map((n) => n.node),
    ];
    let groups: Groups<Netns> = {};
    for (const ns of netns) {
      groups = put(groups, ns.node, ns.id, ns);
      this.netnsNode.set(ns.id, ns.node);
    }
    this.s = { timeUs: 0, nodes, netns: groups, pods: {}, order, api: NO_API_OBJECTS };
    this.recorded = this.s;
    this.initial = view(this.s);
  }

  /** What was set up before any step (a node's iptables, say) is the state before the first step. */
  sealInitial(): void {
    if (this.steps.length > 0) throw new Error('sealInitial after the first step');
    this.recorded = this.s;
    this.dirtyNetns.clear();
    this.dirtyPods.clear();
    this.initial = view(this.s);
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
    return node === undefined ? undefined : this.s.netns[node]?.[id];
  }

  netns(id: string): Netns {
    const ns = this.findNetns(id);
    if (!ns) throw new Error(`no network namespace ${id}`);
    return ns;
  }

  setNetns(ns: Netns): void {
    this.netnsNode.set(ns.id, ns.node);
    this.dirtyNetns.add(ns.node);
    this.s = { ...this.s, netns: put(this.s.netns, ns.node, ns.id, ns) };
  }

  removeNetns(id: string): void {
    const node = this.netnsNode.get(id);
    if (node === undefined) return;
    this.netnsNode.delete(id);
    this.dirtyNetns.add(node);
    this.s = { ...this.s, netns: put(this.s.netns, node, id, undefined) };
  }

  updateNetns(id: string, fn: (ns: Netns) => Netns): void {
    this.setNetns(fn(this.netns(id)));
  }

  pod(key: string): PodStatus | undefined {
    const node = this.podNode.get(key);
    return node === undefined ? undefined : this.s.pods[node]?.[key];
  }

  setPod(pod: PodStatus): void {
    const key = `${pod.namespace}/${pod.name}`;
    this.podNode.set(key, pod.node);
    this.dirtyPods.add(pod.node);
    this.s = { ...this.s, pods: put(this.s.pods, pod.node, key, pod) };
  }

  removePod(key: string): void {
    const node = this.podNode.get(key);
    if (node === undefined) return;
    this.podNode.delete(key);
    this.dirtyPods.add(node);
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

  /** State after step `index` (−1: before the first). */
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

  /** The rows that changed since the last step was recorded (see touched.ts). */
  private changedRows(): TableRef[] {
    const before = this.recorded;
    const after = this.s;
    const out: TableRef[] = [];
    if (before.netns !== after.netns)
      // One dirty group is the usual step; with more, keep the groups' own order.
      for (const g of this.dirtyNetns.size === 1 ? this.dirtyNetns : Object.keys(after.netns)) {
        const old = before.netns[g];
        const group = after.netns[g];
        if (old === group || !group) continue;
        for (const id in group) diffNetns(out, old?.[id], group[id]);
      }
    if (before.nodes !== after.nodes)
      after.nodes.forEach((n, i) => diffNode(out, before.nodes[i], n));
    if (before.pods !== after.pods)
      for (const g of this.dirtyPods.size === 1 ? this.dirtyPods : Object.keys(after.pods)) {
        const old = before.pods[g];
        const group = after.pods[g];
        if (old === group || !group) continue;
        for (const key in group) diffPod(out, old?.[key], group[key]);
      }
    return out;
  }

  /**
   * Appends a step with the state as it is now. Its added, updated and
   * removed rows are what changed since the previous step; of the refs the
   * caller gives, only the lookups ("read") are kept.
   */
  record(input: StepInput): Step {
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
    if (input.frame) {
      // Decoded layers are for the inspector and tshark comparisons: most steps are never
      // inspected, so they are built on first access (and kept).
      const frame = input.frame;
      const decode = this.describe;
      let layers: readonly Layer[] | undefined;
      Object.defineProperty(step, 'layers', {
        enumerable: true,
        get: () => (layers ??= decode.layers(frame)),
      });
    }
    this.steps.push(step);
    this.states.push(this.s);
    this.recorded = this.s;
    this.dirtyNetns.clear();
    this.dirtyPods.clear();
    return step;
  }
}

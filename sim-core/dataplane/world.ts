/**
 * The simulation's current state and its trace. State is a chain of
 * immutable snapshots: each change replaces only the objects on the path to
 * what changed (the netns record, its table), so a snapshot kept for step N
 * shares every untouched table with step N+1. Keeping one reference per step
 * is what makes `stateAt(i)` O(1).
 */
import type {
  Netns,
  NodeStatus,
  Place,
  PodStatus,
  Snapshot,
  Step,
  StepKind,
  TableRef,
} from '../model.ts';
import type { Layer } from '../wire/layers.ts';

export interface StepInput {
  readonly kind: StepKind;
  readonly place: Place;
  readonly from?: Place;
  readonly fanout?: readonly Place[];
  readonly frame?: Uint8Array;
  readonly captured?: boolean;
  readonly summary: string;
  readonly explanation: string;
  readonly touched?: readonly TableRef[];
}

export type Describe = (frame: Uint8Array) => { layers: readonly Layer[]; summary: string };

export class World {
  private snap: Snapshot;
  readonly steps: Step[] = [];
  readonly snapshots: Snapshot[] = [];
  readonly initial: Snapshot;
  timeUs = 0;
  action = -1;

  constructor(
    initial: Snapshot,
    private readonly describe: Describe,
  ) {
    this.snap = initial;
    this.initial = initial;
  }

  get state(): Snapshot {
    return this.snap;
  }

  netns(id: string): Netns {
    const ns = this.snap.netns[id];
    if (!ns) throw new Error(`no network namespace ${id}`);
    return ns;
  }

  setNetns(ns: Netns): void {
    this.snap = { ...this.snap, netns: { ...this.snap.netns, [ns.id]: ns } };
  }

  removeNetns(id: string): void {
    const { [id]: _gone, ...rest } = this.snap.netns;
    this.snap = { ...this.snap, netns: rest };
  }

  updateNetns(id: string, fn: (ns: Netns) => Netns): void {
    this.setNetns(fn(this.netns(id)));
  }

  pod(key: string): PodStatus | undefined {
    return this.snap.pods.find((p) => `${p.namespace}/${p.name}` === key);
  }

  setPod(pod: PodStatus): void {
    const key = `${pod.namespace}/${pod.name}`;
    const i = this.snap.pods.findIndex((p) => `${p.namespace}/${p.name}` === key);
    const pods = [...this.snap.pods];
    if (i < 0) pods.push(pod);
    else pods[i] = pod;
    this.snap = { ...this.snap, pods };
  }

  removePod(key: string): void {
    this.snap = {
      ...this.snap,
      pods: this.snap.pods.filter((p) => `${p.namespace}/${p.name}` !== key),
    };
  }

  setNode(node: NodeStatus): void {
    const nodes = this.snap.nodes.map((n) => (n.name === node.name ? node : n));
    this.snap = { ...this.snap, nodes };
  }

  node(name: string): NodeStatus {
    const n = this.snap.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no node ${name}`);
    return n;
  }

  /** Appends a step with the state as it is now. */
  record(input: StepInput): Step {
    if (this.snap.timeUs !== this.timeUs) this.snap = { ...this.snap, timeUs: this.timeUs };
    const described = input.frame ? this.describe(input.frame) : undefined;
    const step: Step = {
      index: this.steps.length,
      timeUs: this.timeUs,
      kind: input.kind,
      place: input.place,
      ...(input.from ? { from: input.from } : {}),
      ...(input.fanout ? { fanout: input.fanout } : {}),
      ...(input.frame ? { frame: input.frame, layers: described!.layers } : {}),
      ...(input.captured ? { captured: true } : {}),
      summary: input.summary || described?.summary || '',
      explanation: input.explanation,
      touched: input.touched ?? [],
      action: this.action,
    };
    this.steps.push(step);
    this.snapshots.push(this.snap);
    return step;
  }
}

/**
 * A finished simulation as plain data, and back. The browser simulates in a
 * Web Worker and posts the result to the page: `toTransfer(sim)` is what
 * crosses postMessage (a structured clone), `fromTransfer(payload)` is the
 * Simulation the page steps through.
 *
 * What makes this cheap is what makes stepping O(1): one persistent State per
 * step, sharing every unchanged object with its neighbours. A structured
 * clone keeps shared references inside one message, so the copy shares as the
 * original does (the page holds one Netns object where the worker held one).
 * Two things would not survive a clone: a step's `layers` getter (a clone
 * would call it and decode every frame) and the Snapshot views (objects with
 * methods). Steps travel without `layers`; views and layers are rebuilt
 * lazily on the receiving side, exactly as World builds them.
 *
 * One thing would not survive a clone's recursion: a node's ordered map keeps
 * its order as a linked log (engine/ordered-map.ts), thousands of cells deep
 * on a big node, and V8's serializer overflows its stack at about 10,000
 * levels. The logs travel as one flat table of cells (each cell once, its
 * `prev` an index), relinked on arrival; everything else is cloned as is.
 */
import type { Simulation } from './api.ts';
import type { Step } from './model.ts';
import type { LoadedScenario } from './scenario/types.ts';
import { StateViews, defineLayers, type State } from './dataplane/world.ts';
import type { Hamt } from './engine/hamt.ts';
import type { OrderedMap } from './engine/ordered-map.ts';
import { decodeFrame } from './wire/describe.ts';
import { writePcap } from './wire/pcap.ts';
import { capturePoints, exportCapture, exportPcapng } from './capture.ts';
import { EPOCH_SECONDS } from './dataplane/transport.ts';

/** The structured-clone-safe form of a finished Simulation (no functions, getters or class instances). */
export interface SimulationTransfer {
  readonly kind: 'kubewire-simulation';
  readonly version: 1;
  readonly scenario: LoadedScenario;
  /** Every step as recorded, without the lazy `layers` (rebuilt from `frame`). */
  readonly steps: readonly Step[];
  /** The stored state before the first step and after each step (`states[i]` after step i). */
  readonly initial: WireState;
  readonly states: readonly WireState[];
  /** Every ordered map's log cell, each once; a cell's `prev` is the index of an earlier one (−1: none). */
  readonly cells: readonly WireCell[];
  readonly keylog: string;
}

/** An ordered map with its log as an index into `cells` (−1: empty). */
type WireMap<T> = Omit<OrderedMap<T>, 'log'> & { readonly log: number };
type Cell<T> = NonNullable<OrderedMap<T>['log']>;
interface WireCell {
  readonly entry: Cell<unknown>['entry'];
  readonly prev: number;
}
/** A State whose groups' ordered maps carry their logs as cell indices. */
export type WireState = Omit<State, 'netns' | 'pods'> & {
  readonly netns: Hamt<WireMap<unknown>>;
  readonly pods: Hamt<WireMap<unknown>>;
};

/** A HAMT's nodes, as engine/hamt.ts builds them (branch, leaf, collision). */
type Node =
  | { readonly kind: 'branch'; readonly bitmap: number; readonly children: readonly Node[] }
  | { readonly kind: 'leaf'; readonly hash: number; readonly key: string; readonly value: unknown }
  | { readonly kind: 'collision'; readonly hash: number; readonly leaves: readonly Node[] };

/**
 * The same HAMT with every value passed through `f`, node for node: `memo`
 * maps each node to its copy, so nodes shared between versions stay shared.
 * Recursion is only as deep as the trie (≤ 7 levels).
 */
function mapHamt(h: Hamt<unknown>, f: (v: unknown) => unknown, memo: Map<object, unknown>): never {
  const node = (n: Node): Node => {
    let out = memo.get(n) as Node | undefined;
    if (out) return out;
    if (n.kind === 'branch')
      out = { kind: 'branch', bitmap: n.bitmap, children: n.children.map(node) };
    else if (n.kind === 'leaf') out = { kind: 'leaf', hash: n.hash, key: n.key, value: f(n.value) };
    else out = { kind: 'collision', hash: n.hash, leaves: n.leaves.map(node) };
    memo.set(n, out);
    return out;
  };
  let out = memo.get(h);
  if (!out) memo.set(h, (out = { root: node(h.root as Node), size: h.size }));
  return out as never;
}

/** Flattens ordered maps' logs into one table of cells, each cell (and each map) once. */
class LogFlattener {
  readonly cells: WireCell[] = [];
  private readonly ids = new Map<object, number>();
  private readonly memo = new Map<object, unknown>();

  state(s: State): WireState {
    let out = this.memo.get(s) as WireState | undefined;
    if (!out) {
      const omap = (m: unknown) => this.map(m as OrderedMap<unknown>);
      out = {
        ...s,
        netns: mapHamt(s.netns, omap, this.memo),
        pods: mapHamt(s.pods, omap, this.memo),
      };
      this.memo.set(s, out);
    }
    return out;
  }

  private map(m: OrderedMap<unknown>): WireMap<unknown> {
    let out = this.memo.get(m) as WireMap<unknown> | undefined;
    if (!out) this.memo.set(m, (out = { ...m, log: this.cell(m.log) }));
    return out;
  }

  /** The cell's index, adding it and the cells before it that are not in the table yet (iteratively). */
  private cell(head: Cell<unknown> | undefined): number {
    const fresh: Cell<unknown>[] = [];
    let c = head;
    while (c && !this.ids.has(c)) {
      fresh.push(c);
      c = c.prev;
    }
    let prev = c ? this.ids.get(c)! : -1;
    for (let i = fresh.length - 1; i >= 0; i--) {
      const id = this.cells.length;
      this.cells.push({ entry: fresh[i].entry, prev });
      this.ids.set(fresh[i], id);
      prev = id;
    }
    return head ? this.ids.get(head)! : -1;
  }
}

/** The inverse: relinks the cells (each `prev` comes earlier in the table) and puts the logs back. */
function unflatten(payload: SimulationTransfer): { initial: State; states: State[] } {
  const cells: Cell<unknown>[] = [];
  for (const c of payload.cells)
    cells.push({ entry: c.entry, prev: c.prev < 0 ? undefined : cells[c.prev] });
  const memo = new Map<object, unknown>();
  const omap = (v: unknown) => {
    const m = v as WireMap<unknown>;
    let out = memo.get(m);
    if (!out) memo.set(m, (out = { ...m, log: m.log < 0 ? undefined : cells[m.log] }));
    return out;
  };
  const state = (s: WireState): State => {
    let out = memo.get(s) as State | undefined;
    if (!out) {
      out = { ...s, netns: mapHamt(s.netns, omap, memo), pods: mapHamt(s.pods, omap, memo) };
      memo.set(s, out);
    }
    return out;
  };
  return { initial: state(payload.initial), states: payload.states.map(state) };
}

interface Parts {
  readonly scenario: LoadedScenario;
  readonly steps: readonly Step[];
  readonly initial: State;
  readonly states: readonly State[];
  readonly keylog: () => string;
}

/** The parts each Simulation was built from, for toTransfer. */
const PARTS = new WeakMap<Simulation, Parts>();

/** A Simulation over recorded steps and stored states: what createSimulation returns, and fromTransfer. */
export function simulationOf(parts: Parts): Simulation {
  const { scenario, steps } = parts;
  const views = new StateViews(parts.initial, parts.states);
  const sim: Simulation = {
    scenario,
    steps,
    initial: views.initial,
    stateAt: (index) => views.stateAt(index),
    exportPcapng: () => exportPcapng(steps),
    keylog: parts.keylog,
    capturePoints: () => capturePoints(steps),
    exportCapture: (point) => exportCapture(steps, point),
    exportPcap() {
      return writePcap(
        steps
          .filter((s) => s.captured && s.frame)
          .map((s) => ({ timeUs: EPOCH_SECONDS * 1e6 + s.timeUs, data: s.frame! })),
      );
    },
  };
  PARTS.set(sim, parts);
  return sim;
}

/**
 * The plain-data form of a Simulation made by createSimulation or
 * fromTransfer. Copies the step records (without `layers`, not decoding any
 * frame) and the groups' trie nodes (once each); every namespace, pod, frame
 * and fact is shared with `sim`, not copied.
 */
export function toTransfer(sim: Simulation): SimulationTransfer {
  const parts = PARTS.get(sim);
  if (!parts) throw new Error('toTransfer: not a Simulation made by createSimulation');
  const logs = new LogFlattener();
  const initial = logs.state(parts.initial);
  const states = parts.states.map((s) => logs.state(s));
  return {
    kind: 'kubewire-simulation',
    version: 1,
    scenario: parts.scenario,
    steps: parts.steps.map(withoutLayers),
    initial,
    states,
    cells: logs.cells,
    keylog: parts.keylog(),
  };
}

/** Each own field but `layers`, read without calling its getter. */
function withoutLayers(step: Step): Step {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(step)) if (key !== 'layers') out[key] = step[key as keyof Step];
  return out as unknown as Step;
}

/** The Simulation a transfer was made from, behaving the same: same steps, states, captures and keylog. */
export function fromTransfer(payload: SimulationTransfer): Simulation {
  if (payload?.kind !== 'kubewire-simulation' || payload.version !== 1)
    throw new Error('fromTransfer: not a Kubewire simulation transfer (version 1)');
  for (const step of payload.steps) if (step.frame) defineLayers(step, step.frame, decodeFrame);
  const keylog = payload.keylog;
  const { initial, states } = unflatten(payload);
  return simulationOf({
    scenario: payload.scenario,
    steps: payload.steps,
    initial,
    states,
    keylog: () => keylog,
  });
}

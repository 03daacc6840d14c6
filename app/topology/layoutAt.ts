/**
 * What the fixed geometry shows at one step: each pod's status and veth
 * pair, the bridge and host interfaces as they are now, and the anchors (every
 * place a packet can be). sim-core shares unchanged Netns and PodStatus
 * objects between snapshots, and this layer passes that on: a pod or node
 * whose inputs are the same objects as in the last layout keeps its layout
 * object, so memoized components skip it. On a 1000-pod cluster a step
 * redraws the one or two nodes it touched, not the cluster.
 */
import type { Iface, Netns, NodeStatus, PodStatus, Snapshot } from '@kubewire/sim-core';
import type { Point, Rect } from './geometry.ts';
import { center } from './geometry.ts';
import {
  anchorKey,
  podKey,
  type NodeGeometry,
  type PodGeometry,
  type TopologyGeometry,
} from './layout.ts';

export interface PodLayout extends PodGeometry {
  /** The pod's status at the current step; undefined before its sandbox exists or after deletion. */
  readonly pod?: PodStatus;
  /** The pod existed earlier in the trace and has been deleted. */
  readonly deleted: boolean;
  readonly eth0?: Iface;
  readonly hostVeth?: Iface;
}

export interface BridgeLayout extends Rect {
  readonly iface: Iface;
  /** Not created yet at the current step. */
  readonly ghost: boolean;
  readonly ports: readonly { readonly name: string; readonly at: Point }[];
}

export interface ChipLayout extends Rect {
  readonly iface: Iface;
  readonly ghost: boolean;
  /** A dummy device's addresses (kube-ipvs0 holds every ClusterIP, each a /32). */
  readonly held?: readonly string[];
}

/** A machine outside the cluster as it is at the step. */
export interface ExternalLayout extends Rect {
  readonly netns: Netns;
  readonly chip?: ChipLayout;
}

export interface NodeLayout extends Rect {
  readonly node: NodeStatus;
  readonly hostNetns?: Netns;
  readonly bridge?: BridgeLayout;
  readonly pods: readonly PodLayout[];
  readonly chips: readonly ChipLayout[];
}

export interface TopologyLayout {
  readonly nodes: readonly NodeLayout[];
  readonly externals: readonly ExternalLayout[];
  readonly band: TopologyGeometry['band'];
  readonly buses: TopologyGeometry['buses'];
  readonly drops: TopologyGeometry['drops'];
  readonly width: number;
  readonly height: number;
  readonly anchors: ReadonlyMap<string, Point>;
  /** Netns id → node name, for every netns drawn. */
  readonly nodeOf: ReadonlyMap<string, string>;
}

const sameItems = <T>(a: readonly T[], b: readonly T[] | undefined) =>
  !!b && a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Pods by key, per snapshot. Most steps change no pod: when a snapshot's pods are the same
 * objects as the last one's, its index is reused (a thousand identity checks, not a new Map).
 */
const podIndex = new WeakMap<Snapshot, Map<string, PodStatus>>();
let lastPods: { list: readonly PodStatus[]; index: Map<string, PodStatus> } | undefined;
function podsOf(snapshot: Snapshot): Map<string, PodStatus> {
  let index = podIndex.get(snapshot);
  if (index) return index;
  const list = snapshot.pods;
  index = sameItems(list, lastPods?.list)
    ? lastPods!.index
    : new Map(list.map((p) => [podKey(p), p]));
  lastPods = { list, index };
  podIndex.set(snapshot, index);
  return index;
}

const ifaceIndex = new WeakMap<Netns, Map<string, Iface>>();
function ifaceOf(ns: Netns | undefined, name: string): Iface | undefined {
  if (!ns) return undefined;
  let index = ifaceIndex.get(ns);
  if (!index) ifaceIndex.set(ns, (index = new Map(ns.ifaces.map((f) => [f.name, f]))));
  return index.get(name);
}

interface At {
  readonly current: Snapshot;
  readonly step: number;
  readonly pods: ReadonlyMap<string, PodStatus>;
  readonly removedAt: ReadonlyMap<string, number>;
}

function podAt(at: At, g: PodGeometry, prev: PodLayout | undefined): PodLayout {
  const pod = at.pods.get(g.key);
  const netns = pod?.netns ?? g.netns;
  const eth0 = at.current.netnsById(netns)?.ifaces.find((f) => f.kind === 'veth');
  const hostVeth = eth0?.peer && ifaceOf(at.current.netnsById(eth0.peer.netns), eth0.peer.iface);
  const removed = at.removedAt.get(g.key);
  const deleted = !pod && removed !== undefined && removed <= at.step;
  if (
    prev &&
    prev.pod === pod &&
    prev.netns === netns &&
    prev.eth0 === eth0 &&
    prev.hostVeth === hostVeth &&
    prev.deleted === deleted
  )
    return prev;
  return { ...g, pod, deleted, netns, eth0, hostVeth };
}

const NO_ADDRESSES: readonly string[] = [];

function chipAt(c: Rect & { iface: Iface }, live: Netns | undefined, old?: ChipLayout): ChipLayout {
  const liveIface = ifaceOf(live, c.iface.name);
  const iface = liveIface ?? c.iface;
  const held =
    iface.kind === 'dummy' ? (live?.ipvs?.dummy?.[iface.name] ?? NO_ADDRESSES) : undefined;
  const heldSame = held === old?.held || (!!held && sameItems(held, old?.held));
  return old && old.iface === iface && old.ghost === !liveIface && heldSame
    ? old
    : {
        x: c.x,
        y: c.y,
        w: c.w,
        h: c.h,
        iface,
        ghost: !liveIface,
        ...(held ? { held } : {}),
      };
}

function externalAt(
  current: Snapshot,
  g: TopologyGeometry['externals'][number],
  prev: ExternalLayout | undefined,
): ExternalLayout {
  const live = current.netnsById(g.netns.id);
  const netns = live ?? g.netns;
  const chip = g.chip && chipAt(g.chip, live, prev?.chip);
  if (prev && prev.netns === netns && prev.chip === chip) return prev;
  return { x: g.x, y: g.y, w: g.w, h: g.h, netns, ...(chip ? { chip } : {}) };
}

function nodeAt(at: At, g: NodeGeometry, prev: NodeLayout | undefined): NodeLayout {
  const node = at.current.nodes.find((n) => n.name === g.node.name) ?? g.node;
  const live = g.host && at.current.netnsById(g.host.id);
  const hostNetns = live ?? g.host;
  const pods = g.pods.map((p, i) => podAt(at, p, prev?.pods[i]));
  const podsSame = sameItems(pods, prev?.pods);

  const liveBridge = live?.ifaces.find((f) => f.kind === 'bridge');
  const bridgeIface = liveBridge ?? g.host?.ifaces.find((f) => f.kind === 'bridge');
  const ghost = !liveBridge;
  const bridge: BridgeLayout | undefined =
    prev?.bridge && podsSame && prev.bridge.iface === bridgeIface && prev.bridge.ghost === ghost
      ? prev.bridge
      : bridgeIface && {
          ...g.bridge,
          iface: bridgeIface,
          ghost,
          ports: pods.flatMap((p) =>
            p.hostVeth ? [{ name: p.hostVeth.name, at: p.cable[p.cable.length - 1] }] : [],
          ),
        };

  const chips = g.chips.map((c, i) => chipAt(c, live, prev?.chips[i]));

  if (
    prev &&
    podsSame &&
    prev.node === node &&
    prev.hostNetns === hostNetns &&
    prev.bridge === bridge &&
    sameItems(chips, prev.chips)
  )
    return prev;
  return { node, hostNetns, bridge, pods, chips, x: g.x, y: g.y, w: g.w, h: g.h };
}

function collectAnchors(
  geometry: TopologyGeometry,
  nodes: readonly NodeLayout[],
  externals: readonly ExternalLayout[],
  switches: readonly (Netns | undefined)[],
): Map<string, Point> {
  const anchors = new Map<string, Point>();
  // A machine outside the cluster: its stack in the box, its eth0 on the chip.
  for (const e of externals) {
    anchors.set(anchorKey(e.netns.id), { x: e.x + e.w / 2, y: e.y + e.h - 30 });
    if (e.chip) anchors.set(anchorKey(e.netns.id, e.chip.iface.name), center(e.chip));
  }
  for (const n of nodes) {
    for (const p of n.pods) {
      anchors.set(anchorKey(p.netns), center(p));
      if (p.eth0) anchors.set(anchorKey(p.netns, p.eth0.name), p.eth0At);
      if (p.hostVeth && n.hostNetns)
        anchors.set(anchorKey(n.hostNetns.id, p.hostVeth.name), p.cable[p.cable.length - 1]);
    }
    if (!n.hostNetns) continue;
    // On the bridge, packets travel along the bar's upper edge, above its label.
    const hub = n.bridge ? { x: n.bridge.x + n.bridge.w / 2, y: n.bridge.y + 15 } : center(n);
    anchors.set(anchorKey(n.hostNetns.id), hub);
    if (n.bridge) anchors.set(anchorKey(n.hostNetns.id, n.bridge.iface.name), hub);
    for (const c of n.chips) anchors.set(anchorKey(n.hostNetns.id, c.iface.name), center(c));
  }
  // The node network's switch (a netns of its own in sim-core): its ports sit where the drops meet the bus.
  const bus = geometry.buses[0];
  for (const ns of switches) {
    if (!ns || !bus) continue;
    anchors.set(anchorKey(ns.id), { x: (bus.x1 + bus.x2) / 2, y: bus.y });
    for (const f of ns.ifaces) {
      const at = f.peer && geometry.onBus.get(f.peer.netns);
      if (at) anchors.set(anchorKey(ns.id, f.name), at);
    }
  }
  return anchors;
}

/**
 * A layout function for one geometry: `(snapshot, step) → TopologyLayout`.
 * Its result depends only on its arguments; the function remembers its last
 * result only to hand back the same objects for what did not change.
 * `removedAt`: pod key → first step at which the deleted pod is gone.
 */
export function createLayoutAt(
  geometry: TopologyGeometry,
  removedAt: ReadonlyMap<string, number>,
): (current: Snapshot, step: number) => TopologyLayout {
  let last: TopologyLayout | undefined;
  let lastSwitches: readonly (Netns | undefined)[] | undefined;
  return (current, step) => {
    const at: At = { current, step, pods: podsOf(current), removedAt };
    const nodes = geometry.nodes.map((g, i) => nodeAt(at, g, last?.nodes[i]));
    const externals = geometry.externals.map((g, i) => externalAt(current, g, last?.externals[i]));
    const switches = geometry.switches.map((id) => current.netnsById(id));
    if (
      last &&
      sameItems(nodes, last.nodes) &&
      sameItems(externals, last.externals) &&
      sameItems(switches, lastSwitches)
    )
      return last;
    lastSwitches = switches;
    last = {
      nodes,
      externals,
      band: geometry.band,
      buses: geometry.buses,
      drops: geometry.drops,
      width: geometry.width,
      height: geometry.height,
      anchors: collectAnchors(geometry, nodes, externals, switches),
      nodeOf: geometry.nodeOf,
    };
    return last;
  };
}

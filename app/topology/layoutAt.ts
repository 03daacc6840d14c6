/**
 * What the fixed geometry shows at one step: each pod's status and veth
 * pair, the bridge and host interfaces as they are now, and the anchors (every
 * place a packet can be). sim-core shares unchanged Netns and PodStatus
 * objects between snapshots, and this layer passes that on: a pod or node
 * whose inputs are the same objects as in the last layout keeps its layout
 * object, so memoized components skip it. On a 1000-pod cluster a step
 * redraws the one or two nodes it touched, not the cluster, and a node whose
 * part of the state is the same version as in the last layout
 * (Snapshot.partVersion) is not even looked at.
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
  /** Anchor key (see anchorKey) → where a packet at that place is drawn. */
  readonly anchors: Anchors;
  /** Netns id → node name, for every netns drawn. */
  readonly nodeOf: ReadonlyMap<string, string>;
}

export interface Anchors {
  get(key: string): Point | undefined;
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
  /** Pods by key (built on first use: a step that changes no pod's node never needs it). */
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

const nodeIndex = new WeakMap<readonly NodeStatus[], Map<string, NodeStatus>>();
function nodeOf(nodes: readonly NodeStatus[], name: string): NodeStatus | undefined {
  let index = nodeIndex.get(nodes);
  if (!index) nodeIndex.set(nodes, (index = new Map(nodes.map((n) => [n.name, n]))));
  return index.get(name);
}

function nodeAt(at: At, g: NodeGeometry, prev: NodeLayout | undefined): NodeLayout {
  const node = nodeOf(at.current.nodes, g.node.name) ?? g.node;
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

type AnchorList = Map<string, Point>;

/**
 * A packet at a host interface rests on the drop under its chip, not on the chip: the
 * glyph (and a VXLAN envelope, 46 high) would cover the interface's address and MAC.
 * The gap under the chips is M.pad + M.busGap = 62 units.
 */
const belowChip = (c: Rect): Point => ({ x: c.x + c.w / 2, y: c.y + c.h + 31 });

/**
 * A pod's lo has no drawing of its own: its packets rest in the cable zone under the pod,
 * left of the veth cable, so the badge covers neither the containers nor eth0's MAC.
 */
const loopbackAt = (p: PodGeometry): Point => ({ x: p.x + p.w * 0.22, y: p.y + p.h + 33 });

/** A node's anchors, once per NodeLayout object. */
const nodeAnchors = new WeakMap<NodeLayout, AnchorList>();
function anchorsOfNode(n: NodeLayout): AnchorList {
  let anchors = nodeAnchors.get(n);
  if (anchors) return anchors;
  anchors = new Map();
  for (const p of n.pods) {
    anchors.set(anchorKey(p.netns), center(p));
    if (p.eth0) anchors.set(anchorKey(p.netns, p.eth0.name), p.eth0At);
    anchors.set(anchorKey(p.netns, 'lo'), loopbackAt(p));
    if (p.hostVeth && n.hostNetns)
      anchors.set(anchorKey(n.hostNetns.id, p.hostVeth.name), p.cable[p.cable.length - 1]);
  }
  if (n.hostNetns) {
    // On the bridge, packets travel along the bar's upper edge, above its label.
    const hub = n.bridge ? { x: n.bridge.x + n.bridge.w / 2, y: n.bridge.y + 15 } : center(n);
    anchors.set(anchorKey(n.hostNetns.id), hub);
    if (n.bridge) anchors.set(anchorKey(n.hostNetns.id, n.bridge.iface.name), hub);
    for (const c of n.chips) anchors.set(anchorKey(n.hostNetns.id, c.iface.name), belowChip(c));
  }
  nodeAnchors.set(n, anchors);
  return anchors;
}

/** The anchors outside the nodes: the machines outside the cluster and the node network's switch. */
function otherAnchors(
  geometry: TopologyGeometry,
  externals: readonly ExternalLayout[],
  switches: readonly (Netns | undefined)[],
): AnchorList {
  const anchors: AnchorList = new Map();
  // A machine outside the cluster: its stack in the box, its eth0 on the chip.
  for (const e of externals) {
    anchors.set(anchorKey(e.netns.id), { x: e.x + e.w / 2, y: e.y + e.h - 30 });
    if (e.chip)
      anchors.set(anchorKey(e.netns.id, e.chip.iface.name), {
        x: e.chip.x + e.chip.w / 2,
        y: e.chip.y - 20,
      });
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
 * Every anchor, looked up where it lives: a key starts with its netns id, and a netns id
 * with its node's name ("node-1", "node-1/default/p0#eth0"), so a step that changes one
 * node rebuilds that node's few anchors, not the cluster's thousands.
 */
function collectAnchors(
  geometry: TopologyGeometry,
  nodes: readonly NodeLayout[],
  others: AnchorList,
): Anchors {
  const byNode = new Map<string, NodeLayout>();
  for (const n of nodes) byNode.set(n.node.name, n);
  return {
    get(key) {
      const end = key.search(/[/#]/);
      const n = byNode.get(end < 0 ? key : key.slice(0, end));
      return (n && anchorsOfNode(n).get(key)) ?? others.get(key);
    },
  };
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
  let lastOthers: AnchorList = new Map();
  // Per node: its part's version and its status object in the last layout.
  let versions: readonly object[] = [];
  let statuses: readonly (NodeStatus | undefined)[] = [];
  // A node with a deleted pod is always looked at: "deleted" depends on the step, not the state.
  const removals = geometry.nodes.map((g) => g.pods.some((p) => removedAt.has(p.key)));
  return (current, step) => {
    let pods: ReadonlyMap<string, PodStatus> | undefined;
    const at: At = {
      current,
      step,
      get pods() {
        return (pods ??= podsOf(current));
      },
      removedAt,
    };
    const nowVersions = geometry.nodes.map((g) => current.partVersion(g.node.name));
    const nowStatuses = geometry.nodes.map((g) => nodeOf(current.nodes, g.node.name));
    const nodes = geometry.nodes.map((g, i) => {
      const prev = last?.nodes[i];
      const same =
        prev && !removals[i] && nowVersions[i] === versions[i] && nowStatuses[i] === statuses[i];
      return same ? prev : nodeAt(at, g, prev);
    });
    versions = nowVersions;
    statuses = nowStatuses;
    const externals = geometry.externals.map((g, i) => externalAt(current, g, last?.externals[i]));
    const switches = geometry.switches.map((id) => current.netnsById(id));
    if (
      last &&
      sameItems(nodes, last.nodes) &&
      sameItems(externals, last.externals) &&
      sameItems(switches, lastSwitches)
    )
      return last;
    if (!last || !sameItems(externals, last.externals) || !sameItems(switches, lastSwitches))
      lastOthers = otherAnchors(geometry, externals, switches);
    lastSwitches = switches;
    last = {
      nodes,
      externals,
      band: geometry.band,
      buses: geometry.buses,
      drops: geometry.drops,
      width: geometry.width,
      height: geometry.height,
      anchors: collectAnchors(geometry, nodes, lastOthers),
      nodeOf: geometry.nodeOf,
    };
    return last;
  };
}

/**
 * Where everything goes. Geometry comes from the scenario's pods and the
 * trace's final state, so nothing moves while scrubbing: a pod that does not
 * exist yet keeps its slot (drawn as a ghost). Contents come from the
 * current snapshot. Nodes sit side by side (wrapping after a few), pods wrap
 * into rows above their node's cni0 bridge, and each pod's veth is a cable
 * from its eth0 down to a port on the bridge; cables of upper rows run down
 * lanes in the gutters so none crosses a pod. Anchors name every place a
 * packet can be.
 */
import type { Iface, Netns, NodeStatus, PodStatus, Snapshot } from '@kubewire/sim-core';
import type { Point, Rect } from './geometry.ts';
import { center } from './geometry.ts';
import { M } from './metrics.ts';

/** A pod's place in the picture, whether or not its sandbox exists at this step. */
export interface PodSlot {
  readonly namespace: string;
  readonly name: string;
  readonly node: string;
  readonly containers: readonly string[];
}

export interface PodLayout extends Rect {
  readonly slot: PodSlot;
  /** The pod's status at the current step; undefined before its sandbox exists or after deletion. */
  readonly pod?: PodStatus;
  /** The pod existed earlier in the trace and has been deleted. */
  readonly deleted: boolean;
  readonly netns: string;
  readonly eth0?: Iface;
  readonly hostVeth?: Iface;
  readonly eth0At: Point;
  readonly cable: readonly Point[];
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
  /** The node network: one horizontal bus per row of nodes, and the drops onto it. */
  readonly buses: readonly { readonly y: number; readonly x1: number; readonly x2: number }[];
  readonly drops: readonly (readonly Point[])[];
  readonly width: number;
  readonly height: number;
  readonly anchors: ReadonlyMap<string, Point>;
}

export const anchorKey = (netns: string, iface?: string) => (iface ? `${netns}#${iface}` : netns);

const podHeight = (slot: PodSlot) =>
  M.podHeader + M.containerRow * (slot.containers.length + 1) + M.podFooter;

const chipKinds: readonly Iface['kind'][] = ['ethernet', 'vxlan'];

const hostOf = (snapshot: Snapshot, node: string) =>
  Object.values(snapshot.netns).find((n) => n.kind === 'host' && n.node === node);

const podKey = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;

/** Every pod the scenario will have, in the order written, plus any the trace adds. */
export function podSlots(
  specs: readonly {
    namespace: string;
    name: string;
    nodeName: string;
    containers: readonly { name: string }[];
  }[],
  reference: Snapshot,
): PodSlot[] {
  const slots = specs.map((p) => ({
    namespace: p.namespace,
    name: p.name,
    node: p.nodeName,
    containers: p.containers.map((c) => c.name),
  }));
  const known = new Set(slots.map(podKey));
  for (const p of reference.pods)
    if (!known.has(podKey(p)))
      slots.push({
        namespace: p.namespace,
        name: p.name,
        node: p.node,
        containers: p.containers.map((c) => c.name),
      });
  return slots;
}

interface Frame {
  readonly current: Snapshot;
  /** The current step's index, to tell a pod not created yet from a deleted one. */
  readonly step: number;
  readonly reference: Snapshot;
  readonly slots: readonly PodSlot[];
  /** Step at which each pod ("ns/name") first exists. */
  readonly appearedAt: ReadonlyMap<string, number>;
}

/** When each pod first appears in the trace. */
export function podAppearances(
  stateAt: (i: number) => Snapshot,
  count: number,
): Map<string, number> {
  const seen = new Map<string, number>();
  for (let i = 0; i < count; i++)
    for (const p of stateAt(i).pods) if (!seen.has(podKey(p))) seen.set(podKey(p), i);
  return seen;
}

function layoutNode(frame: Frame, node: NodeStatus, x: number, y: number): NodeLayout {
  const { current, reference } = frame;
  const hostNetns = hostOf(current, node.name) ?? hostOf(reference, node.name);
  const refHost = hostOf(reference, node.name) ?? hostNetns;
  const pods = frame.slots.filter((p) => p.node === node.name);
  const cols = Math.max(1, Math.min(pods.length, M.maxPodColumns));
  const rows = Math.ceil(pods.length / cols);
  const laneSpace = Math.max(0, rows - 1) * M.lane;
  const gapX = M.podGapX + laneSpace;
  const podsWidth = laneSpace + cols * M.podWidth + (cols - 1) * gapX;
  const w = Math.max(M.nodeMinWidth, podsWidth + 2 * M.pad);
  const rowHeights = Array.from({ length: rows }, (_, r) =>
    Math.max(...pods.slice(r * cols, (r + 1) * cols).map(podHeight)),
  );
  const rowTops = rowHeights.map(
    (_, r) => y + M.nodeHeader + rowHeights.slice(0, r).reduce((a, h) => a + h + M.podRowGap, 0),
  );
  const podsBottom = rows ? rowTops[rows - 1] + rowHeights[rows - 1] : y + M.nodeHeader - 30;
  const bridgeY = podsBottom + M.cableZone;
  const startX = x + (w - podsWidth) / 2 + laneSpace;

  const podLayouts = pods.map((slot, i): PodLayout => {
    const r = Math.floor(i / cols);
    const px = startX + (i % cols) * (M.podWidth + gapX);
    const h = rowHeights[r];
    const pod = current.pods.find((p) => podKey(p) === podKey(slot));
    const netnsId =
      pod?.netns ??
      reference.pods.find((p) => podKey(p) === podKey(slot))?.netns ??
      `${node.name}/${podKey(slot)}`;
    const eth0 = current.netns[netnsId]?.ifaces.find((f) => f.kind === 'veth');
    const hostVeth =
      eth0?.peer && current.netns[eth0.peer.netns]?.ifaces.find((f) => f.name === eth0.peer?.iface);
    const eth0At = { x: px + M.podWidth / 2, y: rowTops[r] + h };
    const laneX = px - M.lane * (rows - 1 - r) + M.lane / 2;
    const gapY = eth0At.y + M.podRowGap / 2;
    const cable =
      r === rows - 1
        ? [eth0At, { x: eth0At.x, y: bridgeY }]
        : [eth0At, { x: eth0At.x, y: gapY }, { x: laneX, y: gapY }, { x: laneX, y: bridgeY }];
    const appeared = frame.appearedAt.get(podKey(slot));
    return {
      slot,
      pod,
      deleted: !pod && appeared !== undefined && appeared <= frame.step,
      netns: netnsId,
      x: px,
      y: rowTops[r],
      w: M.podWidth,
      h,
      eth0,
      hostVeth,
      eth0At,
      cable,
    };
  });

  const liveBridge = hostOf(current, node.name)?.ifaces.find((f) => f.kind === 'bridge');
  const bridgeIface = liveBridge ?? refHost?.ifaces.find((f) => f.kind === 'bridge');
  const bridge: BridgeLayout | undefined = bridgeIface && {
    iface: bridgeIface,
    ghost: !liveBridge,
    x: x + M.pad,
    y: bridgeY,
    w: w - 2 * M.pad,
    h: M.bridgeHeight,
    ports: podLayouts.flatMap((p) =>
      p.hostVeth ? [{ name: p.hostVeth.name, at: p.cable[p.cable.length - 1] }] : [],
    ),
  };

  const liveIfaces = hostOf(current, node.name)?.ifaces ?? [];
  const chipIfaces = (refHost?.ifaces ?? [])
    .filter((f) => chipKinds.includes(f.kind))
    .sort((a, b) => chipKinds.indexOf(a.kind) - chipKinds.indexOf(b.kind));
  const chipsWidth = chipIfaces.length * (M.chipWidth + M.chipGap) - M.chipGap;
  const chipY = bridgeY + M.bridgeHeight + M.belowBridge;
  const chips = chipIfaces.map((iface, i) => ({
    iface: liveIfaces.find((f) => f.name === iface.name) ?? iface,
    ghost: !liveIfaces.some((f) => f.name === iface.name),
    x: x + (w - chipsWidth) / 2 + i * (M.chipWidth + M.chipGap),
    y: chipY,
    w: M.chipWidth,
    h: M.chipHeight,
  }));
  const bottom = chips.length ? chipY + M.chipHeight : bridgeY + M.bridgeHeight;
  return { node, hostNetns, bridge, pods: podLayouts, chips, x, y, w, h: bottom + M.pad - y };
}

function collectAnchors(nodes: readonly NodeLayout[]): Map<string, Point> {
  const anchors = new Map<string, Point>();
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
  return anchors;
}

export function layoutTopology(frame: Frame): TopologyLayout {
  const snapshot = frame.current;
  const nodes: NodeLayout[] = [];
  const buses: { y: number; x1: number; x2: number }[] = [];
  const drops: Point[][] = [];
  /** Where each node's uplink meets the node network. */
  const onBus = new Map<string, Point>();
  let y = M.pad;
  let width = 0;
  for (let i = 0; i < snapshot.nodes.length; i += M.maxNodesPerRow) {
    let x = M.pad;
    const row = snapshot.nodes.slice(i, i + M.maxNodesPerRow).map((node) => {
      const laid = layoutNode(frame, node, x, y);
      x += laid.w + M.nodeGap;
      return laid;
    });
    const rowBottom = Math.max(...row.map((n) => n.y + n.h));
    const busY = rowBottom + M.busGap;
    buses.push({ y: busY, x1: M.pad, x2: x - M.nodeGap });
    for (const n of row) {
      const uplink = n.chips.find((c) => c.iface.kind === 'ethernet');
      if (!uplink) continue;
      const x = uplink.x + uplink.w / 2;
      drops.push([
        { x, y: uplink.y + uplink.h },
        { x, y: busY },
      ]);
      if (n.hostNetns) onBus.set(n.hostNetns.id, { x, y: busY });
    }
    nodes.push(...row);
    width = Math.max(width, x - M.nodeGap + M.pad);
    y = busY + M.busGap;
  }
  const anchors = collectAnchors(nodes);
  // The node network's switch (a netns of its own in sim-core): its ports sit where the drops meet the bus.
  for (const ns of Object.values(snapshot.netns)) {
    if (ns.kind === 'host' || ns.kind === 'pod' || !buses[0]) continue;
    anchors.set(anchorKey(ns.id), { x: (buses[0].x1 + buses[0].x2) / 2, y: buses[0].y });
    for (const f of ns.ifaces) {
      const at = f.peer && onBus.get(f.peer.netns);
      if (at) anchors.set(anchorKey(ns.id, f.name), at);
    }
  }
  return { nodes, buses, drops, width, height: y - M.busGap + 12, anchors };
}

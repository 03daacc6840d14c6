/**
 * Where everything goes. Geometry comes from the scenario's pods and the
 * trace's final state only, so it is computed once per simulation and
 * nothing moves while scrubbing: a pod that does not exist yet keeps its
 * slot (drawn as a ghost). Nodes sit side by side, wrapping into as many
 * columns as keep a big cluster roughly as wide as the view; pods wrap into
 * rows above their node's cni0 bridge, and each pod's veth is a cable from
 * its eth0 down to a port on the bridge; cables of upper rows run down lanes
 * in the gutters so none crosses a pod. What is drawn in those places at a
 * step is `layoutAt`'s business (layoutAt.ts).
 */
import type { Iface, Netns, NodeStatus, Snapshot } from '@kubewire/sim-core';
import type { Point, Rect } from './geometry.ts';
import { M } from './metrics.ts';

/** A pod's place in the picture, whether or not its sandbox exists at this step. */
export interface PodSlot {
  readonly namespace: string;
  readonly name: string;
  readonly node: string;
  readonly containers: readonly string[];
}

export interface PodGeometry extends Rect {
  readonly slot: PodSlot;
  /** "namespace/name". */
  readonly key: string;
  /** The pod's netns id in the trace's final state (or the id it would have). */
  readonly netns: string;
  readonly eth0At: Point;
  readonly cable: readonly Point[];
}

export interface NodeGeometry extends Rect {
  readonly node: NodeStatus;
  /** The host netns in the trace's final state. */
  readonly host?: Netns;
  readonly pods: readonly PodGeometry[];
  readonly bridge: Rect;
  /** eth0 and flannel.1 as the final state has them, each with its place. */
  readonly chips: readonly (Rect & { readonly iface: Iface })[];
}

export interface TopologyGeometry {
  readonly nodes: readonly NodeGeometry[];
  /** The node network: one horizontal bus per row of nodes, and the drops onto it. */
  readonly buses: readonly { readonly y: number; readonly x1: number; readonly x2: number }[];
  readonly drops: readonly (readonly Point[])[];
  /** Where each host netns's uplink meets the node network. */
  readonly onBus: ReadonlyMap<string, Point>;
  /** Netns ids that are neither hosts nor pods (the node network's switch). */
  readonly switches: readonly string[];
  /** Netns id → node name, for every netns drawn. */
  readonly nodeOf: ReadonlyMap<string, string>;
  readonly width: number;
  readonly height: number;
}

export const anchorKey = (netns: string, iface?: string) => (iface ? `${netns}#${iface}` : netns);

export const podKey = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;

const podHeight = (slot: PodSlot) =>
  M.podHeader + M.containerRow * (slot.containers.length + 1) + M.podFooter;

const chipKinds: readonly Iface['kind'][] = ['ethernet', 'vxlan'];

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

/** Up to 9 pods in three columns; beyond, a squarer grid so a node stays short enough to read. */
const podColumns = (pods: number) =>
  Math.max(1, pods <= 9 ? Math.min(pods, M.maxPodColumns) : Math.ceil(Math.sqrt(pods)));

interface Reference {
  readonly hosts: ReadonlyMap<string, Netns>;
  readonly pods: ReadonlyMap<string, { readonly netns: string }>;
}

function nodeGeometry(
  reference: Reference,
  slots: readonly PodSlot[],
  node: NodeStatus,
  x: number,
  y: number,
): NodeGeometry {
  const host = reference.hosts.get(node.name);
  const cols = podColumns(slots.length);
  const rows = Math.ceil(slots.length / cols);
  const laneSpace = Math.max(0, rows - 1) * M.lane;
  const gapX = M.podGapX + laneSpace;
  const podsWidth = laneSpace + cols * M.podWidth + (cols - 1) * gapX;
  const w = Math.max(M.nodeMinWidth, podsWidth + 2 * M.pad);
  const rowHeights = Array.from({ length: rows }, (_, r) =>
    Math.max(...slots.slice(r * cols, (r + 1) * cols).map(podHeight)),
  );
  const rowTops = rowHeights.map(
    (_, r) => y + M.nodeHeader + rowHeights.slice(0, r).reduce((a, h) => a + h + M.podRowGap, 0),
  );
  const podsBottom = rows ? rowTops[rows - 1] + rowHeights[rows - 1] : y + M.nodeHeader - 30;
  const bridgeY = podsBottom + M.cableZone;
  const startX = x + (w - podsWidth) / 2 + laneSpace;

  const pods = slots.map((slot, i): PodGeometry => {
    const r = Math.floor(i / cols);
    const px = startX + (i % cols) * (M.podWidth + gapX);
    const h = rowHeights[r];
    const key = podKey(slot);
    const eth0At = { x: px + M.podWidth / 2, y: rowTops[r] + h };
    const laneX = px - M.lane * (rows - 1 - r) + M.lane / 2;
    const gapY = eth0At.y + M.podRowGap / 2;
    const cable =
      r === rows - 1
        ? [eth0At, { x: eth0At.x, y: bridgeY }]
        : [eth0At, { x: eth0At.x, y: gapY }, { x: laneX, y: gapY }, { x: laneX, y: bridgeY }];
    const netns = reference.pods.get(key)?.netns ?? `${node.name}/${key}`;
    return { slot, key, netns, x: px, y: rowTops[r], w: M.podWidth, h, eth0At, cable };
  });

  const chipIfaces = (host?.ifaces ?? [])
    .filter((f) => chipKinds.includes(f.kind))
    .sort((a, b) => chipKinds.indexOf(a.kind) - chipKinds.indexOf(b.kind));
  const chipsWidth = chipIfaces.length * (M.chipWidth + M.chipGap) - M.chipGap;
  const chipY = bridgeY + M.bridgeHeight + M.belowBridge;
  const chips = chipIfaces.map((iface, i) => ({
    iface,
    x: x + (w - chipsWidth) / 2 + i * (M.chipWidth + M.chipGap),
    y: chipY,
    w: M.chipWidth,
    h: M.chipHeight,
  }));
  const bottom = chips.length ? chipY + M.chipHeight : bridgeY + M.bridgeHeight;
  const bridge = { x: x + M.pad, y: bridgeY, w: w - 2 * M.pad, h: M.bridgeHeight };
  return { node, host, pods, bridge, chips, x, y, w, h: bottom + M.pad - y };
}

/** The view is about this much wider than high; a big cluster's grid of nodes should be too. */
const VIEW_ASPECT = 1.6;

/** Nodes per row: three as always for a few nodes, more for a big cluster so it fills the view. */
function nodesPerRow(sizes: readonly { w: number; h: number }[]): number {
  const n = sizes.length;
  if (n <= M.maxNodesPerRow + 1) return M.maxNodesPerRow;
  const w = Math.max(...sizes.map((s) => s.w)) + M.nodeGap;
  const h = Math.max(...sizes.map((s) => s.h)) + 2 * M.busGap;
  let best = M.maxNodesPerRow;
  let bestError = Infinity;
  for (let c = M.maxNodesPerRow; c <= n; c++) {
    const error = Math.abs(Math.log((c * w) / (Math.ceil(n / c) * h) / VIEW_ASPECT));
    if (error < bestError) [best, bestError] = [c, error];
  }
  return best;
}

export function topologyGeometry(reference: Snapshot, slots: readonly PodSlot[]): TopologyGeometry {
  const netns = Object.values(reference.netns);
  const ref: Reference = {
    hosts: new Map(netns.filter((n) => n.kind === 'host').map((n) => [n.node, n])),
    pods: new Map(reference.pods.map((p) => [podKey(p), p])),
  };
  const slotsOf = (node: string) => slots.filter((p) => p.node === node);
  const perRow = nodesPerRow(
    reference.nodes.map((n) => nodeGeometry(ref, slotsOf(n.name), n, 0, 0)),
  );
  const nodes: NodeGeometry[] = [];
  const buses: { y: number; x1: number; x2: number }[] = [];
  const drops: Point[][] = [];
  const onBus = new Map<string, Point>();
  let y = M.pad;
  let width = 0;
  for (let i = 0; i < reference.nodes.length; i += perRow) {
    let x = M.pad;
    const row = reference.nodes.slice(i, i + perRow).map((node) => {
      const laid = nodeGeometry(ref, slotsOf(node.name), node, x, y);
      x += laid.w + M.nodeGap;
      return laid;
    });
    const rowBottom = Math.max(...row.map((n) => n.y + n.h));
    const busY = rowBottom + M.busGap;
    buses.push({ y: busY, x1: M.pad, x2: x - M.nodeGap });
    for (const n of row) {
      const uplink = n.chips.find((c) => c.iface.kind === 'ethernet');
      if (!uplink) continue;
      const ux = uplink.x + uplink.w / 2;
      drops.push([
        { x: ux, y: uplink.y + uplink.h },
        { x: ux, y: busY },
      ]);
      if (n.host) onBus.set(n.host.id, { x: ux, y: busY });
    }
    nodes.push(...row);
    width = Math.max(width, x - M.nodeGap + M.pad);
    y = busY + M.busGap;
  }
  const nodeOf = new Map<string, string>();
  for (const n of nodes) {
    if (n.host) nodeOf.set(n.host.id, n.node.name);
    for (const p of n.pods) nodeOf.set(p.netns, n.node.name);
  }
  const switches = netns.filter((n) => n.kind !== 'host' && n.kind !== 'pod').map((n) => n.id);
  return { nodes, buses, drops, onBus, switches, nodeOf, width, height: y - M.busGap + 12 };
}

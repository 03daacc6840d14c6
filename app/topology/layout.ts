/**
 * Where everything goes. Geometry comes from the scenario's pods and the
 * trace's final state only, so it is computed once per simulation and
 * nothing moves while scrubbing: a pod that does not exist yet keeps its
 * slot (drawn as a ghost). Nodes sit side by side, wrapping into as many
 * columns as keep a big cluster roughly as wide as the view; pods wrap into
 * rows above their node's cni0 bridge, and each pod's veth is a cable from
 * its eth0 down to a port on the bridge; cables of upper rows run down lanes
 * in the gutters so none crosses a pod. What is drawn in those places at a
 * step is `layoutAt`'s business (layoutAt.ts). Above the nodes, a band holds
 * the Services' virtual IPs (they belong to no node); below the node network,
 * the machines outside the cluster (netns kind 'external') hang off it.
 */
import { DETAIL_FROM_PODS } from './detail.ts';
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

/** The Services band: every Service's badge, or (many Services) a count and the ones in play. */
export interface ServiceBandGeometry extends Rect {
  /** Service keys ("namespace/name") with a slot of their own, in the API server's order. */
  readonly services: readonly string[];
  /** Badge places: one per Service, or, collapsed, the count's and then the in-play ones'. */
  readonly slots: readonly Rect[];
  /** Too many Services to draw each: the first slot is the count, the rest show those in play. */
  readonly collapsed: boolean;
  /**
   * User units per badge unit: 1 in a small cluster; in a big one the band is drawn larger,
   * in proportion to the drawing's width, so a badge reads at the map's zoom as it reads at
   * a small cluster's (its slots are scaled; a badge draws its content scaled by this).
   */
  readonly scale: number;
}

/** A machine on the node network outside the cluster (Cluster spec.hosts). */
export interface ExternalGeometry extends Rect {
  /** Its netns in the trace's final state. */
  readonly netns: Netns;
  /** Its uplink (eth0), cabled up to the node network. */
  readonly chip?: Rect & { readonly iface: Iface };
}

export interface TopologyGeometry {
  readonly nodes: readonly NodeGeometry[];
  readonly band: ServiceBandGeometry | null;
  readonly externals: readonly ExternalGeometry[];
  /** The node network: one horizontal bus per row of nodes, and the drops onto it. */
  readonly buses: readonly { readonly y: number; readonly x1: number; readonly x2: number }[];
  readonly drops: readonly (readonly Point[])[];
  /** Where each host netns's uplink meets the node network. */
  readonly onBus: ReadonlyMap<string, Point>;
  /** The node network's switch netns ids (kind 'network'). */
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

/** Host interfaces drawn as chips: eth0, flannel.1 and, in IPVS mode, kube-ipvs0 (a dummy). */
const chipKinds: readonly Iface['kind'][] = ['ethernet', 'vxlan', 'dummy'];

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
  const chipCount = (host?.ifaces ?? []).filter((f) => chipKinds.includes(f.kind)).length;
  const chipsMin = chipCount * (M.chipWidth + M.chipGap) - M.chipGap + 2 * M.pad;
  const w = Math.max(M.nodeMinWidth, podsWidth + 2 * M.pad, chipsMin);
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

/**
 * A big cluster's drawing is as wide as this many badge units per 1,000 px of screen at the
 * map's zoom: a badge's 13-unit text is then about 10 px on a 770 px wide topology.
 */
const BAND_UNITS_AT_FIT = 1_000;

/** The band's scale for a drawing `width` wide (see ServiceBandGeometry.scale). */
export const bandScale = (width: number, pods: number) =>
  pods > DETAIL_FROM_PODS ? Math.max(1, width / BAND_UNITS_AT_FIT) : 1;

/** The band's badges in rows across the drawing's width; collapsed when there are more than fit. */
function serviceBand(
  services: readonly string[],
  width: number,
  scale: number,
): ServiceBandGeometry | null {
  if (!services.length) return null;
  // Laid out in badge units from the band's corner, then scaled into the drawing.
  const inner = (width - 2 * M.pad) / scale - 2 * M.bandPad;
  const perRow = Math.max(1, Math.floor((inner + M.vipGap) / (M.vipWidth + M.vipGap)));
  const collapsed = services.length > perRow * M.vipRows;
  const count = collapsed ? perRow : services.length;
  const rows = Math.ceil(count / perRow);
  const slots = Array.from({ length: count }, (_, i) => ({
    x: M.pad + (M.bandPad + (i % perRow) * (M.vipWidth + M.vipGap)) * scale,
    y: M.pad + (M.bandHeading + Math.floor(i / perRow) * (M.vipHeight + M.vipGap)) * scale,
    w: M.vipWidth * scale,
    h: M.vipHeight * scale,
  }));
  const h = (M.bandHeading + rows * (M.vipHeight + M.vipGap) - M.vipGap + M.bandPad) * scale;
  return { x: M.pad, y: M.pad, w: width - 2 * M.pad, h, services, slots, collapsed, scale };
}

export function topologyGeometry(reference: Snapshot, slots: readonly PodSlot[]): TopologyGeometry {
  const netns = Object.values(reference.netns);
  const ref: Reference = {
    hosts: new Map(netns.filter((n) => n.kind === 'host').map((n) => [n.node, n])),
    pods: new Map(reference.pods.map((p) => [podKey(p), p])),
  };
  const slotsOf = (node: string) => slots.filter((p) => p.node === node);
  const sized = reference.nodes.map((n) => nodeGeometry(ref, slotsOf(n.name), n, 0, 0));
  const perRow = nodesPerRow(sized);
  const externalNetns = netns.filter((n) => n.kind === 'external');
  // x does not depend on y: the rows' widths fix the band's before the nodes are placed under it.
  let width = 0;
  for (let i = 0; i < sized.length; i += perRow) {
    const row = sized.slice(i, i + perRow);
    width = Math.max(
      width,
      2 * M.pad + row.reduce((a, n) => a + n.w, 0) + (row.length - 1) * M.nodeGap,
    );
  }
  width = Math.max(width, 2 * M.pad + externalNetns.length * (M.extWidth + M.extGap) - M.extGap);
  const band = serviceBand(
    (reference.api?.services ?? []).map((s) => `${s.metadata.namespace}/${s.metadata.name}`),
    width,
    bandScale(width, slots.length),
  );
  const nodes: NodeGeometry[] = [];
  const buses: { y: number; x1: number; x2: number }[] = [];
  const drops: Point[][] = [];
  const onBus = new Map<string, Point>();
  let y = band ? band.y + band.h + M.busGap : M.pad;
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
    y = busY + M.busGap;
  }
  // Outside machines hang below the last bus, centred on it, their eth0 on top, cabled up to it.
  const externals: ExternalGeometry[] = [];
  const lastBus = buses[buses.length - 1];
  if (lastBus && externalNetns.length) {
    const total = externalNetns.length * (M.extWidth + M.extGap) - M.extGap;
    const left = Math.max(M.pad, (lastBus.x1 + lastBus.x2) / 2 - total / 2);
    externalNetns.forEach((ns, i) => {
      const x = left + i * (M.extWidth + M.extGap);
      const eth = ns.ifaces.find((f) => f.kind === 'ethernet');
      const chip = eth && {
        iface: eth,
        x: x + (M.extWidth - M.chipWidth) / 2,
        y: y + 14,
        w: M.chipWidth,
        h: M.chipHeight,
      };
      externals.push({ netns: ns, x, y, w: M.extWidth, h: M.extHeight, ...(chip ? { chip } : {}) });
      const ux = x + M.extWidth / 2;
      drops.push([
        { x: ux, y },
        { x: ux, y: lastBus.y },
      ]);
      onBus.set(ns.id, { x: ux, y: lastBus.y });
    });
    const xs = externals.map((e) => e.x + e.w / 2);
    buses[buses.length - 1] = {
      y: lastBus.y,
      x1: Math.min(lastBus.x1, ...xs),
      x2: Math.max(lastBus.x2, ...xs),
    };
    y += M.extHeight + M.busGap;
  }
  const nodeOf = new Map<string, string>();
  for (const n of nodes) {
    if (n.host) nodeOf.set(n.host.id, n.node.name);
    for (const p of n.pods) nodeOf.set(p.netns, n.node.name);
  }
  // An outside machine is its own "node" for the step's highlights.
  for (const e of externals) nodeOf.set(e.netns.id, e.netns.id);
  const switches = netns.filter((n) => n.kind === 'network').map((n) => n.id);
  const height = y - M.busGap + 12;
  return { nodes, band, externals, buses, drops, onBus, switches, nodeOf, width, height };
}

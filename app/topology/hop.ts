/**
 * The packet's journey for one step, as polylines through the layout: the
 * veth cable between a pod's eth0 and its host end, the bridge between two
 * ports, every other port for a flood. Pure: (layout, step) → paths.
 */
import type { Place, Protocol, Step } from '@kubewire/sim-core';
import type { Point, Rect } from './geometry.ts';
import { anchorKey } from './layout.ts';
import type { ChipLayout, NodeLayout, TopologyLayout } from './layoutAt.ts';
import { M } from './metrics.ts';
import { hookBadgeWidth } from './HookBadge.tsx';
import { badgeOf, badgeWidth, type Badge } from './badge.ts';

export interface Hop {
  /** One path per copy of the frame; a single point when the step does not move. */
  readonly paths: readonly (readonly Point[])[];
  readonly protocol: Protocol | null;
  /** What the frame is, read from its bytes (ARP req, TCP SYN-ACK…); null with no frame. */
  readonly badge: Badge | null;
  /** The frame is a tunnel packet (VXLAN) carrying the protocol above. */
  readonly encapsulated: boolean;
  /** The step puts the tunnel's envelope on (encap) or takes it off (decap). */
  readonly wrap: 'gain' | 'lose' | null;
  /**
   * A step that does not move (an action, a hook, a pod's setup) at a drawn thing: that
   * thing's box, outlined, so the mark surrounds its labels instead of crossing them.
   */
  readonly focus: Rect | null;
}

const wrapOf = (step: Step): Hop['wrap'] =>
  step.kind === 'encap' && step.before ? 'gain' : step.kind === 'decap' ? 'lose' : null;

export function anchorOf(layout: TopologyLayout, place: Place): Point | undefined {
  return (
    layout.anchors.get(anchorKey(place.netns, place.iface)) ??
    layout.anchors.get(anchorKey(place.netns))
  );
}

/**
 * The step's badge: from its frame, and at a decap (whose frame is the inner one) the
 * envelope's label from the outer frame it came in.
 */
export function badgeOfStep(step: Step): Badge | null {
  if (!step.frame) return null;
  const badge = badgeOf(step.frame);
  if (badge.outer || !step.before) return badge;
  return { label: badge.label, outer: badgeOf(step.before).outer };
}

/** The innermost protocol carried (ARP, ICMP, TCP…), for the glyph's colour and label. */
export function protocolOf(step: Step): Protocol | null {
  const layers = step.layers?.filter((l) => l.protocol !== 'data' && l.protocol !== 'eth') ?? [];
  return layers.length ? layers[layers.length - 1].protocol : step.frame ? 'eth' : null;
}

const hostNode = (layout: TopologyLayout, netns: string): NodeLayout | undefined =>
  layout.nodes.find((n) => n.hostNetns?.id === netns);

/** Across a bridge: down from one port into the bar, along it, up to the other. */
function viaBridge(node: NodeLayout, a: Point, b: Point): Point[] {
  if (!node.bridge) return [a, b];
  // Along the bar's upper edge, above its label.
  const mid = node.bridge.y + 15;
  return [a, { x: a.x, y: mid }, { x: b.x, y: mid }, b];
}

function vethCable(layout: TopologyLayout, from: Place, to: Place): Point[] | undefined {
  for (const n of layout.nodes) {
    for (const p of n.pods) {
      const host = p.hostVeth?.name;
      if (from.netns === p.netns && to.iface === host) return [...p.cable];
      if (to.netns === p.netns && from.iface === host) return [...p.cable].reverse();
    }
  }
  return undefined;
}

/**
 * A flood: sim-core puts it at the bridge with every egress in `fanout` —
 * each port it leaves by (the ingress port too when hairpin mode is on, as
 * flannel's bridge config sets it) and the bridge device itself when a copy
 * goes up to the host's own stack.
 */
function flood(layout: TopologyLayout, step: Step): Point[][] {
  const targets = step.fanout ?? [];
  const node = hostNode(layout, step.place.netns);
  const origin = step.from && anchorOf(layout, step.from);
  if (!node?.bridge) {
    // No drawn bridge (the node network's switch): straight lines to each egress.
    if (!origin) return [];
    return targets.flatMap((t) => {
      const to = anchorOf(layout, t);
      return to ? [[origin, to]] : [];
    });
  }
  const { bridge } = node;
  const ingressName = step.from?.netns === step.place.netns ? step.from.iface : undefined;
  const ingress = bridge.ports.find((p) => p.name === ingressName);
  const start = ingress?.at ?? origin ?? { x: bridge.x + bridge.w / 2, y: bridge.y };
  const lane = bridge.y + 15;
  // The host's own copy goes up into its IP stack, drawn just below the bar.
  const up = { x: bridge.x + bridge.w / 2, y: bridge.y + bridge.h + 16 };
  return targets.flatMap((t): Point[][] => {
    if (t.iface === step.place.iface)
      return [[...viaBridge(node, start, { x: up.x, y: bridge.y }).slice(0, 3), up]];
    const port = bridge.ports.find((p) => p.name === t.iface);
    if (!port) return [];
    return [
      t.iface === ingressName
        ? [start, { x: start.x, y: lane }, start]
        : viaBridge(node, start, port.at),
    ];
  });
}

/**
 * Where a packet that does not move rests. On a bridge bar it sits on the bar's upper edge,
 * clear of the bar's name, address and MAC below (a long badge like "TCP SYN-ACK" would
 * reach them at the lane's height); elsewhere at the place's anchor.
 */
function restingAt(layout: TopologyLayout, place: Place, at: Point): Point {
  const node = hostNode(layout, place.netns);
  if (!node?.bridge || placeBox(layout, place) !== node.bridge) return at;
  return { x: at.x, y: node.bridge.y + M.bridgeRest };
}

/** The box drawn for a place: a pod's card, a host's bridge bar or interface chip. */
export function placeBox(layout: TopologyLayout, place: Place): Rect | null {
  for (const n of layout.nodes) {
    const pod = n.pods.find((p) => p.netns === place.netns);
    if (pod) return !place.iface || place.iface === 'lo' ? pod : null;
    if (n.hostNetns?.id !== place.netns) continue;
    const chip = n.chips.find((c) => c.iface.name === place.iface);
    if (chip) return chip;
    return n.bridge && (!place.iface || place.iface === n.bridge.iface.name) ? n.bridge : null;
  }
  return null;
}

export function hopOf(layout: TopologyLayout, step: Step | undefined): Hop {
  if (!step)
    return { paths: [], protocol: null, badge: null, encapsulated: false, wrap: null, focus: null };
  const hop = (paths: readonly (readonly Point[])[]): Hop => ({
    paths,
    protocol: protocolOf(step),
    badge: badgeOfStep(step),
    encapsulated: !!step.layers?.some((l) => l.protocol === 'vxlan'),
    wrap: wrapOf(step),
    focus: paths.length === 1 && paths[0].length === 1 ? placeBox(layout, step.place) : null,
  });
  if (step.kind === 'flood') {
    const paths = flood(layout, step);
    if (paths.length) return hop(paths);
  }
  const to = anchorOf(layout, step.place);
  if (!to) return hop([]);
  const from = step.from && anchorOf(layout, step.from);
  if (!step.from || !from) return hop([[restingAt(layout, step.place, to)]]);
  const cable = vethCable(layout, step.from, step.place);
  if (cable) return hop([cable]);
  const node =
    step.from.netns === step.place.netns ? hostNode(layout, step.place.netns) : undefined;
  // Only a hop that enters or leaves the bridge runs along it; flannel.1 → eth0 goes straight.
  const onBridge = (iface?: string) =>
    !!node?.bridge &&
    (iface === node.bridge.iface.name || node.bridge.ports.some((p) => p.name === iface));
  const alongBridge = node && (onBridge(step.from.iface) || onBridge(step.place.iface));
  return hop([alongBridge ? viaBridge(node, from, to) : [from, to]]);
}

/**
 * Where a hook's badge goes so that it covers no label: on a bridge, in the gap under the
 * bar (the bar's label runs along it, the veth names above it); beside a packet resting
 * under a chip; elsewhere above the packet's focus, or on the place when nothing is there.
 */
export function hookPlace(
  layout: TopologyLayout,
  step: Step,
  label: string,
): { at: Point; lifted: boolean } | undefined {
  const at = anchorOf(layout, step.place);
  if (!at) return undefined;
  const box = placeBox(layout, step.place);
  const node = hostNode(layout, step.place.netns);
  if (box && node?.bridge === box)
    return { at: { x: at.x, y: box.y + box.h + M.belowBridge / 2 }, lifted: false };
  if (box && node?.chips.includes(box as ChipLayout) && step.frame) {
    const badge = badgeOfStep(step);
    const glyph = badge ? badgeWidth(badge.label) : 0;
    return { at: { x: at.x - glyph / 2 - 10 - hookBadgeWidth(label) / 2, y: at.y }, lifted: false };
  }
  return { at, lifted: !!step.frame };
}

/** The region a hop covers, grown to at least `min` around its centre so its surroundings show. */
export function hopRegion(hop: Hop, min: { w: number; h: number }): Rect | null {
  const points = hop.paths.flat();
  if (!points.length) return null;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const w = Math.max(min.w, (x1 - x0) * 1.2);
  const h = Math.max(min.h, (y1 - y0) * 1.2);
  return { x: (x0 + x1) / 2 - w / 2, y: (y0 + y1) / 2 - h / 2, w, h };
}

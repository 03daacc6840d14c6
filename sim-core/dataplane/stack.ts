/**
 * The simulated kernels: every network namespace runs the same receive and
 * transmit code, the way Linux does. A frame arrives on an interface; a
 * bridge port hands it to the bridge; otherwise the namespace's L2 accepts
 * frames for its MAC or broadcast and passes ARP and IPv4 up. Each decision
 * that a student should see becomes a Step.
 */
import type { Iface, Netns, Place, TableRef } from '../model.ts';
import type { EventQueue } from '../engine/queue.ts';
import type { Rng } from '../engine/rng.ts';
import { isMulticastMac, MAC_BROADCAST } from '../net/mac.ts';
import { bridgeInput, bridgeOutput } from './bridge.ts';
import { arpInput, ipInput } from './ip.ts';
import { parseFrame } from './frames.ts';
import type { Transport } from './transport.ts';
import { vxlanXmit } from './vxlan.ts';
import type { World } from './world.ts';

/** Simulated latencies (µs): small and fixed, so traces are readable and deterministic. */
export const LINK_DELAY_US = 2;
export const KERNEL_DELAY_US = 3;

export type Event =
  | {
      readonly type: 'rx';
      readonly netns: string;
      readonly iface: string;
      readonly frame: Uint8Array;
    }
  | { readonly type: 'run'; readonly fn: () => void };

export interface Dataplane {
  readonly world: World;
  readonly queue: EventQueue<Event>;
  readonly rng: Rng;
  readonly transport: Transport;
  /** Pending packets per netns+neighbour, waiting for ARP to resolve. */
  readonly arpQueue: Map<
    string,
    { dev: string; packet: Uint8Array; why: string; ingress: Place | undefined }[]
  >;
  /**
   * While a node forwards a packet: the device it came in on. Output steps
   * that have no link of their own to start from (out of cni0, into
   * flannel.1) start the hop there, so the packet visibly crosses the node.
   */
  ingress: Place | undefined;
  /** Per-boot seed of the kernel's flow hash (VXLAN source ports). */
  readonly vxlanSeed: number;
  /** The IP ID for a packet a node sends without a socket counter of its own (VXLAN outer headers). */
  nextIpId(netnsId: string): number;
  /** Human name of a netns for explanations ("pod default/client", "node node-1"). */
  label(netns: string): string;
  at(delayUs: number, fn: () => void): void;
}

export function iface(ns: Netns, name: string): Iface {
  const i = ns.ifaces.find((x) => x.name === name);
  if (!i) throw new Error(`${ns.id} has no interface ${name}`);
  return i;
}

export function place(ns: Netns, ifaceName?: string): Place {
  return ifaceName
    ? { node: ns.node, netns: ns.id, iface: ifaceName }
    : { node: ns.node, netns: ns.id };
}

/** Puts a frame on the wire from `ifaceName`: across a veth to its peer, or out of a bridge. */
export function linkXmit(
  dp: Dataplane,
  netnsId: string,
  ifaceName: string,
  frame: Uint8Array,
  explanation: string,
  touched: readonly TableRef[] = [],
  origin = true,
): void {
  const ns = dp.world.netns(netnsId);
  const dev = iface(ns, ifaceName);
  if (dev.kind === 'bridge') {
    bridgeOutput(dp, netnsId, dev.name, frame, explanation, touched);
    return;
  }
  if (dev.kind === 'vxlan') {
    vxlanXmit(dp, netnsId, dev.name, frame, explanation, touched);
    return;
  }
  if ((dev.kind === 'veth' || dev.kind === 'ethernet') && dev.peer) {
    const peerNs = dp.world.netns(dev.peer.netns);
    dp.world.record({
      kind: 'transmit',
      from: place(ns, dev.name),
      place: place(peerNs, dev.peer.iface),
      frame,
      captured: origin,
      summary: '',
      explanation,
      touched,
    });
    const { netns, iface: peerIface } = dev.peer;
    dp.queue.push(dp.world.timeUs + LINK_DELAY_US, { type: 'rx', netns, iface: peerIface, frame });
    return;
  }
  dp.world.record({
    kind: 'error',
    place: place(ns, dev.name),
    frame,
    summary: `${dev.name}: no link`,
    explanation: `${dev.name} in ${dp.label(netnsId)} is not connected to anything, so the frame is lost.`,
  });
}

/** A frame arrives on an interface: bridge port, or this namespace's own L2. */
export function receive(
  dp: Dataplane,
  netnsId: string,
  ifaceName: string,
  frame: Uint8Array,
): void {
  const ns = dp.world.netns(netnsId);
  const dev = iface(ns, ifaceName);
  if (dev.master) {
    bridgeInput(dp, netnsId, dev.master, dev.name, frame);
    return;
  }
  const parsed = parseFrame(frame);
  const dst = parsed.eth.dst;
  // Not for us (another unicast MAC): a NIC not in promiscuous mode drops it silently.
  if (dst !== dev.mac && dst !== MAC_BROADCAST && !isMulticastMac(dst)) return;
  if (parsed.arp) arpInput(dp, netnsId, dev.name, parsed.arp, frame);
  else if (parsed.ip && parsed.ipBytes) ipInput(dp, netnsId, dev.name, parsed.ipBytes, frame);
}

export function runEvents(dp: Dataplane, untilUs = Infinity): void {
  for (;;) {
    const next = dp.queue.pop();
    if (!next) return;
    if (next.timeUs > untilUs) {
      dp.queue.push(next.timeUs, next.event);
      return;
    }
    dp.world.timeUs = Math.max(dp.world.timeUs, next.timeUs);
    const e = next.event;
    if (e.type === 'rx') receive(dp, e.netns, e.iface, e.frame);
    else e.fn();
  }
}

/**
 * The Linux bridge (cni0, and the node network's switch) as Linux stages it
 * (net/bridge/br_input.c, br_forward.c, br_device.c):
 *
 *   port rx → learn → [br_netfilter PREROUTING] → FDB decision
 *           → local (the bridge's own MAC): up to the node's IP stack
 *           → one port: [FORWARD] → [POSTROUTING] → port xmit
 *           → flood (broadcast, multicast, unknown unicast)
 *
 * A frame never goes back out the port it came in on unless that port has
 * hairpin mode on. Broadcasts are also passed up to the bridge device. The
 * bracketed stages run only with net.bridge.bridge-nf-call-iptables = 1,
 * in br-netfilter.ts.
 */
import type { Netns, Place } from '../model.ts';
import { isMulticastMac, MAC_BROADCAST } from '../net/mac.ts';
import { parseEthernet } from '../wire/ethernet.ts';
import { bridgePorts, fdbLearn, fdbLookup } from './fdb.ts';
import type { Dataplane, Driver, Skb, XmitFacts } from './types.ts';
import { iface, KERNEL_DELAY_US, place } from './types.ts';
import { brNfApplies, brNfForward, brNfPreRouting, restoreBridgedDnat } from './br-netfilter.ts';

/** Whether a capture holds this bridge in promiscuous mode: it then sees frames bridged port to port. */
export function promisc(ns: Netns, bridge: string): boolean {
  return ns.promiscuous?.includes(bridge) ?? false;
}

export function portLabel(dp: Dataplane, ns: Netns, port: string): string {
  const dev = iface(ns, port);
  return dev.peer ? `${port} (${dp.label(dev.peer.netns)})` : port;
}

/**
 * br_pass_frame_up: the node's IP stack receives the frame on the bridge
 * device. A packet br_netfilter already took through PREROUTING continues at
 * the routing decision (ip_sabotage_in: PREROUTING does not run twice).
 */
function deliverLocal(
  dp: Dataplane,
  netnsId: string,
  bridge: string,
  frame: Uint8Array,
  skb?: Skb,
): void {
  if (skb) {
    skb.inDev = bridge;
    dp.at(KERNEL_DELAY_US, () => dp.ops.ipRcvFinish(dp, skb));
    return;
  }
  dp.queue.push(dp.world.timeUs + KERNEL_DELAY_US, {
    type: 'rx',
    netns: netnsId,
    iface: bridge,
    frame,
  });
}

/** Port xmit: the frame leaves on each port, as forwarded (not a new capture). */
export function egress(
  dp: Dataplane,
  netnsId: string,
  bridge: string,
  ports: readonly string[],
  frame: Uint8Array,
  origin = false,
): void {
  for (const p of ports) {
    const ns = dp.world.netns(netnsId);
    const dev = iface(ns, p);
    const to = dev.peer ? dp.label(dev.peer.netns) : p;
    dp.ops.devQueueXmit(dp, netnsId, p, frame, {
      fact: { type: 'bridge.egress', bridge, port: p, veth: dev.kind === 'veth', to },
      touched: [],
      origin,
    });
  }
}

/**
 * Flooding: one step at the bridge, `from` the ingress port (or wherever the
 * node's own frame came from), with every egress in `fanout` — the ports,
 * the ingress port itself when hairpin is on, and the bridge device when a
 * copy goes up to the node's stack.
 */
function flood(
  dp: Dataplane,
  netnsId: string,
  bridge: string,
  ingress: string | undefined,
  frame: Uint8Array,
  reason: 'broadcast' | 'multicast' | 'unknown',
  local: boolean,
  origin?: XmitFacts,
): void {
  const ns = dp.world.netns(netnsId);
  const ports = bridgePorts(ns, bridge).filter((p) => p !== ingress || iface(ns, p).hairpin);
  // A copy goes up only to a bridge with a stack above it (cni0), not the physical switch.
  const up = local && ingress !== undefined && ns.kind !== 'network';
  const fanout: Place[] = [...ports.map((p) => place(ns, p)), ...(up ? [place(ns, bridge)] : [])];
  const hairpin = ingress !== undefined && iface(ns, ingress).hairpin;
  const from = ingress !== undefined ? place(ns, ingress) : (origin?.from ?? place(ns, bridge));
  dp.world.record({
    kind: 'flood',
    from,
    place: place(ns, bridge),
    fanout,
    frame,
    ...(origin ? { captured: true } : {}),
    seenAt:
      origin || up || promisc(ns, bridge)
        ? [{ netns: netnsId, iface: bridge, direction: origin ? 'out' : 'in' }]
        : [],
    summary: '',
    facts: {
      type: 'bridge.flood',
      bridge,
      reason,
      fromNode: ingress === undefined,
      mac: parseEthernet(frame).repr.dst,
      ports: ports.map((p) => portLabel(dp, ns, p)),
      ...(ingress !== undefined && !hairpin ? { notBack: ingress } : {}),
      ...(ingress !== undefined && hairpin ? { hairpin: ingress } : {}),
      up,
      ...(origin ? { sent: origin.fact } : {}),
    },
    touched: origin?.touched ?? [],
  });
  if (up) deliverLocal(dp, netnsId, bridge, frame);
  egress(dp, netnsId, bridge, ports, frame);
}

/** br_handle_frame: a frame enters the bridge on port `ingress`. */
export function bridgeInput(
  dp: Dataplane,
  netnsId: string,
  bridge: string,
  ingress: string,
  frame: Uint8Array,
): void {
  const { repr: eth } = parseEthernet(frame);
  const learned = fdbLearn(dp.world.netns(netnsId), bridge, ingress, eth.src, dp.world.timeUs);
  dp.world.setNetns(learned.ns);
  const ns = learned.ns;
  if (learned.result === 'new' || learned.result === 'moved') {
    dp.world.record({
      kind: 'fdb-learn',
      place: place(ns, bridge),
      from: place(ns, ingress),
      frame,
      summary: `${bridge} learns ${eth.src} on ${ingress}`,
      facts: {
        type: 'bridge.learn',
        bridge,
        mac: eth.src,
        port: portLabel(dp, ns, ingress),
        moved: learned.result === 'moved',
      },
    });
  }
  if (brNfApplies(dp, ns, frame)) {
    brNfPreRouting(dp, netnsId, bridge, ingress, frame);
    return;
  }
  bridgeHandleFrameFinish(dp, netnsId, bridge, ingress, frame);
}

/** br_handle_frame_finish: the FDB decision. `skb` is set when br_netfilter has the packet. */
export function bridgeHandleFrameFinish(
  dp: Dataplane,
  netnsId: string,
  bridge: string,
  ingress: string,
  frame: Uint8Array,
  skb?: Skb,
): void {
  const ns = dp.world.netns(netnsId);
  const { repr: eth } = parseEthernet(frame);
  if (eth.dst === MAC_BROADCAST || isMulticastMac(eth.dst)) {
    flood(
      dp,
      netnsId,
      bridge,
      ingress,
      frame,
      eth.dst === MAC_BROADCAST ? 'broadcast' : 'multicast',
      true,
    );
    return;
  }
  const entry = fdbLookup(ns, bridge, eth.dst);
  if (!entry) {
    flood(dp, netnsId, bridge, ingress, frame, 'unknown', false);
    return;
  }
  const touched = [
    { table: 'fdb' as const, netns: netnsId, key: eth.dst, change: 'read' as const },
  ];
  if (entry.port === bridge) {
    dp.world.record({
      kind: 'fdb-forward',
      from: place(ns, ingress),
      place: place(ns, bridge),
      frame,
      seenAt: [{ netns: netnsId, iface: bridge, direction: 'in' }],
      summary: `${bridge} → local stack`,
      facts: { type: 'bridge.local', bridge, mac: eth.dst },
      touched,
    });
    deliverLocal(dp, netnsId, bridge, frame, skb);
    return;
  }
  if (entry.port === ingress && !iface(ns, ingress).hairpin) {
    dp.world.record({
      kind: 'error',
      place: place(ns, ingress),
      frame,
      summary: `${bridge} drops: destination is behind the ingress port`,
      facts: { type: 'bridge.hairpin-drop', bridge, mac: eth.dst, port: ingress },
      touched,
    });
    return;
  }
  dp.world.record({
    kind: 'fdb-forward',
    from: place(ns, ingress),
    place: place(ns, entry.port),
    frame,
    ...(promisc(ns, bridge)
      ? { seenAt: [{ netns: netnsId, iface: bridge, direction: 'in' as const }] }
      : {}),
    summary: `${bridge} forwards ${ingress} → ${entry.port}`,
    facts: { type: 'bridge.forward', bridge, mac: eth.dst, port: portLabel(dp, ns, entry.port) },
    touched,
  });
  if (!skb) {
    egress(dp, netnsId, bridge, [entry.port], frame);
    return;
  }
  // A promiscuous bridge also passes every frame it forwards up to its own device
  // (br_handle_frame_finish: local_rcv). A frame that came in addressed to the bridge
  // (PACKET_HOST, say to a ClusterIP via the gateway) is then routed by the node too, and
  // br_netfilter's bridged DNAT reaches the endpoint twice (linux-reference §4d).
  const host = skb.frame && parseEthernet(skb.frame).repr.dst === iface(ns, bridge).mac;
  const copy = promisc(ns, bridge) && host ? passUpCopy(skb, bridge) : undefined;
  brNfForward(dp, netnsId, bridge, entry.port, frame, skb);
  // br_pass_frame_up runs in the same softirq, right after the forward.
  if (copy) dp.ops.ipRcvFinish(dp, copy);
}

/** The copy br_pass_frame_up hands the node's IP stack: same packet, same conntrack entry, no bridge info. */
function passUpCopy(skb: Skb, bridge: string): Skb {
  const { bridged: _b, physIn: _pi, physOut: _po, outDev: _o, ...rest } = skb;
  const { why: _w, ...fresh } = rest;
  return { ...fresh, inDev: bridge, touched: [] };
}

/** br_dev_xmit: the host sends on the bridge device itself (e.g. cni0 answering ARP for the gateway). */
function bridgeDevXmit(
  dp: Dataplane,
  netnsId: string,
  dev: { name: string },
  frame: Uint8Array,
  facts: XmitFacts,
): void {
  const bridge = dev.name;
  if (facts.skb?.bridged?.dnat) {
    restoreBridgedDnat(dp, netnsId, bridge, frame, facts);
    return;
  }
  const ns = dp.world.netns(netnsId);
  const { repr: eth } = parseEthernet(frame);
  const entry = isMulticastMac(eth.dst) ? undefined : fdbLookup(ns, bridge, eth.dst);
  if (!entry) {
    const reason = eth.dst === MAC_BROADCAST ? 'broadcast' : 'unknown';
    flood(dp, netnsId, bridge, undefined, frame, reason, false, facts);
    return;
  }
  dp.world.record({
    kind: 'transmit',
    from: facts.from ?? place(ns, bridge),
    place: place(ns, entry.port),
    frame,
    captured: true,
    seenAt: [{ netns: netnsId, iface: bridge, direction: 'out' }],
    summary: '',
    facts: { type: 'bridge.dev-xmit', bridge, mac: eth.dst, port: entry.port, sent: facts.fact },
    touched: [...facts.touched, { table: 'fdb', netns: netnsId, key: eth.dst, change: 'read' }],
  });
  egress(dp, netnsId, bridge, [entry.port], frame);
}

export const bridgeDriver: Driver = { xmit: bridgeDevXmit };

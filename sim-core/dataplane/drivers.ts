/**
 * Device drivers by kind (ndo_start_xmit): a veth or a cable hands the frame
 * to its peer, lo loops it back into its own namespace, a bridge device
 * floods or forwards it by its FDB (br_dev_xmit, in bridge.ts), a VXLAN
 * device encapsulates it (vxlan.ts), and a dummy device swallows it.
 */
import type { Iface } from '../model.ts';
import type { Dataplane, Driver, XmitFacts } from './types.ts';
import { LINK_DELAY_US, place } from './types.ts';
import { parseFrame } from './frames.ts';

/** veth_xmit, and a cable between a node's eth0 and the switch: the frame arrives at the peer. */
function peerXmit(
  dp: Dataplane,
  netnsId: string,
  dev: Iface,
  frame: Uint8Array,
  facts: XmitFacts,
): void {
  const ns = dp.world.netns(netnsId);
  if (!dev.peer) {
    dp.world.record({
      kind: 'error',
      place: place(ns, dev.name),
      frame,
      summary: `${dev.name}: no link`,
      facts: { type: 'dev.no-link', dev: dev.name, who: dp.label(netnsId) },
    });
    return;
  }
  const peerNs = dp.world.netns(dev.peer.netns);
  // A node that is off sends nothing: frames of its own namespaces go nowhere.
  if ((ns.kind === 'host' || ns.kind === 'pod') && nodeDown(dp, ns.node)) return;
  dp.world.record({
    kind: 'transmit',
    from: facts.from ?? place(ns, dev.name),
    place: place(peerNs, dev.peer.iface),
    frame,
    captured: facts.origin,
    seenAt: [
      { netns: netnsId, iface: dev.name, direction: 'out' },
      { netns: dev.peer.netns, iface: dev.peer.iface, direction: 'in' },
    ],
    summary: '',
    facts: facts.fact,
    touched: facts.touched,
  });
  const { netns, iface: peerIface } = dev.peer;
  if (peerNs.kind === 'host' && nodeDown(dp, peerNs.node))
    return lostAtDeadNode(dp, peerNs.node, peerIface, frame);
  dp.queue.push(dp.world.timeUs + LINK_DELAY_US, { type: 'rx', netns, iface: peerIface, frame });
}

const nodeDown = (dp: Dataplane, node: string) =>
  dp.world.state.nodes.find((n) => n.name === node)?.down === true;

/** The cable reaches a node that is off: nothing receives the frame, nothing answers. */
function lostAtDeadNode(dp: Dataplane, node: string, iface: string, frame: Uint8Array): void {
  const parsed = parseFrame(frame);
  const ip = dp.world.node(node).ip;
  // A broadcast ARP for another address was not for this node: nothing is lost by its silence.
  if (parsed.arp && parsed.arp.targetProtocolAddr !== ip) return;
  const l4 = parsed.ip?.payload;
  const dport = parsed.ip?.repr.protocol === 17 && l4 && l4.length >= 4 ? (l4[2] << 8) | l4[3] : 0;
  // flannel and Cilium's 8472, Calico's 4789.
  const vxlan = dport === 8472 || dport === 4789;
  const what = parsed.arp ? 'arp' : vxlan ? 'vxlan' : parsed.ip ? 'ip' : 'other';
  const reason =
    what === 'arp'
      ? `${node} is down: the ARP request for ${parsed.arp!.targetProtocolAddr} reaches its eth0 and nothing answers, so the sender's neighbour entry goes INCOMPLETE and then FAILED`
      : what === 'vxlan'
        ? `${node} is down: the VXLAN packet to ${ip} leaves the sender and reaches ${node}'s eth0, where nothing receives it; no reply comes back`
        : `${node} is down: the frame reaches its eth0 and nothing receives it`;
  dp.world.record({
    kind: 'error',
    place: { node, netns: node, iface },
    frame,
    summary: `${node} is down: frame lost at ${iface}`,
    facts: {
      type: 'node.down-drop',
      node,
      ip,
      frame: dp.world.summaryOf(frame),
      what,
      reason,
    },
    touched: [],
  });
}

/** loopback_xmit: the frame (all-zero MACs) is received again on lo, in the same namespace. */
function loopbackXmit(
  dp: Dataplane,
  netnsId: string,
  dev: Iface,
  frame: Uint8Array,
  facts: XmitFacts,
): void {
  const ns = dp.world.netns(netnsId);
  dp.world.record({
    kind: 'transmit',
    place: place(ns, dev.name),
    from: place(ns, dev.name),
    frame,
    captured: true,
    seenAt: [{ netns: netnsId, iface: dev.name, direction: 'out' }],
    summary: '',
    facts: facts.fact,
    touched: facts.touched,
  });
  dp.queue.push(dp.world.timeUs + LINK_DELAY_US, {
    type: 'rx',
    netns: netnsId,
    iface: dev.name,
    frame,
  });
}

export function createDrivers(
  bridge: Driver,
  vxlan: Driver,
  ipip: Driver,
): Record<Iface['kind'], Driver> {
  return {
    veth: { xmit: peerXmit },
    ethernet: { xmit: peerXmit },
    loopback: { xmit: loopbackXmit },
    bridge,
    vxlan,
    ipip,
    dummy: { xmit: () => undefined }, // dummy_xmit: counted and freed
  };
}

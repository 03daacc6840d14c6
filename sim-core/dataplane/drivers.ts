/**
 * Device drivers by kind (ndo_start_xmit): a veth or a cable hands the frame
 * to its peer, lo loops it back into its own namespace, a bridge device
 * floods or forwards it by its FDB (br_dev_xmit, in bridge.ts), a VXLAN
 * device encapsulates it (vxlan.ts), and a dummy device swallows it.
 */
import type { Iface } from '../model.ts';
import type { Dataplane, Driver, XmitFacts } from './types.ts';
import { LINK_DELAY_US, place } from './types.ts';

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
  dp.queue.push(dp.world.timeUs + LINK_DELAY_US, { type: 'rx', netns, iface: peerIface, frame });
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

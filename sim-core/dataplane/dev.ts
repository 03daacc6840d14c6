/**
 * The device layer (net/core/dev.c): netif_receive_skb hands a frame to the
 * bridge when the device is a bridge port (its rx_handler), else to the
 * namespace's own L2, which accepts frames for its MAC, broadcast and
 * multicast and passes ARP and IPv4 up. dev_queue_xmit runs tc egress and
 * then the driver of the device's kind. tc ingress runs first on receive.
 */
import { isMulticastMac, MAC_BROADCAST } from '../net/mac.ts';
import { parseFrame } from './frames.ts';
import type { Dataplane, TunnelKey, XmitFacts } from './types.ts';
import { iface } from './types.ts';
import { arpRcv } from './arp.ts';

export function netifReceive(
  dp: Dataplane,
  netnsId: string,
  devName: string,
  frame: Uint8Array,
  tunnel?: TunnelKey,
): void {
  const ns = dp.world.netns(netnsId);
  const dev = iface(ns, devName);
  const tc = dp.tc(netnsId, devName)?.ingress;
  if (tc && tc(dp, netnsId, devName, frame, tunnel) !== 'ok') return;
  if (dev.master) {
    dp.ops.bridgeInput(dp, netnsId, dev.master, dev.name, frame);
    return;
  }
  const parsed = parseFrame(frame);
  const dst = parsed.eth.dst;
  // Not for us (another unicast MAC): a NIC not in promiscuous mode drops it silently.
  if (dst !== dev.mac && dst !== MAC_BROADCAST && !isMulticastMac(dst)) return;
  if (parsed.arp) arpRcv(dp, netnsId, dev.name, parsed.arp, frame);
  else if (parsed.ip && parsed.ipBytes) dp.ops.ipRcv(dp, netnsId, dev.name, parsed.ipBytes, frame);
}

export function devQueueXmit(
  dp: Dataplane,
  netnsId: string,
  devName: string,
  frame: Uint8Array,
  facts: XmitFacts,
): void {
  const dev = iface(dp.world.netns(netnsId), devName);
  const tc = dp.tc(netnsId, devName)?.egress;
  if (tc && tc(dp, netnsId, devName, frame) !== 'ok') return;
  dp.drivers[dev.kind].xmit(dp, netnsId, dev, frame, facts);
}

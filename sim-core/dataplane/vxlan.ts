/**
 * A Linux VXLAN device as flannel creates it (`ip link add flannel.1 type
 * vxlan id 1 local <node ip> dev eth0 dstport 8472 nolearning`): its driver
 * wraps the inner frame in VXLAN/UDP/IPv4 toward the remote VTEP its fdb
 * names and sends it like any UDP datagram; on receive it is a UDP tunnel
 * socket's encap_rcv (udp.ts hands it datagrams for port 8472), which
 * unwraps the frame and receives it on flannel.1.
 *
 * Outer header facts (linux-reference §2): TTL 64, DF=0, DSCP 0, an IP ID
 * counter per sending node, UDP checksum on, source port a flow hash scaled
 * into 32768–60999 — symmetric over the addresses for ICMP, one per
 * direction for TCP (the hash comes from each socket).
 */
import type { Iface } from '../model.ts';
import { IP_PROTO_TCP, IP_PROTO_UDP, parseIpv4 } from '../wire/ipv4.ts';
import { parseEthernet } from '../wire/ethernet.ts';
import { emitUdp } from '../wire/udp.ts';
import { emitVxlan, parseVxlan, VXLAN_FLAG_I } from '../wire/vxlan.ts';
import { ipToNumber } from '../net/cidr.ts';
import { ipPacket } from './frames.ts';
import { newSkb } from './skb.ts';
import type { Dataplane, Driver, Skb, XmitFacts } from './types.ts';
import { iface, place } from './types.ts';
import { ipRepr } from './ip-repr.ts';

export const VXLAN_DST_PORT = 8472;
const PORT_MIN = 32768;
const PORT_MAX = 61000; // udp_flow_src_port scales into [min, max)

function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x9e3779b1);
  return (h ^ (h >>> 15)) >>> 0;
}

/** udp_flow_src_port: hash of the inner flow, scaled as ((hash * (max − min)) >> 32) + min. */
export function flowSourcePort(inner: Uint8Array, seed: number): number {
  const ip = parseIpv4(parseEthernet(inner).payload);
  const a = ipToNumber(ip.repr.srcAddr);
  const b = ipToNumber(ip.repr.dstAddr);
  let h = mix(seed, ip.repr.protocol);
  if (ip.repr.protocol === IP_PROTO_TCP || ip.repr.protocol === IP_PROTO_UDP) {
    // The socket's own hash: ordered, so each direction gets its own port.
    const ports =
      (ip.payload[0] << 24) | (ip.payload[1] << 16) | (ip.payload[2] << 8) | ip.payload[3];
    h = mix(mix(mix(h, a), b), ports >>> 0);
  } else {
    h = mix(mix(h, Math.min(a, b)), Math.max(a, b)); // symmetric: both directions share a port
  }
  return Math.floor((h * (PORT_MAX - PORT_MIN)) / 2 ** 32) + PORT_MIN;
}

/** vxlan_xmit: look the inner destination MAC up in the device's fdb, wrap, send. */
function vxlanXmit(
  dp: Dataplane,
  netnsId: string,
  dev: Iface,
  inner: Uint8Array,
  facts: XmitFacts,
): void {
  const ns = dp.world.netns(netnsId);
  const { repr: eth } = parseEthernet(inner);
  // A flow-based device (vxlan external) takes the remote from the packet's tunnel key, not its fdb.
  const entry = facts.tunnel
    ? { dst: facts.tunnel.remote }
    : ns.fdb.find((e) => e.port === dev.name && e.mac === eth.dst && e.dst);
  const local = iface(ns, 'eth0').ip!;
  if (!entry?.dst) {
    dp.world.record({
      kind: 'error',
      place: place(ns, dev.name),
      frame: inner,
      summary: `${dev.name}: no fdb entry for ${eth.dst}`,
      facts: { type: 'vxlan.no-fdb', sent: facts.fact, dev: dev.name, mac: eth.dst },
    });
    return;
  }
  const sport = flowSourcePort(inner, dp.vxlanSeed);
  // flannel's flannel.1 (VNI 1, port 8472) unless the device says otherwise (Calico's vxlan.calico).
  const vni = facts.tunnel?.vni ?? dev.vxlan?.vni ?? 1;
  const dport = dev.vxlan?.port ?? VXLAN_DST_PORT;
  const innerIp = parseIpv4(parseEthernet(inner).payload).repr;
  const udp = emitUdp(
    {
      srcPort: sport,
      dstPort: dport,
      payload: emitVxlan({ flags: VXLAN_FLAG_I, vni }, inner),
    },
    local,
    entry.dst,
  );
  const id = dp.ipIdent(netnsId, local, entry.dst, IP_PROTO_UDP);
  const outer = ipPacket(ipRepr(IP_PROTO_UDP, local, entry.dst, id, false), udp);
  // Two steps: the routing decision that hands the frame to flannel.1, then the wrapping.
  dp.world.record({
    kind: 'route',
    from: facts.from ?? place(ns, dev.name),
    place: place(ns, dev.name),
    frame: inner,
    seenAt: [{ netns: netnsId, iface: dev.name, direction: 'out' }],
    summary: `${dp.label(netnsId)} routes ${innerIp.srcAddr} → ${innerIp.dstAddr} into ${dev.name} (TTL ${innerIp.ttl})`,
    facts: facts.fact,
    touched: facts.touched,
  });
  const step = dp.world.record({
    kind: 'encap',
    from: place(ns, dev.name),
    place: place(ns, 'eth0'),
    // The inner frame for now: the outer Ethernet header is written by eth0's neighbour
    // output (after ARP if need be), which then amends this step to the outer frame.
    frame: inner,
    summary: `${dev.name}: VXLAN VNI ${vni} → ${entry.dst}:${dport}`,
    facts: {
      type: 'vxlan.encap',
      dev: dev.name,
      mac: eth.dst,
      remote: entry.dst,
      vni,
      sport,
      dport,
      local,
      ...(dev.vxlan ? { owner: dev.vxlan.external ? 'Cilium' : 'Calico' } : {}),
      ...(facts.tunnel ? { tunnelKey: true } : {}),
    },
    touched: facts.tunnel ? [] : [{ table: 'fdb', netns: netnsId, key: eth.dst, change: 'read' }],
  });
  const skb = newSkb(netnsId, outer, { type: 'vxlan.send', who: dp.label(netnsId) });
  dp.ops.ipLocalOut(dp, { ...skb, encap: { step: step.index, inner } });
}

export const vxlanDriver: Driver = { xmit: vxlanXmit };

/** vxlan_rcv, the tunnel socket's encap_rcv: strip the outer headers, receive the inner frame on the device. */
export function vxlanEncapRcv(
  dp: Dataplane,
  skb: Skb,
  devName: string,
  udpPayload: Uint8Array,
): void {
  const ns = dp.world.netns(skb.netns);
  const vx = parseVxlan(udpPayload);
  const inner = udpPayload.slice(8);
  dp.world.record({
    kind: 'decap',
    from: place(ns, skb.inDev),
    place: place(ns, devName),
    frame: inner,
    // The outer frame it arrived in, for the inspector's before and after.
    ...(skb.frame ? { before: skb.frame } : {}),
    seenAt: [{ netns: skb.netns, iface: devName, direction: 'in' }],
    summary: `${devName}: decapsulated from ${skb.ip.srcAddr}`,
    facts: {
      type: 'vxlan.decap',
      who: dp.label(skb.netns),
      dev: devName,
      port: iface(ns, devName).vxlan?.port ?? VXLAN_DST_PORT,
      vni: vx.repr.vni,
      from: skb.ip.srcAddr,
    },
  });
  // A flow-based device (external) hands the VNI and the sender up with the frame (collect_md).
  const external = iface(ns, devName).vxlan?.external;
  dp.ops.netifReceive(
    dp,
    skb.netns,
    devName,
    inner,
    external ? { vni: vx.repr.vni, remote: skb.ip.srcAddr } : undefined,
  );
}

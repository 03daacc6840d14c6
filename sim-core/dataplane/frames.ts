/**
 * Frame building and parsing for the data path, on top of wire/: the stack
 * works on real bytes and parses what it receives, so what the inspector and
 * the pcap show is exactly what the simulated kernel acted on.
 */
import { emitArp, parseArp, type ArpRepr } from '../wire/arp.ts';
import { emitEthernet, ETHERTYPE_ARP, ETHERTYPE_IPV4, parseEthernet } from '../wire/ethernet.ts';
import type { EthernetRepr } from '../wire/ethernet.ts';
import { emitIpv4, parseIpv4, type Ipv4Packet, type Ipv4Repr } from '../wire/ipv4.ts';
import { MAC_BROADCAST, MAC_ZERO } from '../net/mac.ts';

export interface ParsedFrame {
  readonly eth: EthernetRepr;
  readonly arp?: ArpRepr;
  /** The IPv4 packet (header + payload) as bytes, and parsed. */
  readonly ipBytes?: Uint8Array;
  readonly ip?: Ipv4Packet;
}

export function parseFrame(frame: Uint8Array): ParsedFrame {
  const { repr: eth, payload } = parseEthernet(frame);
  if (eth.ethertype === ETHERTYPE_ARP) return { eth, arp: parseArp(payload) };
  if (eth.ethertype === ETHERTYPE_IPV4) {
    const ip = parseIpv4(payload);
    return { eth, ip, ipBytes: payload.subarray(0, ip.totalLength) };
  }
  return { eth };
}

/** An ARP frame: the Ethernet destination is the target's MAC, or broadcast for a request. */
function arpFrame(
  operation: 1 | 2,
  srcMac: string,
  srcIp: string,
  targetMac: string,
  targetIp: string,
): Uint8Array {
  const dst = operation === 1 ? MAC_BROADCAST : targetMac;
  return emitEthernet(
    { dst, src: srcMac, ethertype: ETHERTYPE_ARP },
    emitArp({
      operation,
      sourceHardwareAddr: srcMac,
      sourceProtocolAddr: srcIp,
      targetHardwareAddr: targetMac,
      targetProtocolAddr: targetIp,
    }),
  );
}

/** Linux's request: broadcast, target MAC all zeros. */
export function arpRequestFrame(srcMac: string, srcIp: string, targetIp: string): Uint8Array {
  return arpFrame(1, srcMac, srcIp, MAC_ZERO, targetIp);
}

/** NUD's probe: a request sent unicast to the MAC the entry already has (target MAC zero, as Linux sends it). */
export function arpProbeFrame(
  srcMac: string,
  srcIp: string,
  dstMac: string,
  targetIp: string,
): Uint8Array {
  return emitEthernet(
    { dst: dstMac, src: srcMac, ethertype: ETHERTYPE_ARP },
    emitArp({
      operation: 1,
      sourceHardwareAddr: srcMac,
      sourceProtocolAddr: srcIp,
      targetHardwareAddr: MAC_ZERO,
      targetProtocolAddr: targetIp,
    }),
  );
}

/** The reply: unicast to the requester. */
export function arpReplyFrame(
  srcMac: string,
  srcIp: string,
  dstMac: string,
  dstIp: string,
): Uint8Array {
  return arpFrame(2, srcMac, srcIp, dstMac, dstIp);
}

export function ipPacket(repr: Ipv4Repr, payload: Uint8Array): Uint8Array {
  return emitIpv4(repr, payload);
}

export function ethernetIpFrame(src: string, dst: string, packet: Uint8Array): Uint8Array {
  return emitEthernet({ dst, src, ethertype: ETHERTYPE_IPV4 }, packet);
}

/** The frame again, around a (possibly rewritten) packet: the same MACs unless given. */
export function reframe(
  frame: Uint8Array,
  packet: Uint8Array,
  srcMac?: string,
  dstMac?: string,
): Uint8Array {
  const { repr: eth } = parseEthernet(frame);
  return ethernetIpFrame(srcMac ?? eth.src, dstMac ?? eth.dst, packet);
}

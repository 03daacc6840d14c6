/**
 * Which packet a frame carries, independent of the mode that carries it: the
 * innermost IPv4 packet (under VXLAN, Geneve or IP-in-IP) named by what no
 * hop rewrites — protocol, IP ID, length and the transport's own identity
 * (ICMP id/seq, TCP seq/ack/flags, UDP length and payload head). Addresses and
 * ports are left out: DNAT and SNAT rewrite them on the way.
 */
const ETH_HLEN = 14;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_ARP = 0x0806;
const IPPROTO_IPIP = 4;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_ICMP = 1;
/** flannel and Cilium's VXLAN port (the Linux default), and IANA's (Calico). */
const VXLAN_PORTS = new Set([8472, 4789]);
const GENEVE_PORT = 6081;
const VXLAN_HLEN = 8;

const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const hex = (b: Uint8Array, from: number, to: number) => {
  let s = '';
  for (let i = from; i < Math.min(to, b.length); i++) s += b[i].toString(16).padStart(2, '0');
  return s;
};

/** Offset of the innermost IPv4 header in an Ethernet frame, or -1 (ARP, not IPv4, truncated). */
export function innermostIpv4(frame: Uint8Array): number {
  if (frame.length < ETH_HLEN + 20 || u16(frame, 12) !== ETHERTYPE_IPV4) return -1;
  let off = ETH_HLEN;
  for (let depth = 0; depth < 4; depth++) {
    if (frame.length < off + 20 || frame[off] >> 4 !== 4) return -1;
    const ihl = (frame[off] & 0x0f) * 4;
    const proto = frame[off + 9];
    if (proto === IPPROTO_IPIP) {
      off += ihl;
      continue;
    }
    if (proto !== IPPROTO_UDP || frame.length < off + ihl + 8) return off;
    const udp = off + ihl;
    const dport = u16(frame, udp + 2);
    let inner = -1;
    if (VXLAN_PORTS.has(dport)) inner = udp + 8 + VXLAN_HLEN;
    else if (dport === GENEVE_PORT) inner = udp + 8 + 8 + (frame[udp + 8] & 0x3f) * 4;
    if (inner < 0 || frame.length < inner + ETH_HLEN + 20) return off;
    if (u16(frame, inner + 12) !== ETHERTYPE_IPV4) return off;
    off = inner + ETH_HLEN;
  }
  return off;
}

/** The packet's identity (see the file comment); ARP as "arp:op:sender:target"; undefined without one. */
export function packetId(frame: Uint8Array | undefined): string | undefined {
  if (!frame || frame.length < ETH_HLEN) return undefined;
  if (u16(frame, 12) === ETHERTYPE_ARP && frame.length >= ETH_HLEN + 28)
    return `arp:${u16(frame, ETH_HLEN + 6)}:${hex(frame, ETH_HLEN + 14, ETH_HLEN + 18)}:${hex(frame, ETH_HLEN + 24, ETH_HLEN + 28)}`;
  const ip = innermostIpv4(frame);
  if (ip < 0) return undefined;
  const ihl = (frame[ip] & 0x0f) * 4;
  const proto = frame[ip + 9];
  const l4 = ip + ihl;
  const head = `${proto}:${hex(frame, ip + 2, ip + 6)}`; // total length and IP ID
  if (proto === IPPROTO_ICMP)
    return `${head}:${hex(frame, l4, l4 + 1)}${hex(frame, l4 + 4, l4 + 8)}`;
  if (proto === IPPROTO_TCP) return `${head}:${hex(frame, l4 + 4, l4 + 14)}`;
  if (proto === IPPROTO_UDP)
    return `${head}:${hex(frame, l4 + 4, l4 + 6)}:${hex(frame, l4 + 8, l4 + 24)}`;
  return head;
}

/** The innermost IPv4 packet's TTL, or undefined. */
export function innerTtl(frame: Uint8Array | undefined): number | undefined {
  if (!frame) return undefined;
  const ip = innermostIpv4(frame);
  return ip < 0 ? undefined : frame[ip + 8];
}

/** The MSS option of a TCP SYN in the frame's innermost packet, or undefined. */
export function synMss(frame: Uint8Array | undefined): number | undefined {
  if (!frame) return undefined;
  const ip = innermostIpv4(frame);
  if (ip < 0 || frame[ip + 9] !== IPPROTO_TCP) return undefined;
  const l4 = ip + (frame[ip] & 0x0f) * 4;
  if (frame.length < l4 + 20 || !(frame[l4 + 13] & 0x02)) return undefined;
  const end = Math.min(frame.length, l4 + (frame[l4 + 12] >> 4) * 4);
  // RFC 9293 §3.1: kind 0 ends the list, 1 is a one-byte pad, others are kind, length, value.
  for (let o = l4 + 20; o < end;) {
    const kind = frame[o];
    if (kind === 0) break;
    if (kind === 1) {
      o++;
      continue;
    }
    if (kind === 2 && o + 4 <= end) return u16(frame, o + 2);
    o += Math.max(2, frame[o + 1] ?? 2);
  }
  return undefined;
}

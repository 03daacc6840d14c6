/**
 * Applying a NAT manip to a packet's bytes (nf_nat_ipv4_manip_pkt,
 * nf_nat_proto.c): the address in the IPv4 header, the port in the TCP/UDP
 * header (for ICMP echo, the identifier), then the checksums again. Only the
 * rewritten fields change, so a DNATed SYN keeps its IP ID, TTL, DF and
 * options byte for byte (linux-reference §4a).
 */
import { writeIp4 } from '../wire/addr.ts';
import { internetChecksum, transportChecksum } from '../wire/checksum.ts';
import { IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP, parseIpv4 } from '../wire/ipv4.ts';

export interface Endpoint {
  readonly addr: string;
  readonly port?: number;
}

export function natRewrite(packet: Uint8Array, manip: 'SRC' | 'DST', to: Endpoint): Uint8Array {
  const out = packet.slice();
  const ip = parseIpv4(out);
  const hl = ip.headerLen;
  writeIp4(out, manip === 'SRC' ? 12 : 16, to.addr);
  out[10] = out[11] = 0;
  const hsum = internetChecksum(out, 0, hl);
  out[10] = hsum >> 8;
  out[11] = hsum & 0xff;
  const l4 = out.subarray(hl, ip.totalLength);
  const proto = ip.repr.protocol;
  if (to.port !== undefined && (proto === IP_PROTO_TCP || proto === IP_PROTO_UDP)) {
    const at = manip === 'SRC' ? 0 : 2;
    l4[at] = to.port >> 8;
    l4[at + 1] = to.port & 0xff;
  }
  if (to.port !== undefined && proto === IP_PROTO_ICMP && (l4[0] === 8 || l4[0] === 0)) {
    l4[4] = to.port >> 8; // the echo identifier is ICMP's "port" (nf_nat_icmp)
    l4[5] = to.port & 0xff;
  }
  const fixed = parseIpv4(out).repr;
  if (proto === IP_PROTO_TCP || (proto === IP_PROTO_UDP && (l4[6] | l4[7]) !== 0)) {
    const at = proto === IP_PROTO_TCP ? 16 : 6;
    l4[at] = l4[at + 1] = 0;
    let sum = transportChecksum(l4, fixed.srcAddr, fixed.dstAddr, proto);
    if (proto === IP_PROTO_UDP && sum === 0) sum = 0xffff;
    l4[at] = sum >> 8;
    l4[at + 1] = sum & 0xff;
  } else if (proto === IP_PROTO_ICMP) {
    l4[2] = l4[3] = 0;
    const sum = internetChecksum(l4);
    l4[2] = sum >> 8;
    l4[3] = sum & 0xff;
  }
  return out;
}

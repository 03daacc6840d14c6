/**
 * Decodes a frame into Wireshark-like layers for the inspector, and a
 * tshark-like Info line. Every field carries tshark's field name, its
 * absolute byte range in the frame (for hex highlighting) and, in `raw`,
 * the value as `tshark -T json` prints it so tests can compare the two
 * (tshark.test.ts). Never throws: undecodable bytes become a "Malformed"
 * data layer, as Wireshark does.
 */
import type { Layer } from './layers.ts';
import { parseEthernet, ETHERNET_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from './ethernet.ts';
import { parseArp, ARP_LEN } from './arp.ts';
import { parseIpv4, IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP } from './ipv4.ts';
import type { Ipv4Packet } from './ipv4.ts';
import { parseUdp } from './udp.ts';
import { parseVxlan, VXLAN_HEADER_LEN, VXLAN_PORT_IANA, VXLAN_PORT_LINUX } from './vxlan.ts';
import { DNS_HEADER_LEN, DNS_PORT } from './dns.ts';
import { dnsInfo, dnsLayer } from './describe-dns.ts';
import { tlsInfo, tlsLayer } from './describe-tls.ts';
import { icmpFields, icmpInfo, tcpInfo, tcpLayer } from './describe-l4.ts';
import { IP_PROTOS, ipv4Fields, udpFields, vxlanFields } from './describe-ip.ts';
import { colonHex, field, hex, plural } from './describe-util.ts';

const ETHERTYPES: Record<number, string> = {
  0x0800: 'IPv4',
  0x0806: 'ARP',
  0x86dd: 'IPv6',
  0x8100: '802.1Q Virtual LAN',
};
const isVxlanPort = (p: number) => p === VXLAN_PORT_LINUX || p === VXLAN_PORT_IANA;
const IP_PROTO_IPIP = 4;

function dataLayer(frame: Uint8Array, offset: number, end: number, title?: string): Layer {
  const n = end - offset;
  const bytes = frame.subarray(offset, end);
  return {
    protocol: 'data',
    title: title ?? `Data (${plural(n, 'byte')})`,
    offset,
    length: n,
    fields: title
      ? [field('eth.padding', 'Padding', colonHex(bytes), offset, n)]
      : [
          field('data.data', 'Data', colonHex(bytes), offset, n),
          field('data.len', 'Length', n, offset, n, { generated: true }),
        ],
  };
}

function ethernet(frame: Uint8Array, base: number, end: number, out: Layer[]): void {
  const { repr } = parseEthernet(frame.subarray(base, end));
  const t = ETHERTYPES[repr.ethertype];
  out.push({
    protocol: 'eth',
    title: `Ethernet II, Src: ${repr.src}, Dst: ${repr.dst}`,
    offset: base,
    length: ETHERNET_HEADER_LEN,
    fields: [
      field('eth.dst', 'Destination', repr.dst, base, 6),
      field('eth.src', 'Source', repr.src, base + 6, 6),
      field(
        'eth.type',
        'Type',
        t ? `${t} (${hex(repr.ethertype, 4)})` : hex(repr.ethertype, 4),
        base + 12,
        2,
        {
          raw: hex(repr.ethertype, 4),
        },
      ),
    ],
  });
  const p = base + ETHERNET_HEADER_LEN;
  if (repr.ethertype === ETHERTYPE_ARP) {
    guard(frame, p, end, out, () => arp(frame, p, end, out));
  } else if (repr.ethertype === ETHERTYPE_IPV4) {
    guard(frame, p, end, out, () => ipv4(frame, p, end, out));
  } else if (p < end) out.push(dataLayer(frame, p, end));
}

function arp(frame: Uint8Array, base: number, end: number, out: Layer[]): void {
  const r = parseArp(frame.subarray(base, end));
  const op = r.operation === 1 ? 'request' : 'reply';
  const gratuitous = r.sourceProtocolAddr === r.targetProtocolAddr ? '/gratuitous ARP' : '';
  out.push({
    protocol: 'arp',
    title: `Address Resolution Protocol (${op}${gratuitous})`,
    offset: base,
    length: ARP_LEN,
    fields: [
      field('arp.hw.type', 'Hardware type', 'Ethernet (1)', base, 2, { raw: '1' }),
      field('arp.proto.type', 'Protocol type', 'IPv4 (0x0800)', base + 2, 2, { raw: '0x0800' }),
      field('arp.hw.size', 'Hardware size', 6, base + 4, 1),
      field('arp.proto.size', 'Protocol size', 4, base + 5, 1),
      field('arp.opcode', 'Opcode', `${op} (${r.operation})`, base + 6, 2, {
        raw: String(r.operation),
      }),
      field('arp.src.hw_mac', 'Sender MAC address', r.sourceHardwareAddr, base + 8, 6),
      field('arp.src.proto_ipv4', 'Sender IP address', r.sourceProtocolAddr, base + 14, 4),
      field('arp.dst.hw_mac', 'Target MAC address', r.targetHardwareAddr, base + 18, 6),
      field('arp.dst.proto_ipv4', 'Target IP address', r.targetProtocolAddr, base + 24, 4),
    ],
  });
  if (base + ARP_LEN < end) out.push(dataLayer(frame, base + ARP_LEN, end, 'Padding'));
}

function ipv4(frame: Uint8Array, base: number, end: number, out: Layer[]): void {
  const ip = parseIpv4(frame.subarray(base, end));
  const r = ip.repr;
  out.push({
    protocol: 'ipv4',
    title: `Internet Protocol Version 4, Src: ${r.srcAddr}, Dst: ${r.dstAddr}`,
    offset: base,
    length: ip.headerLen,
    fields: ipv4Fields(frame, base, ip),
  });
  const p = base + ip.headerLen;
  const pEnd = base + ip.totalLength;
  guard(frame, p, pEnd, out, () => {
    if (r.protocol === IP_PROTO_ICMP) {
      const { fields, dataStart } = icmpFields(ip.payload, p);
      out.push({
        protocol: 'icmp',
        title: 'Internet Control Message Protocol',
        offset: p,
        length: pEnd - p,
        fields,
      });
      if (p + dataStart < pEnd) out.push(dataLayer(frame, p + dataStart, pEnd));
    } else if (r.protocol === IP_PROTO_TCP) {
      const tcp = tcpLayer(frame, p, ip.payload, r.srcAddr, r.dstAddr);
      out.push(tcp);
      const q = p + tcp.length;
      const tls = q < pEnd ? tlsLayer(frame, q, pEnd) : undefined;
      if (tls) out.push(tls);
      const rest = tls ? tls.offset + tls.length : q;
      if (rest < pEnd) out.push(dataLayer(frame, rest, pEnd));
    } else if (r.protocol === IP_PROTO_UDP) {
      udp(frame, p, pEnd, ip, out);
    } else if (r.protocol === IP_PROTO_IPIP && p < pEnd) {
      // IP-in-IP (RFC 2003): the inner IPv4 packet follows directly, no Ethernet header.
      ipv4(frame, p, pEnd, out);
    } else if (p < pEnd) out.push(dataLayer(frame, p, pEnd));
  });
  if (pEnd < end) out.push(dataLayer(frame, pEnd, end, 'Padding'));
}

function udp(frame: Uint8Array, base: number, end: number, ip: Ipv4Packet, out: Layer[]): void {
  const u = parseUdp(frame.subarray(base, end));
  const { srcPort, dstPort } = u.repr;
  out.push({
    protocol: 'udp',
    title: `User Datagram Protocol, Src Port: ${srcPort}, Dst Port: ${dstPort}`,
    offset: base,
    length: 8,
    fields: udpFields(frame, base, u, ip),
  });
  const p = base + 8;
  const pEnd = base + u.length;
  if (isVxlanPort(dstPort) && pEnd - p >= VXLAN_HEADER_LEN) {
    guard(frame, p, pEnd, out, () => vxlan(frame, p, pEnd, out));
  } else if ((srcPort === DNS_PORT || dstPort === DNS_PORT) && pEnd - p >= DNS_HEADER_LEN) {
    guard(frame, p, pEnd, out, () => out.push(dnsLayer(frame, p, pEnd)));
  } else if (p < pEnd) out.push(dataLayer(frame, p, pEnd));
}

function vxlan(frame: Uint8Array, base: number, end: number, out: Layer[]): void {
  const { repr } = parseVxlan(frame.subarray(base, end));
  out.push({
    protocol: 'vxlan',
    title: 'Virtual eXtensible Local Area Network',
    offset: base,
    length: VXLAN_HEADER_LEN,
    fields: vxlanFields(frame, base, repr),
  });
  const p = base + VXLAN_HEADER_LEN;
  guard(frame, p, end, out, () => ethernet(frame, p, end, out));
}

/** Runs a decoder; on a parse error records the rest of the range as malformed. */
function guard(frame: Uint8Array, base: number, end: number, out: Layer[], fn: () => void): void {
  const before = out.length;
  try {
    fn();
  } catch (e) {
    out.length = before;
    const msg = e instanceof Error ? e.message : String(e);
    out.push({ ...dataLayer(frame, base, end), title: `[Malformed Packet: ${msg}]` });
  }
}

/** Layers of an Ethernet frame, outermost first; VXLAN payloads continue with the inner frame. */
export function decodeFrame(frame: Uint8Array): Layer[] {
  const out: Layer[] = [];
  guard(frame, 0, frame.length, out, () => ethernet(frame, 0, frame.length, out));
  return out;
}

/** tshark's Info column for the frame (for VXLAN, the inner frame's, as tshark shows it). */
export function summarizeFrame(frame: Uint8Array): string {
  try {
    const eth = parseEthernet(frame);
    if (eth.repr.ethertype === ETHERTYPE_ARP) {
      const a = parseArp(eth.payload);
      if (a.sourceProtocolAddr === a.targetProtocolAddr) {
        return `Gratuitous ARP for ${a.sourceProtocolAddr} (${a.operation === 1 ? 'Request' : 'Reply'})`;
      }
      if (a.operation === 2) return `${a.sourceProtocolAddr} is at ${a.sourceHardwareAddr}`;
      if (a.sourceProtocolAddr === '0.0.0.0') return `Who has ${a.targetProtocolAddr}? (ARP Probe)`;
      return `Who has ${a.targetProtocolAddr}? Tell ${a.sourceProtocolAddr}`;
    }
    if (eth.repr.ethertype !== ETHERTYPE_IPV4)
      return `Ethernet II, type ${hex(eth.repr.ethertype, 4)}`;
    let ip = parseIpv4(eth.payload);
    // tshark's Info column for IP-in-IP is the inner packet's.
    while (ip.repr.protocol === IP_PROTO_IPIP) ip = parseIpv4(ip.payload);
    const { protocol, ttl } = ip.repr;
    if (protocol === IP_PROTO_ICMP) return icmpInfo(ip.payload, ttl);
    if (protocol === IP_PROTO_TCP) return tcpTlsInfo(ip.payload);
    if (protocol === IP_PROTO_UDP) {
      const u = parseUdp(ip.payload);
      if (isVxlanPort(u.repr.dstPort) && u.repr.payload.length > VXLAN_HEADER_LEN) {
        return summarizeFrame(parseVxlan(u.repr.payload).payload);
      }
      const dns = u.repr.srcPort === DNS_PORT || u.repr.dstPort === DNS_PORT;
      if (dns && u.repr.payload.length >= DNS_HEADER_LEN) return dnsInfo(u.repr.payload);
      return `${u.repr.srcPort} → ${u.repr.dstPort} Len=${u.repr.payload.length}`;
    }
    return `${IP_PROTOS[protocol] ?? 'IPv4'} (protocol ${protocol})`;
  } catch (e) {
    return `[Malformed Packet: ${e instanceof Error ? e.message : String(e)}]`;
  }
}

/** tshark names a segment by its top protocol: TLS records' types, else TCP's own line. */
function tcpTlsInfo(seg: Uint8Array): string {
  const headerLen = (seg[12] >> 4) * 4;
  return tlsInfo(seg.subarray(headerLen)) ?? tcpInfo(seg);
}

/**
 * Wireshark-style fields for the IPv4, UDP and VXLAN headers (packet-ip.c,
 * packet-udp.c, packet-vxlan.c in Wireshark 4.0). Offsets are absolute in
 * the frame; `base` is where the header starts. Names and positions are
 * checked against `tshark -T json -x` in tshark.test.ts.
 */
import type { Field } from './layers.ts';
import type { Ipv4Packet } from './ipv4.ts';
import { IP_PROTO_UDP } from './ipv4.ts';
import type { UdpDatagram } from './udp.ts';
import type { VxlanRepr } from './vxlan.ts';
import { internetChecksum, transportChecksum } from './checksum.ts';
import { bit, checksumField, field, hex, hexDec, setOrNot } from './describe-util.ts';

export const IP_PROTOS: Record<number, string> = {
  1: 'ICMP',
  2: 'IGMP',
  4: 'IPIP',
  6: 'TCP',
  17: 'UDP',
  47: 'GRE',
  50: 'ESP',
  132: 'SCTP',
};
const ECN = [
  ['Not-ECT', 'Not ECN-Capable Transport'],
  ['ECT(1)', "ECN-Capable Transport codepoint '01'"],
  ['ECT(0)', "ECN-Capable Transport codepoint '10'"],
  ['CE', 'Congestion Experienced'],
];

/** RFC 2474 / 2597 / 3246 code point names, as Wireshark abbreviates and spells them. */
function dscpNames(d: number): [string, string] {
  if (d === 0) return ['CS0', 'Default'];
  if (d === 46) return ['EF', 'Expedited Forwarding'];
  if (d % 8 === 0) return [`CS${d / 8}`, `Class Selector ${d / 8}`];
  if (d % 2 === 0 && d >= 10 && d <= 38 && (d / 2) % 4 !== 0) {
    const n = `${Math.floor(d / 8)}${(d % 8) / 2}`;
    return [`AF${n}`, `Assured Forwarding ${n}`];
  }
  return [String(d), 'Unknown'];
}

export function ipv4Fields(frame: Uint8Array, base: number, ip: Ipv4Packet): Field[] {
  const r = ip.repr;
  const ds = (r.dscp << 2) | r.ecn;
  const [dscpShort, dscpLong] = dscpNames(r.dscp);
  const flags =
    (r.dontFragment ? 2 : 0) | (ip.moreFragments ? 1 : 0) | (frame[base + 6] & 0x80 ? 4 : 0);
  const flagText = r.dontFragment ? ", Don't fragment" : ip.moreFragments ? ', More fragments' : '';
  const zeroed = frame.slice(base, base + ip.headerLen);
  zeroed[10] = zeroed[11] = 0;
  const proto = IP_PROTOS[r.protocol];
  return [
    field('ip.version', 'Version', 4, base, 1),
    field('ip.hdr_len', 'Header Length', `${ip.headerLen} bytes (${ip.headerLen / 4})`, base, 1, {
      raw: String(ip.headerLen),
    }),
    field(
      'ip.dsfield',
      'Differentiated Services Field',
      `${hex(ds, 2)} (DSCP: ${dscpShort}, ECN: ${ECN[r.ecn][0]})`,
      base + 1,
      1,
      {
        raw: hex(ds, 2),
        children: [
          field(
            'ip.dsfield.dscp',
            'Differentiated Services Codepoint',
            `${dscpLong} (${r.dscp})`,
            base + 1,
            1,
            { raw: String(r.dscp) },
          ),
          field(
            'ip.dsfield.ecn',
            'Explicit Congestion Notification',
            `${ECN[r.ecn][1]} (${r.ecn})`,
            base + 1,
            1,
            { raw: String(r.ecn) },
          ),
        ],
      },
    ),
    field('ip.len', 'Total Length', ip.totalLength, base + 2, 2),
    field('ip.id', 'Identification', hexDec(r.identification, 4), base + 4, 2, {
      raw: hex(r.identification, 4),
    }),
    field('ip.flags', 'Flags', `${hex(flags, 1)}${flagText}`, base + 6, 1, {
      raw: hex(flags, 2),
      children: [
        field('ip.flags.rb', 'Reserved bit', setOrNot((flags & 4) !== 0), base + 6, 1, {
          raw: bit((flags & 4) !== 0),
        }),
        field('ip.flags.df', "Don't fragment", setOrNot(r.dontFragment), base + 6, 1, {
          raw: bit(r.dontFragment),
        }),
        field('ip.flags.mf', 'More fragments', setOrNot(ip.moreFragments), base + 6, 1, {
          raw: bit(ip.moreFragments),
        }),
      ],
    }),
    field('ip.frag_offset', 'Fragment Offset', ip.fragmentOffset, base + 6, 2),
    field('ip.ttl', 'Time to Live', r.ttl, base + 8, 1),
    field('ip.proto', 'Protocol', proto ? `${proto} (${r.protocol})` : r.protocol, base + 9, 1, {
      raw: String(r.protocol),
    }),
    checksumField(
      'ip',
      'Header Checksum',
      'Header checksum status',
      ip.checksum,
      internetChecksum(zeroed),
      base + 10,
    ),
    field('ip.src', 'Source Address', r.srcAddr, base + 12, 4),
    field('ip.dst', 'Destination Address', r.dstAddr, base + 16, 4),
  ];
}

export function udpFields(
  frame: Uint8Array,
  base: number,
  u: UdpDatagram,
  ip: Ipv4Packet,
): Field[] {
  const zeroed = frame.slice(base, base + u.length);
  zeroed[6] = zeroed[7] = 0;
  // 0 = "no checksum" (RFC 768); a computed 0 is sent as 0xffff.
  const expected =
    u.checksum === 0
      ? null
      : transportChecksum(zeroed, ip.repr.srcAddr, ip.repr.dstAddr, IP_PROTO_UDP) || 0xffff;
  return [
    field('udp.srcport', 'Source Port', u.repr.srcPort, base, 2),
    field('udp.dstport', 'Destination Port', u.repr.dstPort, base + 2, 2),
    field('udp.length', 'Length', u.length, base + 4, 2),
    checksumField('udp', 'Checksum', 'Checksum Status', u.checksum, expected, base + 6),
  ];
}

/** RFC 7348 §5 header; Wireshark also knows the Group Policy extension bits (G, D, A). */
export function vxlanFields(frame: Uint8Array, base: number, repr: VxlanRepr): Field[] {
  const flagsWord = (frame[base] << 8) | frame[base + 1];
  const flagBit = (name: string, label: string, mask: number) =>
    field(name, label, String((flagsWord & mask) !== 0), base, 2, {
      raw: bit((flagsWord & mask) !== 0),
    });
  return [
    field(
      'vxlan.flags',
      'Flags',
      `${hex(flagsWord, 4)}${repr.flags & 0x08 ? ', VXLAN Network ID (VNI)' : ''}`,
      base,
      2,
      {
        raw: hex(flagsWord, 4),
        children: [
          flagBit('vxlan.flag_g', 'GBP Extension', 0x8000),
          flagBit('vxlan.flag_i', 'VXLAN Network ID (VNI)', 0x0800),
          flagBit('vxlan.flag_d', "Don't Learn", 0x0040),
          flagBit('vxlan.flag_a', 'Policy Applied', 0x0008),
          field('vxlan.flags_reserved', 'Reserved(R)', hex(flagsWord & 0x77b7, 4), base, 2),
        ],
      },
    ),
    field('vxlan.gbp', 'Group Policy ID', (frame[base + 2] << 8) | frame[base + 3], base + 2, 2),
    field('vxlan.vni', 'VXLAN Network Identifier (VNI)', repr.vni, base + 4, 3),
    field('vxlan.reserved8', 'Reserved', frame[base + 7], base + 7, 1),
  ];
}

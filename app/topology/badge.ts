/**
 * What the packet glyph's badge says, read from the frame's own bytes the way tcpdump and
 * Wireshark name a packet: ARP request or reply, ICMP echo request or reply, the TCP flags
 * that are set, a DNS query or response. A VXLAN packet is named by what it carries; its
 * tunnel (and the UDP port it really uses: 8472 for flannel and Cilium, 4789 for Calico) is
 * the envelope's label. Pure: bytes → words.
 */

export interface Badge {
  /** The short label on the glyph: "ARP req", "TCP SYN-ACK", "DNS response". */
  readonly label: string;
  /** A VXLAN outer header around it: the envelope's label ("VXLAN · UDP 8472"). */
  readonly outer: string | null;
}

const ETH_HEADER = 14;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_ARP = 0x0806;
const VXLAN_PORTS = new Set([4789, 8472]);
const DNS_PORT = 53;

const u16 = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];

/** ARP opcode 1 asks (tcpdump: "Request who-has"), 2 answers ("Reply is-at"). */
function arpLabel(b: Uint8Array, at: number): string {
  if (b.length < at + 28) return 'ARP';
  const op = u16(b, at + 6);
  if (op === 2) return 'ARP reply';
  if (op !== 1) return 'ARP';
  // Sender and target protocol address the same: a gratuitous ARP (Wireshark's "Gratuitous ARP for").
  const same = [0, 1, 2, 3].every((i) => b[at + 14 + i] === b[at + 24 + i]);
  return same ? 'ARP gratuitous' : 'ARP req';
}

/** ICMP's type (RFC 792), as Wireshark's Info column names it, shortened. */
const ICMP_TYPES: Readonly<Record<number, string>> = {
  0: 'ICMP reply',
  3: 'ICMP unreachable',
  8: 'ICMP req',
  11: 'ICMP TTL exceeded',
};

/**
 * The flags Wireshark would put in brackets, as one word: RST first (the connection ends),
 * then SYN / SYN-ACK, FIN, PSH (data), and a bare ACK.
 */
function tcpLabel(flags: number): string {
  const [fin, syn, rst, psh, ack] = [0x01, 0x02, 0x04, 0x08, 0x10].map((f) => (flags & f) !== 0);
  if (rst) return 'TCP RST';
  if (syn) return ack ? 'TCP SYN-ACK' : 'TCP SYN';
  if (fin) return 'TCP FIN';
  if (psh) return 'TCP PSH';
  return ack ? 'TCP ACK' : 'TCP';
}

function ipv4Label(b: Uint8Array, at: number, depth: number): Badge {
  const plain = (label: string): Badge => ({ label, outer: null });
  if (b.length < at + 20 || b[at] >> 4 !== 4) return plain('IPv4');
  const ihl = (b[at] & 0x0f) * 4;
  const proto = b[at + 9];
  const l4 = at + ihl;
  // A later fragment carries no transport header to read.
  if ((u16(b, at + 6) & 0x1fff) !== 0) return plain('IPv4 fragment');
  if (proto === 1) return plain(b.length > l4 ? (ICMP_TYPES[b[l4]] ?? 'ICMP') : 'ICMP');
  if (proto === 6) return plain(b.length >= l4 + 14 ? tcpLabel(b[l4 + 13]) : 'TCP');
  if (proto === 4 && depth === 0) {
    const inner = ipv4Label(b, l4, depth + 1);
    return { label: inner.label, outer: 'IP-in-IP' };
  }
  if (proto !== 17) return plain('IPv4');
  if (b.length < l4 + 8) return plain('UDP');
  const [src, dst] = [u16(b, l4), u16(b, l4 + 2)];
  const payload = l4 + 8;
  if (VXLAN_PORTS.has(dst) && depth === 0 && b.length >= payload + 8 + ETH_HEADER) {
    // The VXLAN header's I flag says a VNI is present (RFC 7348): the inner frame follows.
    if (b[payload] & 0x08) {
      const inner = frameBadge(b.subarray(payload + 8), depth + 1);
      return { label: inner.label, outer: `VXLAN · UDP ${dst}` };
    }
  }
  if (src === DNS_PORT || dst === DNS_PORT) {
    if (b.length < payload + 3) return plain('DNS');
    // The header's QR bit: 0 a query, 1 a response (RFC 1035 4.1.1).
    return plain(b[payload + 2] & 0x80 ? 'DNS response' : 'DNS query');
  }
  return plain('UDP');
}

function frameBadge(b: Uint8Array, depth: number): Badge {
  if (b.length < ETH_HEADER) return { label: 'ETH', outer: null };
  let type = u16(b, 12);
  let at = ETH_HEADER;
  if (type === ETHERTYPE_VLAN && b.length >= 18) {
    type = u16(b, 16);
    at = 18;
  }
  if (type === ETHERTYPE_ARP) return { label: arpLabel(b, at), outer: null };
  if (type === ETHERTYPE_IPV4) return ipv4Label(b, at, depth);
  return { label: 'ETH', outer: null };
}

/** The badge for an Ethernet frame's bytes. */
export function badgeOf(frame: Uint8Array): Badge {
  return frameBadge(frame, 0);
}

/** Advance widths of the badge's bold sans (DejaVu Sans Bold, Chromium's default), in em. */
const advance = (c: string): number =>
  /[MW]/.test(c)
    ? 1.0
    : /[A-Z0-9]/.test(c)
      ? 0.78
      : /[iljtfr \-·I]/.test(c)
        ? 0.42
        : /[mw]/.test(c)
          ? 1.04
          : 0.7;

/** The glyph's width in user units for a label at 15 px (letter-spacing 0.04em), with 9 a side. */
export function badgeWidth(label: string, px = 15): number {
  let em = 0;
  for (const c of label) em += advance(c) + 0.04;
  return Math.ceil(18 + em * px);
}

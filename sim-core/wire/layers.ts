/**
 * Decoded view of a frame for the inspector: protocol layers, each with its
 * fields and their byte ranges in the frame, so the hex view can highlight
 * the bytes of the field under the pointer.
 */
export type Protocol =
  'eth' | 'arp' | 'ipv4' | 'icmp' | 'udp' | 'tcp' | 'vxlan' | 'dns' | 'tls' | 'data';

export interface Field {
  /** tshark's field name where one exists ("ip.ttl", "arp.opcode"). */
  readonly name: string;
  /** Human label as Wireshark shows it ("Time to Live"). */
  readonly label: string;
  /** Display value ("64", "0x4000 (Don't fragment)"). */
  readonly value: string;
  /** Absolute byte offset in the frame, and byte length. Bit fields share their byte. */
  readonly offset: number;
  readonly length: number;
  readonly children?: readonly Field[];
  /**
   * The value as `tshark -T json` / `-T fields` prints it ("0xbb5c", "64",
   * "1" for a set flag), where it differs from nothing else we could compare.
   * Lets tests check our decoder against tshark field by field.
   */
  readonly raw?: string;
  /** Wireshark shows it in [brackets]: computed, not read from bytes of its own (tcp.len, statuses). */
  readonly generated?: boolean;
}

export interface Layer {
  readonly protocol: Protocol;
  /** Wireshark's tree title ("Internet Protocol Version 4, Src: 10.244.0.2, Dst: 10.244.0.3"). */
  readonly title: string;
  readonly offset: number;
  readonly length: number;
  readonly fields: readonly Field[];
}

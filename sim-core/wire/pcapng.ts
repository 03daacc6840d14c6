/**
 * pcapng (draft-ietf-opsawg-pcapng), little-endian: one Section Header
 * Block, one Interface Description Block per capture point (if_name
 * "node-1/cni0"), then an Enhanced Packet Block per frame with its
 * interface and direction (epb_flags bits 0–1: 01 inbound, 10 outbound).
 * Timestamps in microseconds (if_tsresol's default, 10^-6).
 *
 *   block: type (4) | total length (4) | body … padded to 32 bits | total length (4)
 *   option: code (2) | length (2) | value padded to 32 bits; opt_endofopt = 0
 */
import { LINKTYPE_ETHERNET, PCAP_SNAPLEN } from './pcap.ts';

const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPT_IF_NAME = 2;
const OPT_EPB_FLAGS = 2;
const OPT_SHB_USERAPPL = 4;

export interface PcapngInterface {
  readonly name: string;
}

export interface PcapngPacket {
  readonly iface: number;
  /** Microseconds since the Unix epoch. */
  readonly timeUs: number;
  readonly data: Uint8Array;
  readonly direction?: 'in' | 'out';
}

const pad4 = (n: number) => (n + 3) & ~3;
const utf8 = new TextEncoder();

function option(code: number, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + pad4(value.length));
  const v = new DataView(out.buffer);
  v.setUint16(0, code, true);
  v.setUint16(2, value.length, true);
  out.set(value, 4);
  return out;
}

function block(type: number, body: Uint8Array[]): Uint8Array {
  const len = 12 + body.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(len);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, len, true);
  let o = 8;
  for (const b of body) {
    out.set(b, o);
    o += b.length;
  }
  v.setUint32(len - 4, len, true);
  return out;
}

function fixed(bytes: number, write: (v: DataView) => void): Uint8Array {
  const out = new Uint8Array(bytes);
  write(new DataView(out.buffer));
  return out;
}

const END_OF_OPTIONS = new Uint8Array(4);

export function writePcapng(
  interfaces: readonly PcapngInterface[],
  packets: readonly PcapngPacket[],
): Uint8Array {
  const blocks: Uint8Array[] = [
    block(SHB, [
      fixed(16, (v) => {
        v.setUint32(0, BYTE_ORDER_MAGIC, true);
        v.setUint16(4, 1, true);
        v.setUint16(6, 0, true);
        v.setBigInt64(8, -1n, true); // section length not given
      }),
      option(OPT_SHB_USERAPPL, utf8.encode('Kubewire')),
      END_OF_OPTIONS,
    ]),
  ];
  for (const i of interfaces) {
    blocks.push(
      block(IDB, [
        fixed(8, (v) => {
          v.setUint16(0, LINKTYPE_ETHERNET, true);
          v.setUint32(4, PCAP_SNAPLEN, true);
        }),
        option(OPT_IF_NAME, utf8.encode(i.name)),
        END_OF_OPTIONS,
      ]),
    );
  }
  for (const p of packets) {
    const us = BigInt(Math.round(p.timeUs));
    const head = fixed(20, (v) => {
      v.setUint32(0, p.iface, true);
      v.setUint32(4, Number(us >> 32n), true);
      v.setUint32(8, Number(us & 0xffffffffn), true);
      v.setUint32(12, p.data.length, true);
      v.setUint32(16, p.data.length, true);
    });
    const data = new Uint8Array(pad4(p.data.length));
    data.set(p.data);
    const opts = p.direction
      ? [
          option(
            OPT_EPB_FLAGS,
            fixed(4, (v) => v.setUint32(0, p.direction === 'in' ? 1 : 2, true)),
          ),
          END_OF_OPTIONS,
        ]
      : [];
    blocks.push(block(EPB, [head, data, ...opts]));
  }
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of blocks) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}

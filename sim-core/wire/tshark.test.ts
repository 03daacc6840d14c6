/**
 * Holds frames we emit against the real tshark: writePcap → tshark -T json -x
 * → every field decodeFrame reports must be there with the same value, at the
 * same byte offset and length; and tshark must find our checksums Good
 * (ip/tcp/udp checksum validation switched on, see tshark-helper.ts).
 */
import { describe, expect, it } from 'vitest';
import { emitArp } from './arp.ts';
import { emitEthernet, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from './ethernet.ts';
import { emitIcmp, pingPayload } from './icmp.ts';
import { emitIpv4, IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP } from './ipv4.ts';
import type { Ipv4Repr } from './ipv4.ts';
import { emitTcp, tcpFlags } from './tcp.ts';
import type { TcpRepr } from './tcp.ts';
import { linuxSynOptions, linuxTimestampOptions } from './tcp-options.ts';
import { emitUdp } from './udp.ts';
import { emitVxlan, VXLAN_FLAG_I, VXLAN_PORT_LINUX } from './vxlan.ts';
import { writePcap } from './pcap.ts';
import { decodeFrame } from './describe.ts';
import type { Field, Layer } from './layers.ts';
import { flattenTshark, hasTshark, runTshark, TSHARK } from './tshark-helper.ts';

if (!hasTshark) console.warn('tshark.test.ts: skipped, no tshark on PATH or at /usr/bin/tshark');

const A = { mac: '0a:58:0a:f4:00:02', ip: '10.244.0.2' };
const B = { mac: '0a:58:0a:f4:00:03', ip: '10.244.0.3' };
const SEC = 1795608946; // the reference run's clock, so tshark's ICMP timestamp heuristic fires
const ip = (
  src: string,
  dst: string,
  protocol: number,
  extra: Partial<Ipv4Repr> = {},
): Ipv4Repr => ({
  dscp: 0,
  ecn: 0,
  identification: 0x7dd4,
  dontFragment: true,
  ttl: 64,
  protocol,
  srcAddr: src,
  dstAddr: dst,
  ...extra,
});
const eth = (src: string, dst: string, type = ETHERTYPE_IPV4) => ({ src, dst, ethertype: type });
const tcp = (a: typeof A, b: typeof B, r: Partial<TcpRepr>, id: number) =>
  emitEthernet(
    eth(a.mac, b.mac),
    emitIpv4(
      ip(a.ip, b.ip, IP_PROTO_TCP, { identification: id }),
      emitTcp(
        {
          srcPort: 0,
          dstPort: 0,
          seq: 0,
          ack: 0,
          flags: tcpFlags(),
          window: 0,
          urgentPointer: 0,
          options: [],
          payload: new Uint8Array(0),
          ...r,
        },
        a.ip,
        b.ip,
      ),
    ),
  );
const arp = (op: 1 | 2, s: typeof A, t: { mac: string; ip: string }, dst: string) =>
  emitEthernet(
    eth(s.mac, dst, ETHERTYPE_ARP),
    emitArp({
      operation: op,
      sourceHardwareAddr: s.mac,
      sourceProtocolAddr: s.ip,
      targetHardwareAddr: t.mac,
      targetProtocolAddr: t.ip,
    }),
  );
const echo = (type: 0 | 8, s: typeof A, d: typeof B, df: boolean, id: number) =>
  emitEthernet(
    eth(s.mac, d.mac),
    emitIpv4(
      ip(s.ip, d.ip, IP_PROTO_ICMP, { dontFragment: df, identification: id }),
      emitIcmp({ type, code: 0, identifier: 0x21ef, sequence: 1, data: pingPayload(SEC, 549119) }),
    ),
  );

const synOpts = (tsval: number, tsecr: number) =>
  linuxSynOptions({ mss: 1460, tsval, tsecr, windowScale: 10 });
const P = { srcPort: 33944, dstPort: 18080 }; // an unregistered port, so the payload stays "data"
const frames: [string, Uint8Array][] = [
  ['ARP request', arp(1, A, { mac: '00:00:00:00:00:00', ip: B.ip }, 'ff:ff:ff:ff:ff:ff')],
  ['ARP reply', arp(2, B, A, A.mac)],
  ['echo request', echo(8, A, B, true, 0xbb5c)],
  ['echo reply', echo(0, B, A, false, 0xc42e)],
  [
    'SYN',
    tcp(
      A,
      B,
      {
        ...P,
        seq: 2799154726,
        flags: tcpFlags({ syn: true }),
        window: 64240,
        options: synOpts(2435963932, 0),
      },
      0x7dd4,
    ),
  ],
  [
    'SYN-ACK',
    tcp(
      B,
      A,
      {
        srcPort: P.dstPort,
        dstPort: P.srcPort,
        seq: 2249792757,
        ack: 2799154727,
        flags: tcpFlags({ syn: true, ack: true }),
        window: 65160,
        options: synOpts(3373206169, 2435963932),
      },
      0,
    ),
  ],
  [
    'PSH,ACK with data',
    tcp(
      A,
      B,
      {
        ...P,
        seq: 2799154727,
        ack: 2249792758,
        flags: tcpFlags({ psh: true, ack: true }),
        window: 63,
        options: linuxTimestampOptions(2435963933, 3373206169),
        payload: Uint8Array.of(0x78),
      },
      0x7dd6,
    ),
  ],
];
// The echo request inside flannel's VXLAN (cross-vxlan frame 3 shape), outer UDP checksum on.
const inner = echo(
  8,
  { mac: '6e:00:0a:f4:00:00', ip: A.ip },
  { mac: '6e:00:0a:f4:01:00', ip: '10.244.1.2' },
  true,
  0x0c0d,
);
frames.push([
  'VXLAN echo request',
  emitEthernet(
    eth('52:54:00:a8:01:0a', '52:54:00:a8:01:0b'),
    emitIpv4(
      ip('192.168.1.10', '192.168.1.11', IP_PROTO_UDP, {
        dontFragment: false,
        identification: 0xf740,
      }),
      emitUdp(
        {
          srcPort: 45809,
          dstPort: VXLAN_PORT_LINUX,
          payload: emitVxlan({ flags: VXLAN_FLAG_I, vni: 1 }, inner),
        },
        '192.168.1.10',
        '192.168.1.11',
      ),
    ),
  ),
]);

function ourFields(layers: readonly Layer[]): Field[] {
  const out: Field[] = [];
  const walk = (fs: readonly Field[]) =>
    fs.forEach((f) => (out.push(f), f.children && walk(f.children)));
  layers.forEach((l) => walk(l.fields));
  return out;
}

// The fields the brief asks decodeFrame to name; each must occur in some frame, in ours and tshark's.
const REQUIRED =
  `eth.dst eth.src eth.type arp.opcode arp.src.hw_mac arp.src.proto_ipv4 arp.dst.hw_mac arp.dst.proto_ipv4
ip.version ip.hdr_len ip.dsfield ip.len ip.id ip.flags ip.flags.df ip.ttl ip.proto ip.checksum ip.src ip.dst
icmp.type icmp.code icmp.checksum icmp.ident icmp.seq tcp.srcport tcp.dstport tcp.seq_raw tcp.ack_raw tcp.hdr_len
tcp.flags tcp.window_size_value tcp.checksum tcp.urgent_pointer tcp.options.mss_val tcp.options.wscale.shift
tcp.options.timestamp.tsval tcp.options.timestamp.tsecr udp.srcport udp.dstport udp.length udp.checksum vxlan.flags vxlan.vni`.split(
    /\s+/,
  );

describe.skipIf(!hasTshark)(`decodeFrame vs ${TSHARK ?? 'tshark'} on emitted frames`, () => {
  const packets = hasTshark
    ? runTshark(
        writePcap(frames.map(([, data], i) => ({ timeUs: SEC * 1e6 + 549203 + i * 10, data }))),
      )!
    : null;

  it('tshark reads every frame', async () => {
    expect((await packets!).length).toBe(frames.length);
  });

  it.each(frames.map(([name], i) => [name, i] as const))(
    '%s: same names, values, offsets and lengths',
    async (_name, i) => {
      const theirs = flattenTshark((await packets!)[i]._source.layers);
      const ours = ourFields(decodeFrame(frames[i][1]));
      const missing = [...new Set(ours.map((f) => f.name))].filter((n) => !theirs.has(n));
      expect(missing).toEqual([]);
      for (const name of new Set(ours.map((f) => f.name))) {
        const mine = ours.filter((f) => f.name === name);
        const t = theirs.get(name)!;
        expect({ name, values: mine.map((f) => f.raw).sort() }).toEqual({
          name,
          values: t.map((v) => v.value).sort(),
        });
        if (t.every((v) => v.offset !== undefined)) {
          expect({ name, at: mine.map((f) => `${f.offset}+${f.length}`).sort() }).toEqual({
            name,
            at: t.map((v) => `${v.offset}+${v.length}`).sort(),
          });
        }
      }
    },
  );

  it('finds our IP, ICMP, TCP and UDP checksums Good (status 1)', async () => {
    const all = (await packets!).map((p) => flattenTshark(p._source.layers));
    const statuses = (n: string) => all.flatMap((m) => (m.get(n) ?? []).map((v) => v.value));
    expect(statuses('ip.checksum.status')).toEqual(Array(7).fill('1')); // 5 plain + outer and inner of VXLAN
    expect(statuses('icmp.checksum.status')).toEqual(['1', '1', '1']);
    expect(statuses('tcp.checksum.status')).toEqual(['1', '1', '1']);
    expect(statuses('udp.checksum.status')).toEqual(['1']);
  });

  it('covers every field the inspector promises', async () => {
    const all = (await packets!).map((p) => flattenTshark(p._source.layers));
    const oursAll = new Set(
      frames.flatMap(([, f]) => ourFields(decodeFrame(f)).map((x) => x.name)),
    );
    for (const n of REQUIRED) {
      expect({ n, ours: oursAll.has(n), tshark: all.some((m) => m.has(n)) }).toEqual({
        n,
        ours: true,
        tshark: true,
      });
    }
  });
});

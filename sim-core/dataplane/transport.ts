/**
 * The socket layer above IP in a namespace: the IP protocol table
 * (inet_protos: ICMP, TCP, UDP), the `ping` program's raw socket, and TCP
 * sockets. See linux-reference/README.md §1 for the bytes.
 */
import type { Fact } from '../narration/facts.ts';
import {
  emitIcmp,
  ICMP_DEST_UNREACHABLE,
  ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST,
  ICMP_TIME_EXCEEDED,
  parseIcmp,
  pingPayload,
} from '../wire/icmp.ts';
import { IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP, parseIpv4 } from '../wire/ipv4.ts';
import { parseTcp } from '../wire/tcp.ts';
import { ipPacket } from './frames.ts';
import { icmpEcho } from './icmp.ts';
import { DEFAULT_TTL, ipRepr } from './ip-repr.ts';
import { sendIp } from './ip-output.ts';
import type { Dataplane, IpProtocolHandler, Skb } from './types.ts';
import { place } from './types.ts';
import { createTcp, type ConnectOptions, type Tcp, type TransportHooks } from './tcp.ts';
import { udpRcv } from './udp.ts';
import { udpSend } from './udp-send.ts';
import { neighConfirm } from './nud.ts';
import { broadcastRoute, isMulticast } from './addresses.ts';
import { PING_BROADCAST_REFUSED } from '../narration/ip.ts';

/** pcap and ping timestamps count from here: 2026-01-01T00:00:00Z. */
export const EPOCH_SECONDS = 1_767_225_600;
export { DEFAULT_TTL, ipRepr };

/** What ping prints for an ICMP error (iputils' pr_icmph). */
export function icmpErrorText(type: number, code: number): string {
  if (type === ICMP_TIME_EXCEEDED)
    return code === 0 ? 'Time to live exceeded' : 'Frag reassembly time exceeded';
  const unreachable = [
    'Destination Net Unreachable',
    'Destination Host Unreachable',
    'Destination Protocol Unreachable',
    'Destination Port Unreachable',
  ];
  return unreachable[code] ?? `Dest Unreachable, Bad Code: ${code}`;
}

export interface Transport {
  readonly protocols: ReadonlyMap<number, IpProtocolHandler>;
  unreachable(dp: Dataplane, netnsId: string, packet: Uint8Array, reason: string): void;
  /** `ping -c COUNT [-b] DST`; `broadcast` is -b (a broadcast address is refused without it). */
  ping(
    netnsId: string,
    src: string,
    dst: string,
    count: number,
    target: string,
    broadcast?: boolean,
  ): void;
  /** A program (container `owner`) connects, then does what `options` say (`printf DATA | nc -N -w T`). */
  connect(
    netnsId: string,
    src: string,
    dst: string,
    port: number,
    target: string,
    options?: ConnectOptions & { readonly owner?: string },
  ): void;
  /** A container's process exits: the kernel closes the sockets it held. */
  exitProcess(netnsId: string, owner: string): void;
  /** `printf DATA | nc -u -w 1 DST PORT`: one UDP datagram from a connected socket. */
  send(
    netnsId: string,
    src: string,
    dst: string,
    port: number,
    data: string,
    target: string,
    owner: string,
  ): void;
}

export type { ConnectOptions, TransportHooks };

/** The TCP ports a quoted or undelivered packet starts with. */
function tcpPorts(packet: Uint8Array): { srcPort: number; dstPort: number } | undefined {
  const ihl = (packet[0] & 0x0f) * 4;
  if (packet.length < ihl + 4) return undefined;
  const v = new DataView(packet.buffer, packet.byteOffset + ihl, 4);
  return { srcPort: v.getUint16(0), dstPort: v.getUint16(2) };
}

interface PingRun {
  readonly identifier: number;
  readonly dst: string;
}

/**
 * ping's RTT: like iputils ping, from the send time it wrote into the echo's
 * payload (a struct timeval, when the payload has room for one), so nothing
 * outside the packet and the clock is needed.
 */
function rttMs(payload: Uint8Array, nowUs: number): number {
  if (payload.length < 16) return 0;
  const v = new DataView(payload.buffer, payload.byteOffset, 16);
  const sentUs =
    (Number(v.getBigUint64(0, true)) - EPOCH_SECONDS) * 1e6 + Number(v.getBigUint64(8, true));
  return (nowUs - sentUs) / 1000;
}

export function createTransport(dp: () => Dataplane, hooks: TransportHooks): Transport {
  const tcp: Tcp = createTcp(dp, hooks);

  function sendEcho(netnsId: string, src: string, run: PingRun, seq: number, why: Fact): void {
    const d = dp();
    const t = d.world.timeUs;
    const sec = EPOCH_SECONDS + Math.floor(t / 1e6);
    const icmp = emitIcmp({
      type: ICMP_ECHO_REQUEST,
      code: 0,
      identifier: run.identifier,
      sequence: seq,
      data: pingPayload(sec, t % 1e6),
    });
    // ping's raw socket sends with DF set and a non-zero IP ID.
    const id = d.ipIdent(netnsId, src, run.dst, IP_PROTO_ICMP);
    // A multicast packet leaves with the socket's IP_MULTICAST_TTL, 1 unless ping -t sets it.
    const repr = ipRepr(IP_PROTO_ICMP, src, run.dst, id, true);
    const packet = ipPacket(isMulticast(run.dst) ? { ...repr, ttl: 1 } : repr, icmp);
    sendIp(d, netnsId, packet, why);
  }

  function pingReply(d: Dataplane, skb: Skb, sequence: number, payload: Uint8Array): void {
    const rtt = rttMs(payload, d.world.timeUs);
    const len = skb.packet.length - 20;
    d.world.record({
      kind: 'icmp',
      place: place(d.world.netns(skb.netns), skb.inDev),
      ...(skb.frame ? { frame: skb.frame } : {}),
      summary: `ping: reply from ${skb.ip.srcAddr}`,
      facts: {
        type: 'ping.reply',
        len,
        src: skb.ip.srcAddr,
        seq: sequence,
        ttl: skb.ip.ttl,
        rttMs: rtt.toFixed(3),
        hops: DEFAULT_TTL - skb.ip.ttl,
      },
    });
  }

  const icmpRcv: IpProtocolHandler = (d, skb) => {
    const { repr: icmp } = parseIcmp(skb.packet.subarray(20));
    if (icmp.type === ICMP_ECHO_REQUEST) icmpEcho(d, skb);
    else if (icmp.type === ICMP_ECHO_REPLY) pingReply(d, skb, icmp.sequence, icmp.data);
    else if (icmp.type === ICMP_DEST_UNREACHABLE || icmp.type === ICMP_TIME_EXCEEDED)
      icmpError(d, skb, icmp.type, icmp.code, icmp.data);
  };

  /** An ICMP error quoting something we sent: ping prints it, a connect fails with its errno. */
  function icmpError(d: Dataplane, skb: Skb, type: number, code: number, data: Uint8Array): void {
    const quoted = parseIpv4(data);
    const reason = icmpErrorText(type, code);
    if (quoted.repr.protocol === IP_PROTO_TCP) {
      tcp.unreachable(skb.netns, quoted.repr, tcpPorts(data), reason);
      return;
    }
    if (quoted.repr.protocol === IP_PROTO_UDP) {
      const ports = tcpPorts(data); // UDP's ports sit where TCP's do
      const sock = d.world
        .netns(skb.netns)
        .sockets?.find(
          (s) =>
            s.protocol === 'udp' &&
            s.localPort === ports?.srcPort &&
            s.peerAddr === quoted.repr.dstAddr &&
            s.peerPort === ports?.dstPort,
        );
      if (!sock) return;
      d.world.record({
        kind: 'icmp',
        place: place(d.world.netns(skb.netns), skb.inDev),
        ...(skb.frame ? { frame: skb.frame } : {}),
        summary: `${sock.localAddr}:${sock.localPort}: ${reason}`,
        facts: {
          type: 'udp.refused',
          who: d.label(skb.netns),
          socket: `${sock.localAddr}:${sock.localPort}`,
          from: skb.ip.srcAddr,
        },
      });
      return;
    }
    if (quoted.repr.protocol !== IP_PROTO_ICMP) return;
    const { repr: echo } = parseIcmp(quoted.payload);
    d.world.record({
      kind: 'icmp',
      place: place(d.world.netns(skb.netns), skb.inDev),
      ...(skb.frame ? { frame: skb.frame } : {}),
      summary: `ping: From ${skb.ip.srcAddr} ${reason}`,
      facts: {
        type: 'ping.error',
        src: skb.ip.srcAddr,
        id: echo.identifier,
        seq: echo.sequence,
        reason,
      },
    });
  }

  const tcpRcv: IpProtocolHandler = (d, skb) => {
    const seg = parseTcp(skb.packet.subarray(20)).repr;
    // tcp_ack → sk_dst_confirm: an acknowledgement proves the path's next hop is alive.
    if (seg.flags.ack && !seg.flags.rst) neighConfirm(d, skb.netns, skb.ip.srcAddr);
    tcp.input(skb.netns, skb.inDev ?? 'eth0', skb.ip, seg, skb.frame);
  };

  return {
    protocols: new Map<number, IpProtocolHandler>([
      [IP_PROTO_ICMP, icmpRcv],
      [IP_PROTO_TCP, tcpRcv],
      [IP_PROTO_UDP, udpRcv],
    ]),
    unreachable(d, netnsId, packet, reason) {
      const ip = parseIpv4(packet);
      const ns = d.world.netns(netnsId);
      if (ip.repr.protocol === IP_PROTO_ICMP) {
        const { repr: icmp } = parseIcmp(ip.payload);
        d.world.record({
          kind: 'icmp',
          place: place(ns),
          summary: `ping: ${reason}`,
          facts: {
            type: 'ping.local-error',
            src: ip.repr.srcAddr,
            seq: icmp.sequence,
            reason,
          },
        });
      } else if (ip.repr.protocol === IP_PROTO_TCP) {
        tcp.unreachable(netnsId, ip.repr, tcpPorts(packet), reason);
      }
    },
    ping(netnsId, src, dst, count, target, broadcast = false) {
      const d = dp();
      const ns = d.world.netns(netnsId);
      const bc = broadcastRoute(ns, dst, src);
      if (bc?.type === 'broadcast' && !broadcast) {
        // ping's probe socket connect()s first; without SO_BROADCAST the kernel says EACCES.
        d.world.record({
          kind: 'error',
          place: place(ns),
          summary: PING_BROADCAST_REFUSED,
          facts: { type: 'ping.broadcast-refused', who: d.label(netnsId), dst },
        });
        return;
      }
      if (bc)
        d.world.record({
          kind: 'icmp',
          place: place(ns),
          summary:
            bc.type === 'broadcast'
              ? 'WARNING: pinging broadcast address'
              : `ping: ${dst} is a multicast group`,
          facts: { type: 'ping.broadcast', who: d.label(netnsId), dst, kind: bc.type },
        });
      const run: PingRun = { identifier: d.rng.int(1000, 32767), dst };
      for (let seq = 1; seq <= count; seq++) {
        d.at((seq - 1) * 1_000_000, () =>
          sendEcho(netnsId, src, run, seq, {
            type: 'ping.request',
            who: d.label(netnsId),
            count,
            target,
            seq,
            id: run.identifier,
          }),
        );
      }
    },
    connect(netnsId, src, dst, port, target, options) {
      tcp.connect(netnsId, src, dst, port, target, options);
    },
    exitProcess(netnsId, owner) {
      tcp.exit(netnsId, owner);
    },
    send(netnsId, src, dst, port, data, target, owner) {
      udpSend(dp(), netnsId, src, dst, port, data, target, owner);
    },
  };
}

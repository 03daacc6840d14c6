/**
 * What sits above IP in a namespace: the kernel's ICMP echo responder, the
 * `ping` program, and TCP's three-way handshake with Linux's defaults
 * (option order MSS, SACK_PERM, TS, NOP, WS; window rounded to the MSS;
 * SYN-ACK and RST with IP ID 0). See linux-reference/README.md §1.
 */
import {
  emitIcmp,
  ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST,
  parseIcmp,
  pingPayload,
} from '../wire/icmp.ts';
import {
  IP_PROTO_ICMP,
  IP_PROTO_TCP,
  IP_PROTO_UDP,
  parseIpv4,
  type Ipv4Repr,
} from '../wire/ipv4.ts';
import { parseTcp } from '../wire/tcp.ts';
import { ipPacket } from './frames.ts';
import { ipOutput } from './ip.ts';
import { place, type Dataplane } from './stack.ts';
import { createTcp, type Tcp } from './tcp.ts';
import { vxlanInput } from './vxlan.ts';

/** pcap and ping timestamps count from here: 2026-01-01T00:00:00Z. */
export const EPOCH_SECONDS = 1_767_225_600;
export const DEFAULT_TTL = 64;

export interface Transport {
  deliver(netnsId: string, dev: string, packet: Uint8Array, frame: Uint8Array): void;
  unreachable(netnsId: string, packet: Uint8Array, reason: string): void;
  ping(netnsId: string, src: string, dst: string, count: number, target: string): void;
  connect(netnsId: string, src: string, dst: string, port: number, target: string): void;
}

export interface TransportHooks {
  /** Which container of the pod in `netnsId` listens on TCP `port`, if any. */
  listener(netnsId: string, port: number): string | undefined;
  /** MTU of the namespace's egress device toward `dst`. */
  mtu(netnsId: string, dst: string): number;
}

interface PingRun {
  readonly identifier: number;
  readonly dst: string;
  readonly sent: Map<number, number>; // seq → send time (µs)
}

export function ipRepr(
  protocol: number,
  src: string,
  dst: string,
  identification: number,
  dontFragment: boolean,
): Ipv4Repr {
  return {
    dscp: 0,
    ecn: 0,
    identification,
    dontFragment,
    ttl: DEFAULT_TTL,
    protocol,
    srcAddr: src,
    dstAddr: dst,
  };
}

export function createTransport(dp: () => Dataplane, hooks: TransportHooks): Transport {
  const pings = new Map<string, PingRun>();
  const tcp: Tcp = createTcp(dp, hooks);

  function sendEcho(netnsId: string, src: string, run: PingRun, seq: number, why: string): void {
    const d = dp();
    const t = d.world.timeUs;
    run.sent.set(seq, t);
    const sec = EPOCH_SECONDS + Math.floor(t / 1e6);
    const icmp = emitIcmp({
      type: ICMP_ECHO_REQUEST,
      code: 0,
      identifier: run.identifier,
      sequence: seq,
      data: pingPayload(sec, t % 1e6),
    });
    // ping's raw socket sends with DF set and a non-zero IP ID.
    const packet = ipPacket(ipRepr(IP_PROTO_ICMP, src, run.dst, d.rng.int(1, 0xffff), true), icmp);
    ipOutput(d, netnsId, packet, why);
  }

  function echoInput(netnsId: string, dev: string, packet: Uint8Array, frame: Uint8Array): void {
    const d = dp();
    const ip = parseIpv4(packet);
    const { repr: icmp } = parseIcmp(ip.payload);
    const who = d.label(netnsId);
    if (icmp.type === ICMP_ECHO_REQUEST) {
      const reply = emitIcmp({ ...icmp, type: ICMP_ECHO_REPLY });
      // The kernel's echo reply (icmp_reply) goes out without DF and with its own IP ID.
      const out = ipPacket(
        ipRepr(IP_PROTO_ICMP, ip.repr.dstAddr, ip.repr.srcAddr, d.rng.int(1, 0xffff), false),
        reply,
      );
      ipOutput(
        d,
        netnsId,
        out,
        `${who}'s kernel answers the echo request from ${ip.repr.srcAddr} itself (no process involved): an echo reply with the same id ${icmp.identifier}, seq ${icmp.sequence} and payload.`,
      );
      return;
    }
    if (icmp.type === ICMP_ECHO_REPLY) {
      const run = pings.get(`${netnsId}|${icmp.identifier}`);
      const sentAt = run?.sent.get(icmp.sequence);
      const rtt = sentAt === undefined ? 0 : (d.world.timeUs - sentAt) / 1000;
      d.world.record({
        kind: 'icmp',
        place: place(d.world.netns(netnsId), dev),
        frame,
        summary: `ping: reply from ${ip.repr.srcAddr}`,
        explanation: `ping prints "${ip.payload.length} bytes from ${ip.repr.srcAddr}: icmp_seq=${icmp.sequence} ttl=${ip.repr.ttl} time=${rtt.toFixed(3)} ms". TTL ${ip.repr.ttl}: ${DEFAULT_TTL - ip.repr.ttl} routing hop(s) on the way back.`,
      });
    }
  }

  return {
    deliver(netnsId, dev, packet, frame) {
      const ip = parseIpv4(packet);
      if (ip.repr.protocol === IP_PROTO_ICMP) echoInput(netnsId, dev, packet, frame);
      else if (ip.repr.protocol === IP_PROTO_TCP)
        tcp.input(netnsId, dev, ip.repr, parseTcp(ip.payload).repr, frame);
      else if (ip.repr.protocol === IP_PROTO_UDP) vxlanInput(dp(), netnsId, dev, packet);
    },
    unreachable(netnsId, packet, reason) {
      const d = dp();
      const ip = parseIpv4(packet);
      const ns = d.world.netns(netnsId);
      if (ip.repr.protocol === IP_PROTO_ICMP) {
        const { repr: icmp } = parseIcmp(ip.payload);
        d.world.record({
          kind: 'icmp',
          place: place(ns),
          summary: `ping: ${reason}`,
          explanation: `ping prints "From ${ip.repr.srcAddr} icmp_seq=${icmp.sequence} ${reason}".`,
        });
      } else if (ip.repr.protocol === IP_PROTO_TCP) {
        tcp.unreachable(netnsId, ip.repr, reason);
      }
    },
    ping(netnsId, src, dst, count, target) {
      const d = dp();
      const run: PingRun = { identifier: d.rng.int(1000, 32767), dst, sent: new Map() };
      pings.set(`${netnsId}|${run.identifier}`, run);
      for (let seq = 1; seq <= count; seq++) {
        d.at((seq - 1) * 1_000_000, () =>
          sendEcho(
            netnsId,
            src,
            run,
            seq,
            `${d.label(netnsId)} runs \`ping -c ${count} ${target}\`: echo request seq ${seq}, id ${run.identifier} (ping's PID), 56 bytes of payload (a timestamp, then 0x10…0x37).`,
          ),
        );
      }
    },
    connect(netnsId, src, dst, port, target) {
      tcp.connect(netnsId, src, dst, port, target);
    },
  };
}

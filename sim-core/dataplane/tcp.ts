/**
 * TCP connection set-up as Linux does it (net/ipv4/tcp_output.c):
 * - SYN: options MSS, SACK_PERM, TS, NOP, WS (WS 10 with tcp_rmem[2] = 32 MiB),
 *   window = 65535 rounded down to a multiple of the MSS (64240 at MSS 1460);
 * - SYN-ACK: same option order, window rounded to MSS − 12 (timestamps),
 *   sent from the request socket with IP ID 0;
 * - later segments: NOP, NOP, TS; window scaled and rounded up (ALIGN);
 * - IP IDs of a socket start at a random base and go +1 per segment;
 * - a SYN to a port nobody listens on gets RST,ACK (IP ID 0).
 */
import type { Ipv4Repr } from '../wire/ipv4.ts';
import { IP_PROTO_TCP } from '../wire/ipv4.ts';
import { emitTcp, tcpFlags, type TcpOption, type TcpRepr } from '../wire/tcp.ts';
import { ipPacket } from './frames.ts';
import { sendIp } from './ip-output.ts';
import { ipRepr } from './ip-repr.ts';
import type { Dataplane } from './types.ts';
import { place } from './types.ts';

export interface TransportHooks {
  /** Which container of the pod in `netnsId` listens on TCP `port`, if any. */
  listener(netnsId: string, port: number): string | undefined;
  /** MTU of the namespace's egress device toward `dst`. */
  mtu(netnsId: string, dst: string): number;
}

export const WINDOW_SCALE = 10;
const EPHEMERAL_LOW = 32768; // net.ipv4.ip_local_port_range
const EPHEMERAL_HIGH = 60999;

interface Conn {
  state: 'SYN_SENT' | 'SYN_RECV' | 'ESTABLISHED';
  readonly local: string;
  readonly localPort: number;
  readonly remote: string;
  readonly remotePort: number;
  readonly isn: number;
  readonly tsOffset: number;
  ipId: number;
  peerIsn: number;
  peerTsval: number;
  readonly synWindow: number;
  readonly target: string;
}

export interface Tcp {
  connect(netnsId: string, src: string, dst: string, port: number, target: string): void;
  input(netnsId: string, dev: string, ip: Ipv4Repr, seg: TcpRepr, frame?: Uint8Array): void;
  unreachable(netnsId: string, ip: Ipv4Repr, reason: string): void;
}

const key = (ns: string, l: string, lp: number, r: string, rp: number) =>
  `${ns}|${l}:${lp}|${r}:${rp}`;
const u32 = (n: number) => n >>> 0;

/** ipv4_default_advmss: MTU less 40 bytes of headers, never above IP's 65535-byte limit less 40 (lo: 65495). */
export function advmss(mtu: number): number {
  return Math.min(mtu, 65535) - 40;
}

/** tcp_select_initial_window: 65535 rounded down to a whole number of segments. */
export function initialWindow(mss: number): number {
  return Math.floor(65535 / mss) * mss;
}

function synOptions(mss: number, tsval: number, tsecr: number): TcpOption[] {
  return [
    { kind: 'mss', value: mss },
    { kind: 'sackPermitted' },
    { kind: 'timestamps', tsval: u32(tsval), tsecr: u32(tsecr) },
    { kind: 'nop' },
    { kind: 'windowScale', shift: WINDOW_SCALE },
  ];
}

export function createTcp(dp: () => Dataplane, hooks: TransportHooks): Tcp {
  const conns = new Map<string, Conn>();

  const tsval = (c: Conn) => u32(c.tsOffset + Math.floor(dp().world.timeUs / 1000));

  function send(netnsId: string, c: Conn, seg: TcpRepr, ipId: number, why: string): void {
    const bytes = emitTcp(seg, c.local, c.remote);
    sendIp(
      dp(),
      netnsId,
      ipPacket(ipRepr(IP_PROTO_TCP, c.local, c.remote, ipId, true), bytes),
      why,
    );
  }

  function segment(
    c: Conn,
    flags: Parameters<typeof tcpFlags>[0],
    seq: number,
    ack: number,
    window: number,
    options: TcpOption[],
  ): TcpRepr {
    return {
      srcPort: c.localPort,
      dstPort: c.remotePort,
      seq: u32(seq),
      ack: u32(ack),
      flags: tcpFlags(flags),
      window,
      urgentPointer: 0,
      options,
      payload: new Uint8Array(0),
    };
  }

  function note(
    netnsId: string,
    dev: string,
    frame: Uint8Array | undefined,
    summary: string,
    explanation: string,
  ): void {
    const d = dp();
    d.world.record({
      kind: 'tcp',
      place: place(d.world.netns(netnsId), dev),
      ...(frame ? { frame } : {}),
      summary,
      explanation,
    });
  }

  function onSyn(netnsId: string, dev: string, ip: Ipv4Repr, seg: TcpRepr): void {
    const d = dp();
    const who = d.label(netnsId);
    const container = hooks.listener(netnsId, seg.dstPort);
    const c: Conn = {
      state: 'SYN_RECV',
      local: ip.dstAddr,
      localPort: seg.dstPort,
      remote: ip.srcAddr,
      remotePort: seg.srcPort,
      isn: container ? d.rng.u32() : 0,
      tsOffset: d.rng.u32(),
      ipId: d.rng.int(1, 0xffff),
      peerIsn: seg.seq,
      peerTsval: 0,
      synWindow: 0,
      target: '',
    };
    if (!container) {
      send(
        netnsId,
        c,
        segment(c, { rst: true, ack: true }, 0, seg.seq + 1, 0, []),
        0,
        `Nothing in ${who} listens on TCP port ${seg.dstPort}, so its kernel answers the SYN with RST,ACK (IP ID 0).`,
      );
      return;
    }
    const peerMss = seg.options.find((o) => o.kind === 'mss')?.value ?? 536;
    const ownMss = advmss(hooks.mtu(netnsId, ip.srcAddr));
    const peerTs = seg.options.find((o) => o.kind === 'timestamps');
    c.peerTsval = peerTs && peerTs.kind === 'timestamps' ? peerTs.tsval : 0;
    const window = initialWindow(Math.min(ownMss, peerMss) - 12);
    const full: Conn = { ...c, synWindow: window };
    conns.set(key(netnsId, c.local, c.localPort, c.remote, c.remotePort), full);
    send(
      netnsId,
      full,
      segment(
        full,
        { syn: true, ack: true },
        full.isn,
        seg.seq + 1,
        window,
        synOptions(ownMss, tsval(full), c.peerTsval),
      ),
      0,
      `${who} has a listener on port ${seg.dstPort} (container "${container}"): the kernel answers SYN-ACK from the request socket — IP ID 0, window ${window} (65535 rounded down to whole segments of ${Math.min(ownMss, peerMss) - 12} bytes: the MSS less 12 for timestamps), same option order.`,
    );
  }

  return {
    connect(netnsId, src, dst, port, target) {
      const d = dp();
      const mss = advmss(hooks.mtu(netnsId, dst));
      const c: Conn = {
        state: 'SYN_SENT',
        local: src,
        localPort: d.rng.int(EPHEMERAL_LOW, EPHEMERAL_HIGH),
        remote: dst,
        remotePort: port,
        isn: d.rng.u32(),
        tsOffset: d.rng.u32(),
        ipId: d.rng.int(1, 0xffff),
        peerIsn: 0,
        peerTsval: 0,
        synWindow: initialWindow(mss),
        target,
      };
      conns.set(key(netnsId, c.local, c.localPort, c.remote, c.remotePort), c);
      send(
        netnsId,
        c,
        segment(c, { syn: true }, c.isn, 0, c.synWindow, synOptions(mss, tsval(c), 0)),
        c.ipId,
        `${d.label(netnsId)} calls connect() to ${target}:${port}. The kernel picks ephemeral port ${c.localPort} (ip_local_port_range 32768–60999) and sends a SYN: MSS ${mss} (MTU less 40 bytes of IP and TCP headers), SACK_PERM, timestamps, NOP, window scale ${WINDOW_SCALE}, window ${c.synWindow}.`,
      );
    },
    input(netnsId, dev, ip, seg, frame) {
      const d = dp();
      const who = d.label(netnsId);
      const c = conns.get(key(netnsId, ip.dstAddr, seg.dstPort, ip.srcAddr, seg.srcPort));
      if (seg.flags.syn && !seg.flags.ack && !c) return onSyn(netnsId, dev, ip, seg);
      if (!c) return;
      if (c.state === 'SYN_SENT' && seg.flags.rst) {
        conns.delete(key(netnsId, c.local, c.localPort, c.remote, c.remotePort));
        note(
          netnsId,
          dev,
          frame,
          'connect: Connection refused',
          `The RST ends the attempt: connect() fails with ECONNREFUSED and the program prints "Connection refused".`,
        );
        return;
      }
      if (c.state === 'SYN_SENT' && seg.flags.syn && seg.flags.ack) {
        c.state = 'ESTABLISHED';
        c.peerIsn = seg.seq;
        const ts = seg.options.find((o) => o.kind === 'timestamps');
        c.peerTsval = ts && ts.kind === 'timestamps' ? ts.tsval : 0;
        c.ipId = (c.ipId + 1) & 0xffff;
        // tcp_select_window rounds the advertised window up to the scale unit.
        const window = Math.ceil(c.synWindow / 2 ** WINDOW_SCALE);
        send(
          netnsId,
          c,
          segment(c, { ack: true }, c.isn + 1, seg.seq + 1, window, [
            { kind: 'nop' },
            { kind: 'nop' },
            { kind: 'timestamps', tsval: tsval(c), tsecr: c.peerTsval },
          ]),
          c.ipId,
          `${who} gets the SYN-ACK: connect() returns, the connection is ESTABLISHED, and the kernel sends the final ACK (window field ${window} × 2^${WINDOW_SCALE}; options NOP, NOP, TS; IP ID +1).`,
        );
        return;
      }
      if (c.state === 'SYN_RECV' && seg.flags.ack && !seg.flags.syn) {
        c.state = 'ESTABLISHED';
        note(
          netnsId,
          dev,
          frame,
          `${c.local}:${c.localPort} ESTABLISHED`,
          `The ACK completes the three-way handshake: ${who}'s connection from ${c.remote}:${c.remotePort} is ESTABLISHED and accept() hands it to the listening program.`,
        );
      }
    },
    unreachable(netnsId, ip, reason) {
      const d = dp();
      note(
        netnsId,
        'eth0',
        undefined,
        `connect: ${reason === 'Destination Host Unreachable' ? 'No route to host' : reason}`,
        `The SYN to ${ip.dstAddr} could not be delivered (${reason}), so connect() fails with ${reason === 'Network is unreachable' ? 'ENETUNREACH' : 'EHOSTUNREACH ("No route to host")'}.`,
      );
      void d;
    },
  };
}

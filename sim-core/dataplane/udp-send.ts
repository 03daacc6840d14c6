/**
 * UDP send (udp_sendmsg), as `printf DATA | nc -u -w 1 HOST PORT` does it:
 * nc connects its UDP socket, so the kernel autobinds a random free port of
 * ip_local_port_range (udp_lib_get_port: no even/odd rule, that is TCP's
 * connect()), and ss shows the socket ESTAB; the datagram goes out with DF
 * set (IP_PMTUDISC_WANT). nc exits a second later (-w 1) and the socket is
 * gone. An ICMP port unreachable for it makes the next write fail with
 * ECONNREFUSED.
 */
import type { Socket } from '../model.ts';
import { IP_PROTO_UDP } from '../wire/ipv4.ts';
import { emitUdp } from '../wire/udp.ts';
import { ipPacket } from './frames.ts';
import { ipRepr } from './ip-repr.ts';
import { sendIp } from './ip-output.ts';
import { localPortRange } from './tcp-port.ts';
import { udpAutobind } from './udp-program.ts';
import type { Dataplane } from './types.ts';
import { place } from './types.ts';

/** nc -w 1: how long nc waits after stdin ends before it exits. */
const NC_UDP_WAIT_US = 1_000_000;

const same = (a: Socket, b: Socket) =>
  a.protocol === b.protocol &&
  a.localAddr === b.localAddr &&
  a.localPort === b.localPort &&
  a.peerAddr === b.peerAddr &&
  a.peerPort === b.peerPort;

export function udpSend(
  dp: Dataplane,
  netnsId: string,
  src: string,
  dst: string,
  dport: number,
  data: string,
  target: string,
  owner: string,
): void {
  const [low, high] = localPortRange(dp.world.netns(netnsId));
  const sock = udpAutobind(dp, netnsId, src, dst, dport, owner);
  const port = sock.localPort;
  const payload = new TextEncoder().encode(data);
  const udp = emitUdp({ srcPort: port, dstPort: dport, payload }, src, dst);
  const id = dp.ipIdent(netnsId, src, dst, IP_PROTO_UDP);
  sendIp(dp, netnsId, ipPacket(ipRepr(IP_PROTO_UDP, src, dst, id, true), udp), {
    type: 'udp.send',
    who: dp.label(netnsId),
    socket: `${src}:${port}`,
    target: `${target}:${dport}`,
    len: payload.length,
    text: data,
    low,
    high,
  });
  dp.at(NC_UDP_WAIT_US, () => {
    const now = dp.world.findNetns(netnsId);
    if (!now?.sockets?.some((s) => same(s, sock))) return;
    dp.world.setNetns({ ...now, sockets: now.sockets.filter((s) => !same(s, sock)) });
    dp.world.record({
      kind: 'container',
      place: place(now),
      summary: `nc -u exits: ${src}:${port} closed`,
      facts: { type: 'udp.exit', who: dp.label(netnsId), socket: `${src}:${port}` },
    });
  });
}

/**
 * Wraps TLS records in a TCP connection's frames (Ethernet, IPv4, TCP with
 * correct sequence numbers and checksums), so tshark can reassemble and
 * decode them as it would a capture. Test-only.
 */
import { emitEthernet, ETHERTYPE_IPV4 } from '../../wire/ethernet.ts';
import { emitIpv4, IP_PROTO_TCP } from '../../wire/ipv4.ts';
import { emitTcp, tcpFlags } from '../../wire/tcp.ts';
import type { TcpFlags } from '../../wire/tcp.ts';
import { writePcap } from '../../wire/pcap.ts';

export interface Flight {
  readonly fromClient: boolean;
  readonly bytes: Uint8Array;
}

const C = { mac: '02:42:c0:a8:01:64', ip: '192.168.1.100', port: 50112 };
const S = { mac: '0a:58:0a:f4:01:05', ip: '10.244.1.5', port: 443 };
const MSS = 1448;

/** A pcap of SYN, SYN-ACK, ACK, then each flight in MSS-sized segments. */
export function tlsPcap(flights: readonly Flight[], serverPort = S.port): Uint8Array {
  const seq = { c: 1000, s: 5000 };
  const frames: Uint8Array[] = [];
  let id = 1;
  const seg = (
    fromClient: boolean,
    flags: Partial<TcpFlags>,
    payload: Uint8Array = new Uint8Array(0),
  ) => {
    const [a, b] = fromClient ? [C, S] : [S, C];
    const mine = fromClient ? 'c' : 's';
    const theirs = fromClient ? 's' : 'c';
    const tcp = emitTcp(
      {
        srcPort: fromClient ? C.port : serverPort,
        dstPort: fromClient ? serverPort : C.port,
        seq: seq[mine],
        ack: flags.ack ? seq[theirs] : 0,
        flags: tcpFlags(flags),
        window: 502,
        urgentPointer: 0,
        options: [],
        payload,
      },
      a.ip,
      b.ip,
    );
    seq[mine] += payload.length + (flags.syn ? 1 : 0);
    const ip = emitIpv4(
      {
        dscp: 0,
        ecn: 0,
        identification: id++,
        dontFragment: true,
        ttl: 64,
        protocol: IP_PROTO_TCP,
        srcAddr: a.ip,
        dstAddr: b.ip,
      },
      tcp,
    );
    frames.push(emitEthernet({ src: a.mac, dst: b.mac, ethertype: ETHERTYPE_IPV4 }, ip));
  };
  seg(true, { syn: true });
  seg(false, { syn: true, ack: true });
  seg(true, { ack: true });
  for (const f of flights) {
    for (let o = 0; o < f.bytes.length; o += MSS) {
      seg(f.fromClient, { ack: true, psh: true }, f.bytes.subarray(o, o + MSS));
    }
  }
  return writePcap(frames.map((data, i) => ({ timeUs: 1_795_000_000e6 + i * 1000, data })));
}

/** UDP sockets and the VXLAN tunnel that is one of their consumers (flannel.1). */
import type { Fact } from './facts.ts';
import { narrate } from './narrate.ts';
import type { FactOf, Narrators } from './types.ts';

export type TunnelFact =
  | FactOf<'udp.deliver', { from: string; socket: string; owner: string }>
  | FactOf<'udp.port-unreachable', { who: string; port: number }>
  | FactOf<
      'udp.send',
      {
        who: string;
        socket: string;
        target: string;
        len: number;
        text: string;
        low: number;
        high: number;
      }
    >
  | FactOf<'udp.exit', { who: string; socket: string }>
  | FactOf<'udp.refused', { who: string; socket: string; from: string }>
  | FactOf<'vxlan.no-fdb', { sent: Fact; dev: string; mac: string }>
  | FactOf<
      'vxlan.encap',
      {
        dev: string;
        mac: string;
        remote: string;
        vni: number;
        sport: number;
        dport: number;
        local: string;
        /** Whose device it is when not flannel's ("Calico"). */
        owner?: string;
        /** The remote and VNI came from the packet's tunnel key (a flow-based device), not the fdb. */
        tunnelKey?: boolean;
      }
    >
  | FactOf<'vxlan.send', { who: string }>
  | FactOf<'vxlan.decap', { who: string; dev: string; port: number; vni: number; from: string }>;

export const tunnelNarrators: Narrators<TunnelFact> = {
  'udp.deliver': (f) => ({
    headline: `${f.owner} receives the datagram on ${f.socket}`,
    explanation: `The datagram from ${f.from} matches the UDP socket ${f.socket} of ${f.owner}, which reads it with recvfrom().`,
  }),
  'udp.send': (f) => ({
    headline: `${f.who} sends a ${f.len}-byte UDP datagram to ${f.target}`,
    explanation: `${f.who} runs printf ${JSON.stringify(f.text)} | nc -u -w 1: nc connects a UDP socket to ${f.target}, so the kernel autobinds it to a random free port of ip_local_port_range (${f.low}–${f.high}; UDP has no even/odd rule): ${f.socket}, ESTAB in ss. write() becomes one datagram, DF set, no handshake and no acknowledgement.`,
  }),
  'udp.exit': (f) => ({
    headline: `nc -u exits: its socket ${f.socket} is closed`,
    explanation: `nc -w 1 waits a second after its stdin ends, then exits; the kernel closes ${f.who}'s UDP socket ${f.socket}. Nothing goes on the wire: UDP has no close.`,
  }),
  'udp.refused': (f) => ({
    headline: `ICMP port unreachable: nc's next write gets ECONNREFUSED`,
    explanation: `${f.from} answered with ICMP port unreachable. ${f.who}'s socket ${f.socket} is connected, so the kernel records the error on it (sk_err = ECONNREFUSED): nc's next write or read fails with "Connection refused".`,
  }),
  'udp.port-unreachable': (f) => ({
    headline: `Nothing on UDP ${f.port}: ICMP port unreachable`,
    explanation: `No socket in ${f.who} is bound to UDP port ${f.port}, so the kernel answers with ICMP port unreachable (type 3, code 3), quoting the datagram.`,
  }),
  'vxlan.no-fdb': (f) => ({
    headline: `${f.dev} has no fdb entry for ${f.mac}: dropped`,
    explanation: `${narrate(f.sent).explanation} ${f.dev} has no fdb entry telling which node owns ${f.mac}, and flannel runs it with nolearning, so the frame is dropped.`,
  }),
  'vxlan.encap': (f) => ({
    headline: `${f.dev} wraps the frame in VXLAN for ${f.remote}`,
    explanation: `${f.dev} is ${f.owner ?? 'flannel'}'s VXLAN device: ${f.tunnelKey ? `a flow-based one (external): the eBPF program set the tunnel key — remote ${f.remote}, VNI ${f.vni}, the sender's security identity — so` : `its fdb says ${f.mac} lives at ${f.remote}, so`} the kernel wraps the whole frame in a VXLAN header (VNI ${f.vni}), UDP ${f.sport} → ${f.dport} (source port from a hash of the inner flow) and an outer IPv4 header ${f.local} → ${f.remote} with TTL 64 and no DF: 50 bytes more.`,
  }),
  'vxlan.send': (f) => ({
    headline: `The VXLAN packet leaves ${f.who} on the node network`,
    explanation: `The encapsulated packet leaves ${f.who} like any UDP datagram.`,
  }),
  'vxlan.decap': (f) => ({
    headline: `${f.dev} unwraps the VXLAN packet from ${f.from}`,
    explanation: `UDP port ${f.port} on ${f.who} belongs to ${f.dev}: the kernel checks VNI ${f.vni}, strips the outer Ethernet, IP, UDP and VXLAN headers and receives the inner frame on ${f.dev} as if it had arrived on a wire.`,
  }),
};

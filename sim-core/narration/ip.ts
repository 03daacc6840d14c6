/**
 * Layer 3: the routing decision, forwarding, local output and loopback,
 * ICMP (echo and errors) and what ping prints.
 */
import type { Fact } from './facts.ts';
import { narrate } from './narrate.ts';
import type { FactOf, Narrators } from './types.ts';

export type IpFact =
  | FactOf<'ip.no-forward', { who: string; dst: string; pod: boolean }>
  | FactOf<'ip.ttl-expired', { who: string; ttl: number }>
  | FactOf<'ip.no-route', { who: string; dst: string }>
  | FactOf<'ip.forward', { who: string; dst: string; ttl: number; routedFrom?: string }>
  | FactOf<'ip.unreachable-out', { cause?: Fact; who: string; dst: string }>
  | FactOf<'ip.loopback', { cause?: Fact; who: string; dst: string }>
  | FactOf<'icmp.echo-reply', { who: string; src: string; id: number; seq: number }>
  | FactOf<'icmp.time-exceeded', { who: string; src: string }>
  | FactOf<'icmp.net-unreachable', { who: string; src: string }>
  | FactOf<'icmp.host-unreachable', { who: string; target: string; src: string }>
  | FactOf<'ping.request', { who: string; count: number; target: string; seq: number; id: number }>
  | FactOf<
      'ping.reply',
      { len: number; src: string; seq: number; ttl: number; rttMs: string; hops: number }
    >
  | FactOf<'ping.error', { src: string; id: number; seq: number; reason: string }>
  | FactOf<'ping.local-error', { src: string; seq: number; reason: string }>
  | FactOf<'ping.broadcast-refused', { who: string; dst: string }>
  | FactOf<'ping.broadcast', { who: string; dst: string; kind: 'broadcast' | 'multicast' }>
  | FactOf<
      'icmp.ignore-broadcast',
      { who: string; dst: string; kind: 'broadcast' | 'multicast'; src: string; seq: number }
    >
  | FactOf<'ip.not-member', { who: string; group: string }>;

/** iputils ping's message (ping/ping.c) when connect() to a broadcast address fails with EACCES. */
export const PING_BROADCAST_REFUSED =
  'ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules';

const lead = (f?: Fact) => (f ? `${narrate(f).explanation} ` : '');

export const ipNarrators: Narrators<IpFact> = {
  'ip.no-forward': (f) => ({
    headline: `${f.who} drops it: not its address, no forwarding`,
    explanation: `${f.dst} is not ${f.who}'s address and ${f.pod ? 'a pod does not forward' : `${f.who} does not forward`} (ip_forward=0), so the packet is dropped.`,
  }),
  'ip.ttl-expired': (f) => ({
    headline: `TTL expired at ${f.who}: the packet is dropped`,
    explanation: `The packet's TTL is ${f.ttl}; forwarding would take it to 0, so ${f.who} drops it.`,
  }),
  'ip.no-route': (f) => ({
    headline: `${f.who} has no route to ${f.dst}`,
    explanation: `${f.who} has no route to ${f.dst}, so it cannot forward the packet.`,
  }),
  'ip.forward': (f) => ({
    headline: `${f.who} routes it on, TTL ${f.ttl} → ${f.ttl - 1}`,
    explanation: `${f.who} routes (net.ipv4.ip_forward=1): ${f.dst} is not its own address, so it forwards the packet, decrementing TTL ${f.ttl} → ${f.ttl - 1}.${f.routedFrom ? ` It came in on ${f.routedFrom}, a veth that is no bridge port (Calico has no bridge): even a pod on this same node is reached by routing, one TTL less.` : ''}`,
  }),
  'ip.unreachable-out': (f) => ({
    headline: `${f.dst}: Network is unreachable`,
    explanation: `${lead(f.cause)}${f.who} has no route to ${f.dst}, so the kernel refuses to send (ENETUNREACH: "Network is unreachable").`,
  }),
  'ip.loopback': (f) => ({
    headline: f.cause
      ? narrate(f.cause).headline
      : `${f.dst} is local: the packet loops back through lo`,
    explanation: `${lead(f.cause)}${f.dst} is local ("local ${f.dst} dev lo table local"), so the packet loops back through lo and never leaves ${f.who}.`,
  }),
  'icmp.echo-reply': (f) => ({
    headline: `${f.who}'s kernel answers the ping from ${f.src}`,
    explanation: `${f.who}'s kernel answers the echo request from ${f.src} itself (no process involved): an echo reply with the same id ${f.id}, seq ${f.seq} and payload.`,
  }),
  'icmp.time-exceeded': (f) => ({
    headline: `${f.who} sends ICMP time exceeded to ${f.src}`,
    explanation: `${f.who} tells ${f.src} with ICMP time exceeded (type 11, code 0: TTL exceeded in transit), quoting the packet — what traceroute relies on.`,
  }),
  'icmp.net-unreachable': (f) => ({
    headline: `${f.who} sends ICMP net unreachable to ${f.src}`,
    explanation: `${f.who} tells ${f.src} with ICMP destination unreachable (type 3, code 0: net unreachable), quoting the packet.`,
  }),
  'icmp.host-unreachable': (f) => ({
    headline: `${f.who} sends ICMP host unreachable to ${f.src}`,
    explanation: `${f.who} could not resolve ${f.target}, so it tells ${f.src} with ICMP destination unreachable (type 3, code 1: host unreachable), quoting the packet.`,
  }),
  'ping.request': (f) => ({
    headline: `${f.who} pings ${f.target}: echo request seq ${f.seq}`,
    explanation: `${f.who} runs \`ping -c ${f.count} ${f.target}\`: echo request seq ${f.seq}, id ${f.id} (ping's PID), 56 bytes of payload (a timestamp, then 0x10…0x37).`,
  }),
  'ping.reply': (f) => ({
    headline: `ping: reply from ${f.src} in ${f.rttMs} ms`,
    explanation: `ping prints "${f.len} bytes from ${f.src}: icmp_seq=${f.seq} ttl=${f.ttl} time=${f.rttMs} ms". TTL ${f.ttl}: ${f.hops} routing hop(s) on the way back. ping reads the send time from the timestamp it put in the payload.`,
  }),
  'ping.error': (f) => ({
    headline: `ping: From ${f.src} ${f.reason}`,
    explanation: `The ICMP error quotes ping's own echo request (id ${f.id}, seq ${f.seq}), so ping prints "From ${f.src} icmp_seq=${f.seq} ${f.reason}".`,
  }),
  'ping.broadcast-refused': (f) => ({
    headline: `ping refuses ${f.dst}: a broadcast address without -b`,
    explanation: `${f.dst} is a broadcast address for ${f.who} (its local routing table says broadcast), so ping's probe socket, which has no SO_BROADCAST, cannot connect() to it (EACCES) and iputils ping exits with "${PING_BROADCAST_REFUSED}". Nothing is sent.`,
  }),
  'ping.broadcast': (f) => ({
    headline: `ping ${f.kind === 'multicast' ? 'sends to group' : '-b broadcasts to'} ${f.dst}`,
    explanation:
      f.kind === 'multicast'
        ? `${f.dst} is a multicast group: ping needs no -b. The echo request goes out once, to the group's MAC (01:00:5e plus the low 23 bits of the address) with TTL 1 (IP_MULTICAST_TTL's default), and every member that does not ignore broadcast pings answers.`
        : `With -b ping sets SO_BROADCAST and prints "WARNING: pinging broadcast address". The echo request goes out once, to ff:ff:ff:ff:ff:ff: every host on the segment receives it, and answers only if its net.ipv4.icmp_echo_ignore_broadcasts is 0.`,
  }),
  'icmp.ignore-broadcast': (f) => ({
    headline: `${f.who} ignores the ${f.kind} ping (icmp_echo_ignore_broadcasts=1)`,
    explanation: `The echo request from ${f.src} (seq ${f.seq}) was sent to ${f.dst}, a ${f.kind} address. Linux answers such pings only when net.ipv4.icmp_echo_ignore_broadcasts is 0; the default, 1 (RFC 1122 3.2.2.6 allows it, against smurf attacks), drops it silently: no reply, no error.`,
  }),
  'ip.not-member': (f) => ({
    headline: `${f.who} drops it: not a member of ${f.group}`,
    explanation: `${f.group} is a multicast group no socket in ${f.who} joined (only 224.0.0.1, all hosts, is joined by every interface), so the kernel does not deliver it, and nothing routes multicast here.`,
  }),
  'ping.local-error': (f) => ({
    headline: `ping: ${f.reason}`,
    explanation: `ping prints "From ${f.src} icmp_seq=${f.seq} ${f.reason}".`,
  }),
};

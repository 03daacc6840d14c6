/**
 * ARP and the neighbour state machine (arp_process, neigh_timer_handler):
 * requests and replies, and the NUD states REACHABLE, STALE, DELAY, PROBE, FAILED.
 */
import type { FactOf, Narrators } from './types.ts';

export type ArpFact =
  | FactOf<'arp.own-request', { who: string }>
  | FactOf<'arp.not-mine', { who: string; target: string }>
  | FactOf<'arp.reply', { who: string; target: string; sip: string; sha: string; known: boolean }>
  | FactOf<'arp.unsolicited', { who: string; sip: string }>
  | FactOf<'arp.speaker', { who: string; target: string; mac: string; to: string }>
  | FactOf<'arp.resolved', { who: string; sip: string; sha: string; was: string; queued: number }>
  | FactOf<'nud.stale', { who: string; ip: string; reachableS: string }>
  | FactOf<'nud.confirmed', { who: string; ip: string }>
  | FactOf<'nud.probe', { who: string; ip: string; mac: string; attempt: number; max: number }>
  | FactOf<'nud.failed', { ip: string; max: number }>;

export const arpNarrators: Narrators<ArpFact> = {
  'arp.own-request': (f) => ({
    headline: `${f.who} gets its own ARP request back (hairpin)`,
    explanation: `${f.who} receives its own request: cni0 floods broadcasts back out of the ingress port too, because flannel's CNI config turns hairpin mode on for every pod port. The sender is its own address, so the kernel ignores it.`,
  }),
  'arp.not-mine': (f) => ({
    headline: `${f.who} ignores the ARP request for ${f.target}`,
    explanation: `${f.who} receives the broadcast, but ${f.target} is not its address, so it ignores the request (and creates no neighbour entry).`,
  }),
  'arp.reply': (f) => ({
    headline: `${f.who} answers: ${f.target} is at its MAC`,
    explanation: `${f.who} receives the ARP request for its own address ${f.target}. ${
      f.known
        ? `It already knows ${f.sip} at ${f.sha}.`
        : `It records ${f.sip} → ${f.sha} in its neighbour table as STALE, learned from the request itself, so it will not need an ARP of its own.`
    } It answers with a unicast ARP reply to ${f.sha}.`,
  }),
  'arp.speaker': (f) => ({
    headline: `${f.who}'s load-balancer speaker answers for ${f.target}`,
    explanation: `${f.target} is a LoadBalancer address, not one of ${f.who}'s own, so the kernel ignores the request. The load balancer's speaker on ${f.who} (layer-2 mode, as MetalLB does it) answers from user space: ${f.target} is at ${f.mac}, ${f.who}'s eth0. ${f.to} will send the traffic to this node, where kube-proxy's rules take it.`,
  }),
  'arp.unsolicited': (f) => ({
    headline: `${f.who} ignores an unsolicited ARP reply`,
    explanation: `${f.who} has no entry for ${f.sip}, so it ignores this unsolicited reply (arp_accept=0).`,
  }),
  'arp.resolved': (f) => ({
    headline: `${f.sip} is at ${f.sha}: the entry is REACHABLE`,
    explanation:
      `${f.who} gets the answer it asked for: its neighbour entry for ${f.sip} goes from ${f.was} to REACHABLE with lladdr ${f.sha}` +
      (f.queued ? `, and the ${f.queued} queued packet(s) can now be sent.` : '.'),
  }),
  'nud.stale': (f) => ({
    headline: `${f.ip} goes STALE: nothing confirmed it`,
    explanation: `Nothing has confirmed ${f.ip} for reachable_time (${f.reachableS} s, drawn around base_reachable_time 30 s): ${f.who} keeps the MAC but marks the entry STALE; its next use will start a confirmation.`,
  }),
  'nud.confirmed': (f) => ({
    headline: `${f.ip} is REACHABLE again: TCP confirmed it`,
    explanation: `delay_first_probe_time (5 s) is over and TCP has confirmed ${f.ip} meanwhile (an ACK for data we sent), so ${f.who} marks the entry REACHABLE without an ARP probe.`,
  }),
  'nud.probe': (f) => ({
    headline:
      f.attempt === 1
        ? `${f.ip} unconfirmed: ${f.who} probes it by unicast ARP`
        : `Still no answer: another unicast ARP probe to ${f.ip}`,
    explanation:
      f.attempt === 1
        ? `${f.ip} was used while STALE and nothing confirmed it within delay_first_probe_time (5 s): the entry goes to PROBE and ${f.who} asks the known MAC ${f.mac} directly — a unicast ARP request (try 1 of ${f.max}, ucast_solicit).`
        : `Still no answer from ${f.ip}: another unicast ARP probe (try ${f.attempt} of ${f.max}).`,
  }),
  'nud.failed': (f) => ({
    headline: `${f.ip} is FAILED: no answer to ${f.max} probes`,
    explanation: `${f.ip} did not answer ${f.max} unicast probes, so the entry is FAILED: the next packet for it starts over with a broadcast request.`,
  }),
};

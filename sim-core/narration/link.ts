/**
 * Layer 2: bridges (cni0, the node network's switch), device transmission and
 * the neighbour layer's output, as the kernel's br_input.c / br_forward.c and
 * neigh_output decide them.
 */
import type { Fact } from './facts.ts';
import { narrate } from './narrate.ts';
import type { FactOf, Narrators } from './types.ts';

export type LinkFact =
  | FactOf<'bridge.learn', { bridge: string; mac: string; port: string; moved: boolean }>
  | FactOf<
      'bridge.flood',
      {
        bridge: string;
        /** Why it floods: a broadcast or multicast, or a unicast MAC the FDB does not know. */
        reason: 'broadcast' | 'multicast' | 'unknown';
        /** The frame was sent by the node itself on the bridge device. */
        fromNode: boolean;
        mac: string;
        /** The ports it goes out of, labelled with what is behind each. */
        ports: readonly string[];
        /** The ingress port, which it does not go back out of (hairpin off). */
        notBack?: string;
        /** The ingress port, which it does go back out of (hairpin on). */
        hairpin?: string;
        /** A copy goes up to the node's own stack. */
        up: boolean;
        /** What sent the frame, when the node did. */
        sent?: Fact;
      }
    >
  | FactOf<'bridge.local', { bridge: string; mac: string }>
  | FactOf<'bridge.hairpin-drop', { bridge: string; mac: string; port: string }>
  | FactOf<'bridge.forward', { bridge: string; mac: string; port: string }>
  | FactOf<'bridge.egress', { bridge: string; port: string; veth: boolean; to: string }>
  | FactOf<'bridge.dev-xmit', { bridge: string; mac: string; port: string; sent: Fact }>
  | FactOf<'dev.no-link', { dev: string; who: string }>
  | FactOf<
      'neigh.xmit',
      {
        who: string;
        cause?: Fact;
        /** The route as `ip route` prints it. */
        route: string;
        via?: string;
        dev: string;
        nexthop: string;
        mac: string;
        /** The entry was STALE: using it moves it to DELAY. */
        stale: boolean;
      }
    >
  | FactOf<
      'neigh.solicit',
      {
        who: string;
        cause?: Fact;
        route: string;
        via?: string;
        dev: string;
        nexthop: string;
        /** The packet's source, when it is not ours and the request names the device's address. */
        foreignSource?: string;
        sender: string;
      }
    >
  | FactOf<
      'neigh.resolicit',
      { who: string; target: string; attempt: number; max: number; waitS: number }
    >
  | FactOf<'neigh.failed', { target: string; tries: number; queued: number }>;

/** "veth1a2b3c4d (pod default/web)" → "veth1a2b3c4d". */
const portName = (label: string) => label.split(' ')[0];
const lead = (f?: Fact) => (f ? `${narrate(f).explanation} ` : '');
const routeText = (f: { route: string; via?: string; dev: string }) =>
  `Route "${f.route}" sends it ${f.via ? `to the gateway ${f.via}` : 'directly (on-link)'} on ${f.dev}`;
const floodWhat = (f: Extract<LinkFact, { type: 'bridge.flood' }>) =>
  f.reason === 'unknown' ? `unknown unicast ${f.mac}` : `the ${f.reason}`;

export const linkNarrators: Narrators<LinkFact> = {
  'bridge.learn': (f) => ({
    headline: `${f.bridge} learns ${f.mac} is behind ${portName(f.port)}`,
    explanation:
      `${f.bridge} learns from the source address: ${f.mac} is reachable through ${f.port}` +
      (f.moved ? ' (it had moved from another port).' : '.'),
  }),
  'bridge.flood': (f) => {
    const why = f.fromNode
      ? f.reason === 'broadcast'
        ? 'Broadcast from the node'
        : `Unknown unicast ${f.mac}`
      : f.reason === 'broadcast'
        ? 'Broadcast'
        : f.reason === 'multicast'
          ? 'Multicast'
          : `Unknown unicast ${f.mac} (not in the FDB)`;
    return {
      headline: `${f.bridge} floods ${floodWhat(f)} out of every port`,
      explanation:
        lead(f.sent) +
        `${why}: ${f.bridge} floods it out of every port` +
        (f.notBack ? ` but not back out ${f.notBack}` : '') +
        (f.hairpin ? ` (${f.hairpin} included: hairpin mode is on)` : '') +
        (f.ports.length ? ` — ${f.ports.join(', ')}` : ' (there is no other port)') +
        (f.up ? ` and passes a copy up to the node itself (${f.bridge})` : '') +
        '.',
    };
  },
  'bridge.local': (f) => ({
    headline: `${f.bridge} hands the frame up to the node's IP stack`,
    explanation: `${f.mac} is ${f.bridge}'s own address, so the bridge hands the frame up to the node's IP stack.`,
  }),
  'bridge.hairpin-drop': (f) => ({
    headline: `${f.bridge} drops it: the destination is behind the ingress port`,
    explanation: `${f.mac} is behind ${f.port}, the port the frame came in on, and hairpin mode is off there, so ${f.bridge} drops it silently.`,
  }),
  'bridge.forward': (f) => ({
    headline: `${f.bridge} forwards it out of ${portName(f.port)} only`,
    explanation: `${f.bridge} finds ${f.mac} in its FDB on ${f.port} and forwards the frame out of that port only; a bridge does not touch the IP header (TTL unchanged).`,
  }),
  'bridge.egress': (f) => ({
    headline: `The frame crosses ${f.veth ? 'the veth pair' : 'the cable'} into ${f.to}`,
    explanation: `The frame leaves ${f.bridge} on ${f.port} and crosses ${f.veth ? 'the veth pair' : 'the cable'} into ${f.to}.`,
  }),
  'bridge.dev-xmit': (f) => ({
    headline: narrate(f.sent).headline,
    explanation: `${narrate(f.sent).explanation} ${f.bridge}'s FDB has ${f.mac} on ${f.port}.`,
  }),
  'dev.no-link': (f) => ({
    headline: `${f.dev} is not connected: the frame is lost`,
    explanation: `${f.dev} in ${f.who} is not connected to anything, so the frame is lost.`,
  }),
  'neigh.xmit': (f) => ({
    headline: f.cause ? narrate(f.cause).headline : `${f.who} sends it out of ${f.dev}`,
    explanation:
      `${lead(f.cause)}${routeText(f)}; the neighbour table has ${f.nexthop} at ${f.mac}` +
      (f.stale ? ' (STALE, so it is used and moves to DELAY until something confirms it)' : '') +
      '.',
  }),
  'neigh.solicit': (f) => ({
    headline: `${f.who} asks who has ${f.nexthop} (ARP broadcast on ${f.dev})`,
    explanation:
      `${lead(f.cause)}${routeText(f)}, but the neighbour table has no entry for ${f.nexthop}: the kernel creates an INCOMPLETE entry, queues the packet and broadcasts an ARP request.` +
      (f.foreignSource
        ? ` The packet's source ${f.foreignSource} is not the node's own, so the request says "Tell ${f.sender}", ${f.dev}'s address.`
        : ''),
  }),
  'neigh.resolicit': (f) => ({
    headline: `No ARP reply: ${f.who} asks for ${f.target} again`,
    explanation: `No ARP reply for ${f.target} after ${f.waitS} s (retrans_time): ${f.who} asks again (try ${f.attempt} of ${f.max}, mcast_solicit).`,
  }),
  'neigh.failed': (f) => ({
    headline: `${f.target} is FAILED: nobody answered ARP`,
    explanation: `Nobody answered ${f.tries} ARP requests for ${f.target}: the entry becomes FAILED and the ${f.queued} queued packet(s) are dropped with "Destination Host Unreachable".`,
  }),
};

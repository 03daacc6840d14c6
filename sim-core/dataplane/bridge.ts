/**
 * The Linux bridge (cni0) as a learning switch (net/bridge/br_input.c,
 * br_forward.c): learn the source MAC on the ingress port, then deliver to
 * the bridge's own stack (its MAC), forward to the one port that has the
 * destination, or flood (broadcast, multicast and unknown unicast). A frame
 * never goes back out the port it came in on unless that port has hairpin
 * mode on. Broadcasts are also passed up to the bridge device itself.
 */
import type { Netns, Place, TableRef } from '../model.ts';
import { isMulticastMac, MAC_BROADCAST } from '../net/mac.ts';
import { parseEthernet } from '../wire/ethernet.ts';
import { bridgePorts, fdbLearn, fdbLookup } from './fdb.ts';
import { iface, KERNEL_DELAY_US, linkXmit, place, type Dataplane } from './stack.ts';

function portLabel(dp: Dataplane, ns: Netns, port: string): string {
  const dev = iface(ns, port);
  return dev.peer ? `${port} (${dp.label(dev.peer.netns)})` : port;
}

/** The bridge passes a frame up to its own device: the host's IP stack receives it on cni0. */
function deliverLocal(dp: Dataplane, netnsId: string, bridge: string, frame: Uint8Array): void {
  dp.queue.push(dp.world.timeUs + KERNEL_DELAY_US, {
    type: 'rx',
    netns: netnsId,
    iface: bridge,
    frame,
  });
}

function egress(
  dp: Dataplane,
  netnsId: string,
  bridge: string,
  ports: readonly string[],
  frame: Uint8Array,
): void {
  for (const p of ports) {
    const ns = dp.world.netns(netnsId);
    const peer = iface(ns, p).peer;
    const to = peer ? dp.label(peer.netns) : p;
    linkXmit(
      dp,
      netnsId,
      p,
      frame,
      `The frame leaves ${bridge} on ${p} and crosses ${iface(ns, p).kind === 'veth' ? 'the veth pair' : 'the cable'} into ${to}.`,
      [],
      false,
    );
  }
}

/** What the node's own stack says about a frame it is sending, for the step that shows it leaving. */
interface Origin {
  readonly explanation: string;
  readonly touched: readonly TableRef[];
}

/**
 * Flooding: one step at the bridge, `from` the ingress port (or wherever the
 * node's own frame came from), with every egress in `fanout` — the ports,
 * the ingress port itself when hairpin is on, and the bridge device when a
 * copy goes up to the node's stack.
 */
function flood(
  dp: Dataplane,
  netnsId: string,
  bridge: string,
  ingress: string | undefined,
  frame: Uint8Array,
  why: string,
  local: boolean,
  origin?: Origin,
): void {
  const ns = dp.world.netns(netnsId);
  const ports = bridgePorts(ns, bridge).filter((p) => p !== ingress || iface(ns, p).hairpin);
  // A copy goes up only to a bridge with a stack above it (cni0), not the physical switch.
  const up = local && ingress !== undefined && ns.kind !== 'network';
  const fanout: Place[] = [...ports.map((p) => place(ns, p)), ...(up ? [place(ns, bridge)] : [])];
  const names = ports.map((p) => portLabel(dp, ns, p));
  const upTo = up ? ` and passes a copy up to the node itself (${bridge})` : '';
  const back = ingress && !iface(ns, ingress).hairpin ? ` but not back out ${ingress}` : '';
  const hairpin =
    ingress && iface(ns, ingress).hairpin ? ` (${ingress} included: hairpin mode is on)` : '';
  const from = ingress !== undefined ? place(ns, ingress) : (dp.ingress ?? place(ns, bridge));
  dp.world.record({
    kind: 'flood',
    from,
    place: place(ns, bridge),
    fanout,
    frame,
    ...(origin ? { captured: true } : {}),
    summary: '',
    explanation:
      (origin ? `${origin.explanation} ` : '') +
      `${why}: ${bridge} floods it out of every port${back}${hairpin}` +
      (names.length ? ` — ${names.join(', ')}` : ' (there is no other port)') +
      `${upTo}.`,
    touched: origin?.touched ?? [],
  });
  if (up) deliverLocal(dp, netnsId, bridge, frame);
  egress(dp, netnsId, bridge, ports, frame);
}

/** A frame enters the bridge on port `ingress`. */
export function bridgeInput(
  dp: Dataplane,
  netnsId: string,
  bridge: string,
  ingress: string,
  frame: Uint8Array,
): void {
  const { repr: eth } = parseEthernet(frame);
  const learned = fdbLearn(dp.world.netns(netnsId), bridge, ingress, eth.src, dp.world.timeUs);
  dp.world.setNetns(learned.ns);
  let ns = learned.ns;
  if (learned.result === 'new' || learned.result === 'moved') {
    dp.world.record({
      kind: 'fdb-learn',
      place: place(ns, bridge),
      from: place(ns, ingress),
      frame,
      summary: `${bridge} learns ${eth.src} on ${ingress}`,
      explanation:
        `${bridge} learns from the source address: ${eth.src} is reachable through ${portLabel(dp, ns, ingress)}` +
        (learned.result === 'moved' ? ' (it had moved from another port).' : '.'),
      touched: [
        {
          table: 'fdb',
          netns: netnsId,
          key: eth.src,
          change: learned.result === 'new' ? 'added' : 'updated',
        },
      ],
    });
  }
  ns = dp.world.netns(netnsId);
  if (eth.dst === MAC_BROADCAST || isMulticastMac(eth.dst)) {
    flood(
      dp,
      netnsId,
      bridge,
      ingress,
      frame,
      eth.dst === MAC_BROADCAST ? 'Broadcast' : 'Multicast',
      true,
    );
    return;
  }
  const entry = fdbLookup(ns, bridge, eth.dst);
  if (!entry) {
    flood(
      dp,
      netnsId,
      bridge,
      ingress,
      frame,
      `Unknown unicast ${eth.dst} (not in the FDB)`,
      false,
    );
    return;
  }
  const touched = [
    { table: 'fdb' as const, netns: netnsId, key: eth.dst, change: 'read' as const },
  ];
  if (entry.port === bridge) {
    dp.world.record({
      kind: 'fdb-forward',
      from: place(ns, ingress),
      place: place(ns, bridge),
      frame,
      summary: `${bridge} → local stack`,
      explanation: `${eth.dst} is ${bridge}'s own address, so the bridge hands the frame up to the node's IP stack.`,
      touched,
    });
    deliverLocal(dp, netnsId, bridge, frame);
    return;
  }
  if (entry.port === ingress && !iface(ns, ingress).hairpin) {
    dp.world.record({
      kind: 'error',
      place: place(ns, ingress),
      frame,
      summary: `${bridge} drops: destination is behind the ingress port`,
      explanation: `${eth.dst} is behind ${ingress}, the port the frame came in on, and hairpin mode is off there, so ${bridge} drops it silently.`,
      touched,
    });
    return;
  }
  dp.world.record({
    kind: 'fdb-forward',
    from: place(ns, ingress),
    place: place(ns, entry.port),
    frame,
    summary: `${bridge} forwards ${ingress} → ${entry.port}`,
    explanation: `${bridge} finds ${eth.dst} in its FDB on ${portLabel(dp, ns, entry.port)} and forwards the frame out of that port only; a bridge does not touch the IP header (TTL unchanged).`,
    touched,
  });
  egress(dp, netnsId, bridge, [entry.port], frame);
}

/** The host sends on the bridge device itself (e.g. cni0 answering ARP for the gateway). */
export function bridgeOutput(
  dp: Dataplane,
  netnsId: string,
  bridge: string,
  frame: Uint8Array,
  explanation: string,
  touched: readonly TableRef[],
): void {
  const ns = dp.world.netns(netnsId);
  const { repr: eth } = parseEthernet(frame);
  const entry = isMulticastMac(eth.dst) ? undefined : fdbLookup(ns, bridge, eth.dst);
  if (!entry) {
    const why =
      eth.dst === MAC_BROADCAST ? 'Broadcast from the node' : `Unknown unicast ${eth.dst}`;
    flood(dp, netnsId, bridge, undefined, frame, why, false, { explanation, touched });
    return;
  }
  dp.world.record({
    kind: 'transmit',
    from: dp.ingress ?? place(ns, bridge),
    place: place(ns, entry.port),
    frame,
    captured: true,
    summary: '',
    explanation: `${explanation} ${bridge}'s FDB has ${eth.dst} on ${entry.port}.`,
    touched: [...touched, { table: 'fdb', netns: netnsId, key: eth.dst, change: 'read' }],
  });
  egress(dp, netnsId, bridge, [entry.port], frame);
}

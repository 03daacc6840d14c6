/** How a challenge names the places a packet can go: "flannel.1 of node-1", "vethbe6a4226 of node-1 → eth0 of pod-a". */
import type { Snapshot } from '../model.ts';

/** The namespace as a student knows it: the node, the pod (namespace omitted for default), the switch. */
export function whoOf(snap: Snapshot, netns: string): string {
  const ns = snap.netnsById(netns);
  if (!ns) return netns;
  if (ns.kind === 'pod') return (ns.pod ?? netns).replace(/^default\//, '');
  if (ns.kind === 'network') return 'the switch';
  return ns.kind === 'host' ? ns.node : ns.id;
}

/** An interface, and where its cable goes when it is one end of a veth or a switch port. */
export function ifaceLabel(snap: Snapshot, netns: string, iface: string): string {
  const ns = snap.netnsById(netns);
  const base = `${iface} of ${whoOf(snap, netns)}`;
  const peer = ns?.ifaces.find((f) => f.name === iface)?.peer;
  return peer && ns?.kind !== 'pod'
    ? `${base} → ${peer.iface} of ${whoOf(snap, peer.netns)}`
    : base;
}

/** The other interfaces of the namespace, labelled (loopback only in a pod, where it is all there is besides eth0). */
export function otherIfaces(snap: Snapshot, netns: string, except: readonly string[]): string[] {
  const ns = snap.netnsById(netns);
  if (!ns) return [];
  return ns.ifaces
    .filter((f) => !except.includes(f.name) && (f.kind !== 'loopback' || ns.kind === 'pod'))
    .map((f) => ifaceLabel(snap, netns, f.name));
}

export const DROPPED = 'dropped';

/** The IPv4 destination of an Ethernet frame, or undefined for ARP and the rest. */
export function ipv4Dst(frame: Uint8Array | undefined): string | undefined {
  if (!frame || frame.length < 34 || frame[12] !== 0x08 || frame[13] !== 0x00) return undefined;
  return `${frame[30]}.${frame[31]}.${frame[32]}.${frame[33]}`;
}

/** An ARP frame (ethertype 0x0806): resolving a neighbour, not the packet's own hop. */
export const isArp = (frame: Uint8Array | undefined): boolean =>
  !!frame && frame.length >= 14 && frame[12] === 0x08 && frame[13] === 0x06;

/** The destination MAC of an Ethernet frame. */
export function dstMac(frame: Uint8Array | undefined): string | undefined {
  if (!frame || frame.length < 6) return undefined;
  return Array.from(frame.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(':');
}

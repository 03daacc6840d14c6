/** Small formatting helpers shared by the topology, the timeline and the panels. */
import type { Place } from '@kubewire/sim-core';

export const truncate = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

/** "node-1/default/web-0" → "default/web-0"; a host netns id is its node's name. */
export function netnsLabel(netns: string): string {
  if (netns.startsWith('@')) return netns.slice(1); // sim-core's node network switch: "@network"
  const parts = netns.split('/');
  return parts.length > 1 ? parts.slice(1).join('/') : netns;
}

/** "web-0 eth0", "node-1 cni0": where a step happened, as short as it stays unambiguous. */
export function placeLabel(place: Place): string {
  const ns = netnsLabel(place.netns);
  const short = ns.startsWith('default/') ? ns.slice('default/'.length) : ns;
  return place.iface ? `${short} ${place.iface}` : short;
}

/** Simulated microseconds as Wireshark's relative time column (seconds, 6 decimals). */
export const formatTime = (us: number): string => (us / 1e6).toFixed(6);

export const shortId = (id: string, length = 12): string =>
  id.replace(/^[a-z]+:\/\//, '').slice(0, length);

/**
 * How IPVS finds a connection (ip_vs_conn.c): ip_vs_conn_in_get hashes a
 * packet from the client by protocol, client address:port and virtual
 * address:port; ip_vs_conn_out_get hashes a packet from the real server by
 * protocol, destination address:port and client address:port. A persistence
 * template is found by protocol, client address (port 0) and virtual
 * address:port. skb->ipvs_property marks a packet IPVS has already handled,
 * so no IPVS hook looks at it again.
 */
import { hamtGet } from '../../engine/hamt.ts';
import type { Skb } from '../types.ts';
import type { IpvsConn, IpvsEndpoint, IpvsState } from './state.ts';

type Proto = IpvsConn['protocol'];
const ep = (e: IpvsEndpoint) => `${e.ip}:${e.port}`;

export const inKey = (p: Proto, client: IpvsEndpoint, virt: IpvsEndpoint) =>
  `${p}|${ep(client)}|${ep(virt)}`;
export const outKey = (p: Proto, dest: IpvsEndpoint, client: IpvsEndpoint) =>
  `${p}|${ep(dest)}|${ep(client)}`;
export const templateKey = (p: Proto, clientIp: string, virt: IpvsEndpoint) =>
  `T|${p}|${clientIp}|${ep(virt)}`;

/** skb->ipvs_property, kept beside the skb (which lives for one packet in one namespace). */
const property = new WeakSet<Skb>();

export function setIpvsProperty(skb: Skb): void {
  property.add(skb);
}

export function hasIpvsProperty(skb: Skb): boolean {
  return property.has(skb);
}

/** A live (not expired) entry. */
export function liveConn(state: IpvsState, key: string, nowUs: number): IpvsConn | undefined {
  const c = hamtGet(state.conns, key);
  return c && c.expiresUs > nowUs ? c : undefined;
}

/** The connection a packet from the real server belongs to. */
export function connOut(
  state: IpvsState,
  p: Proto,
  src: IpvsEndpoint,
  dst: IpvsEndpoint,
  nowUs: number,
): IpvsConn | undefined {
  const k = hamtGet(state.out, outKey(p, src, dst));
  return k === undefined ? undefined : liveConn(state, k, nowUs);
}

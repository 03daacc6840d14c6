/**
 * What a NAT target asks conntrack to do. netfilter only decides; the
 * caller's conntrack picks the tuple (nf_nat_setup_info) and rewrites.
 */
import type { NfTarget } from './rule.ts';
import { u32ToIp } from './values.ts';

export interface NatRequest {
  readonly kind: 'DNAT' | 'SNAT' | 'MASQUERADE';
  /** The address to map to (the first of a range); absent keeps it (DNAT ":8080") or, for MASQUERADE, the output interface's. */
  readonly addr?: string;
  readonly addrRange?: readonly [string, string];
  /** The port to map to (the first of a range); absent keeps it. */
  readonly port?: number;
  readonly portRange?: readonly [number, number];
  readonly random: boolean;
  readonly randomFully: boolean;
  readonly persistent: boolean;
}

export function natRequest(
  t: Extract<NfTarget, { kind: 'DNAT' | 'SNAT' | 'MASQUERADE' }>,
): NatRequest {
  const r = t.range;
  const out: { -readonly [K in keyof NatRequest]: NatRequest[K] } = {
    kind: t.kind,
    random: t.random,
    randomFully: t.randomFully,
    persistent: t.persistent,
  };
  if (r.minAddr !== undefined) {
    out.addr = u32ToIp(r.minAddr);
    const max = r.maxAddr ?? r.minAddr;
    if (max !== r.minAddr) out.addrRange = [u32ToIp(r.minAddr), u32ToIp(max)];
  }
  if (r.minPort !== undefined) {
    out.port = r.minPort;
    const max = r.maxPort ?? r.minPort;
    if (max !== r.minPort) out.portRange = [r.minPort, max];
  }
  return out;
}

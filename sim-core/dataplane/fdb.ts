/**
 * A Linux bridge's forwarding database (net/bridge/br_fdb.c): the bridge's
 * and each port's own MAC as permanent local entries, and source MACs learned
 * on ingress. Learning never happens for group (multicast/broadcast) sources.
 */
import type { FdbEntry, Netns } from '../model.ts';
import { isMulticastMac } from '../net/mac.ts';

export function fdbLookup(ns: Netns, bridge: string, mac: string): FdbEntry | undefined {
  return ns.fdb.find((e) => e.bridge === bridge && e.mac === mac && e.flag === 'master');
}

export type LearnResult = 'new' | 'moved' | 'refreshed' | 'ignored';

/** br_fdb_update: learn or refresh `mac` on `port`. Returns the new netns and what happened. */
export function fdbLearn(
  ns: Netns,
  bridge: string,
  port: string,
  mac: string,
  timeUs: number,
): { ns: Netns; result: LearnResult } {
  if (isMulticastMac(mac)) return { ns, result: 'ignored' };
  const i = ns.fdb.findIndex((e) => e.bridge === bridge && e.mac === mac && e.flag === 'master');
  const existing = i >= 0 ? ns.fdb[i] : undefined;
  if (existing?.permanent) return { ns, result: 'ignored' };
  const entry: FdbEntry = {
    mac,
    port,
    bridge,
    permanent: false,
    flag: 'master',
    learnedUs: timeUs,
  };
  const fdb = [...ns.fdb];
  if (existing) fdb[i] = entry;
  else fdb.push(entry);
  const result: LearnResult = !existing ? 'new' : existing.port !== port ? 'moved' : 'refreshed';
  return { ns: { ...ns, fdb }, result };
}

/** Ports of `bridge` in this netns, in the order they were enslaved. */
export function bridgePorts(ns: Netns, bridge: string): string[] {
  return ns.ifaces.filter((i) => i.master === bridge).map((i) => i.name);
}

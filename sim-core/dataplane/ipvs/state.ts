/**
 * The per-namespace state of ipset and IPVS, kept in the per-step store like
 * every other kernel table. The IPVS dataplane fills these in; until then a
 * namespace has none.
 */

/** One set as `ipset list` shows it: its type, options and members. */
export interface IpsetSet {
  readonly name: string;
  /** hash:ip,port, hash:ip,port,ip, hash:ip,port,net, bitmap:port, hash:net … */
  readonly type: string;
  readonly members: readonly string[];
}

/** ipset's sets in a namespace, by name. */
export type IpsetState = Readonly<Record<string, IpsetSet>>;

/** IPVS in a namespace: opaque here, defined by the IPVS dataplane. */
export interface IpvsState {
  readonly virtualServers: readonly unknown[];
}

/**
 * ipset membership as the kernel's set types test a packet (ip_set_test →
 * the type's kadt function, net/netfilter/ipset/ip_set_*.c). Each dimension
 * of the set's type takes the source or the destination of the packet by
 * the match's flags ("dst,dst": address and port of the destination); a
 * match giving fewer flags than the type has dimensions never matches
 * (ip_set_test: opt->dim < set->type->dimension). The port dimension is the
 * protocol and port ("tcp:53"): a TCP packet never matches a udp entry, and a
 * packet with no ports (ICMP, other protocols) matches no port entry.
 * hash:ip,port,net tests the source/destination against every prefix the
 * set holds, most specific first (the hash:*net types' nets[] walk).
 */
import type { IpsetKey } from '../netfilter/packet.ts';
import { ipU32, prefixToMask, u32ToIp } from '../netfilter/values.ts';
import type { IpsetSet, IpsetState } from './state.ts';

const DIMENSIONS: Readonly<Record<string, number>> = {
  'hash:ip': 1,
  'hash:net': 1,
  'bitmap:port': 1,
  'hash:ip,port': 2,
  'hash:ip,port,ip': 3,
  'hash:ip,port,net': 3,
};

const PROTO_NAME: Readonly<Record<number, string>> = { 6: 'tcp', 17: 'udp', 132: 'sctp' };

/** The members as a lookup set, built once per set object (sets are immutable). */
const index = new WeakMap<IpsetSet, ReadonlySet<string>>();
function members(set: IpsetSet): ReadonlySet<string> {
  let s = index.get(set);
  if (!s) index.set(set, (s = new Set(set.members.map(canonical))));
  return s;
}

/** ipset's own parse of an entry: a port without a protocol is tcp, a /32 net is the address. */
function canonical(entry: string): string {
  return entry
    .split(',')
    .map((part) => (/^\d+$/.test(part) && entry.includes(',') ? `tcp:${part}` : part))
    .join(',');
}

/** The prefix lengths a hash:ip,port,net set holds, longest first. */
const netPrefixes = new WeakMap<IpsetSet, readonly number[]>();
function prefixes(set: IpsetSet): readonly number[] {
  let p = netPrefixes.get(set);
  if (!p) {
    const lens = new Set(set.members.map((m) => Number(m.split(',')[2]?.split('/')[1] ?? 32)));
    netPrefixes.set(set, (p = [...lens].sort((a, b) => b - a)));
  }
  return p;
}

const pick = (key: IpsetKey, dir: 'src' | 'dst') => (dir === 'src' ? key.src : key.dst);
const port = (key: IpsetKey, dir: 'src' | 'dst') => (dir === 'src' ? key.sport : key.dport);

/** Whether the packet's key is in the set; undefined when there is no set of that name. */
export function ipsetTest(
  sets: IpsetState | undefined,
  name: string,
  key: IpsetKey,
  dirs: readonly ('src' | 'dst')[],
): boolean | undefined {
  const set = sets?.[name];
  if (!set) return undefined;
  const dim = DIMENSIONS[set.type] ?? 1;
  if (dirs.length < dim) return false;
  const has = members(set);
  const proto = PROTO_NAME[key.protocol];
  const ipPort = () => {
    const p = port(key, dirs[1]);
    return proto && p !== undefined ? `${pick(key, dirs[0])},${proto}:${p}` : undefined;
  };
  switch (set.type) {
    case 'hash:ip':
      return has.has(pick(key, dirs[0]));
    case 'bitmap:port': {
      // bitmap:port reads the port of any protocol with ports; kube-proxy pairs it with -p.
      const p = port(key, dirs[0]);
      return p !== undefined && has.has(String(p));
    }
    case 'hash:ip,port': {
      const e = ipPort();
      return e !== undefined && has.has(e);
    }
    case 'hash:ip,port,ip': {
      const e = ipPort();
      return e !== undefined && has.has(`${e},${pick(key, dirs[2])}`);
    }
    case 'hash:ip,port,net': {
      const e = ipPort();
      if (e === undefined) return false;
      const ip = ipU32(pick(key, dirs[2]));
      return prefixes(set).some((len) => {
        const net = u32ToIp((ip & prefixToMask(len)) >>> 0);
        return has.has(`${e},${net}/${len}`) || (len === 32 && has.has(`${e},${net}`));
      });
    }
    case 'hash:net': {
      const ip = ipU32(pick(key, dirs[0]));
      for (let len = 32; len >= 0; len--) {
        const net = u32ToIp((ip & prefixToMask(len)) >>> 0);
        if (has.has(`${net}/${len}`) || (len === 32 && has.has(net))) return true;
      }
      return false;
    }
    default:
      return false;
  }
}

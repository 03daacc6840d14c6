/**
 * `ipset list` and `ipset save` as ipset 7.x prints them for the sets
 * kube-proxy creates (ipset/lib/print.c; the kernel's list order).
 *
 * A hash set lists its members bucket by bucket: the bucket is
 * jhash2(element words, initval) & (2^10 - 1) for hashsize 1024
 * (ip_set_hash_gen.h HKEY), and within a bucket members keep their insertion
 * order. initval is random per set in the kernel (get_random_u32); here it is
 * the caller's (from the seeded generator). bitmap:port lists ports in order.
 */
import { jhash2, leWords } from './jhash.ts';
import type { IpsetType, KubeIpset } from './ipset.ts';

/** Per-set facts the kernel holds that the entries do not give. */
export interface IpsetRuntime {
  /** The hash seed ("initval" in the header), a u32. */
  readonly initval?: number;
  /** How many iptables rules reference the set (`References:`). */
  readonly references?: number;
}

const HASHSIZE = 1024;
const HTABLE_BITS = 10;
const MAXELEM = 65536;
const BUCKETSIZE = 12;
/** AHASH_INIT_SIZE: a bucket grows two slots at a time. */
const BUCKET_GROW = 2;
/** sizeof(struct hbucket) on x86-64. */
const HBUCKET_SIZE = 32;

/** The set type's revision the kernel reports (IPSET_TYPE_REV_MAX of Linux 6.x). */
const REVISION: Record<IpsetType, number> = {
  'hash:ip': 6,
  'hash:ip,port': 7,
  'hash:ip,port,ip': 6,
  'hash:ip,port,net': 8,
  'bitmap:port': 3,
};

/** Element size (struct hash_*4_elem) of each hash type. */
const ELEM_SIZE: Record<Exclude<IpsetType, 'bitmap:port'>, number> = {
  'hash:ip': 4,
  'hash:ip,port': 8,
  'hash:ip,port,ip': 12,
  'hash:ip,port,net': 12,
};

/**
 * "Size in memory" of an empty set, measured on Linux 6.18 x86-64 with ipset
 * 7.17 (struct htype + htable + regions; bitmap:port 0-65535 is its whole
 * bitmap and never grows).
 */
const EMPTY_SIZE: Record<IpsetType, number> = {
  'hash:ip': 216,
  'hash:ip,port': 216,
  'hash:ip,port,ip': 208,
  'hash:ip,port,net': 464,
  'bitmap:port': 8264,
};

const PROTO: Record<string, number> = { tcp: 6, udp: 17, sctp: 132 };

const ipBytes = (ip: string) => ip.split('.').map(Number);

function maskBytes(ip: string, prefix: number): number[] {
  const n = ipBytes(ip).reduce((a, b) => (a << 8) | b, 0) >>> 0;
  const m = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const v = (n & m) >>> 0;
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
}

/** "10.96.0.1,tcp:443" → ip, protocol number, port. */
function ipPort(s: string): { ip: string; proto: number; port: number } {
  const [ip, pp] = s.split(',');
  const [p, port] = pp.split(':');
  return { ip, proto: PROTO[p] ?? 0, port: Number(port) };
}

/** The element struct's bytes (network order fields, as the kernel stores them). */
export function elementBytes(type: IpsetType, entry: string): number[] {
  const parts = entry.split(',');
  switch (type) {
    case 'hash:ip':
      return ipBytes(entry);
    case 'hash:ip,port': {
      const { ip, proto, port } = ipPort(entry);
      return [...ipBytes(ip), port >> 8, port & 255, proto, 0];
    }
    case 'hash:ip,port,ip': {
      const { ip, proto, port } = ipPort(`${parts[0]},${parts[1]}`);
      return [...ipBytes(ip), ...ipBytes(parts[2]), port >> 8, port & 255, proto, 0];
    }
    case 'hash:ip,port,net': {
      const { ip, proto, port } = ipPort(`${parts[0]},${parts[1]}`);
      const [net, len] = parts[2].split('/');
      const prefix = len === undefined ? 32 : Number(len);
      // cidr is stored minus one (IP_SET_HASH_WITH_NETS_PACKED), nomatch bit clear.
      return [
        ...ipBytes(ip),
        ...maskBytes(net, prefix),
        port >> 8,
        port & 255,
        (prefix - 1) & 0x7f,
        proto,
      ];
    }
    case 'bitmap:port':
      throw new Error('bitmap:port has no hash element');
  }
}

/** The bucket a hash set puts an entry in (hashsize 1024). */
export function ipsetBucket(type: IpsetType, entry: string, initval: number): number {
  return jhash2(leWords(elementBytes(type, entry)), initval >>> 0) & ((1 << HTABLE_BITS) - 1);
}

/** Members in the order the kernel lists them, after adding `entries` in order. */
export function listOrder(type: IpsetType, entries: readonly string[], initval: number): string[] {
  if (type === 'bitmap:port') return [...entries].sort((a, b) => Number(a) - Number(b));
  const placed = entries.map((e, i) => ({ e, i, b: ipsetBucket(type, e, initval) }));
  placed.sort((x, y) => x.b - y.b || x.i - y.i);
  return placed.map((p) => p.e);
}

/** "Size in memory": the empty set plus each bucket's header and slots. */
export function ipsetMemorySize(
  type: IpsetType,
  entries: readonly string[],
  initval: number,
): number {
  if (type === 'bitmap:port') return EMPTY_SIZE[type];
  const perBucket = new Map<number, number>();
  for (const e of entries) {
    const b = ipsetBucket(type, e, initval);
    perBucket.set(b, (perBucket.get(b) ?? 0) + 1);
  }
  let size = EMPTY_SIZE[type];
  for (const n of perBucket.values())
    size += HBUCKET_SIZE + ELEM_SIZE[type] * Math.ceil(n / BUCKET_GROW) * BUCKET_GROW;
  return size;
}

const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

function header(set: KubeIpset, initval: number): string {
  if (set.type === 'bitmap:port') return 'range 0-65535';
  return `family inet hashsize ${HASHSIZE} maxelem ${MAXELEM} bucketsize ${BUCKETSIZE} initval ${hex(initval)}`;
}

type Runtime = (name: string) => IpsetRuntime;
const none: Runtime = () => ({});

/** `ipset list` of these sets, in the order given (the kernel's creation order). */
export function ipsetList(sets: readonly KubeIpset[], runtime: Runtime = none): string {
  return sets
    .map((set) => {
      const rt = runtime(set.name);
      const initval = rt.initval ?? 0;
      const members = listOrder(set.type, set.entries, initval);
      return [
        `Name: ${set.name}`,
        `Type: ${set.type}`,
        `Revision: ${REVISION[set.type]}`,
        `Header: ${header(set, initval)}`,
        `Size in memory: ${ipsetMemorySize(set.type, set.entries, initval)}`,
        `References: ${rt.references ?? 0}`,
        `Number of entries: ${set.entries.length}`,
        'Members:',
        ...members,
      ].join('\n');
    })
    .map((block) => `${block}\n`)
    .join('\n');
}

/** `ipset save` of these sets: each create line, then its members in list order. */
export function ipsetSave(sets: readonly KubeIpset[], runtime: Runtime = none): string {
  const lines: string[] = [];
  for (const set of sets) {
    const initval = runtime(set.name).initval ?? 0;
    lines.push(`create ${set.name} ${set.type} ${header(set, initval)}`);
    for (const m of listOrder(set.type, set.entries, initval)) lines.push(`add ${set.name} ${m}`);
  }
  return lines.map((l) => `${l}\n`).join('');
}

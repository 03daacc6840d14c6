/**
 * calico-ipam's state as Calico's tools print it:
 *
 * - `calicoctl ipam show --show-blocks`: the pool and every block, IPS
 *   TOTAL / IN USE / FREE with whole percentages, in calicoctl's
 *   tablewriter table (headers centred, numbers right-aligned);
 * - the BlockAffinity objects, named `<node>-<cidr with . and / as ->`
 *   (libcalico-go's affinity naming), state confirmed;
 * - one block's allocations by ordinal, with the handle and attributes.
 */
import type { IpamBlock, Snapshot } from '../model.ts';
import { cidrSize, hostAddress } from '../net/cidr.ts';

export interface CalicoIpamRow {
  readonly grouping: 'IP Pool' | 'Block';
  readonly cidr: string;
  readonly total: number;
  readonly inUse: number;
}

/** Every claimed block of the cluster, in claim order across nodes (node order, then claim order). */
export const clusterBlocks = (snap: Snapshot): IpamBlock[] =>
  snap.nodes.flatMap((n) => n.ipamBlocks ?? []);

const used = (b: IpamBlock) => b.allocations.filter((a) => a !== null).length;

export function calicoIpamRows(pool: string, blocks: readonly IpamBlock[]): CalicoIpamRow[] {
  const rows: CalicoIpamRow[] = blocks.map((b) => ({
    grouping: 'Block',
    cidr: b.cidr,
    total: b.allocations.length,
    inUse: used(b),
  }));
  const inUse = rows.reduce((n, r) => n + r.inUse, 0);
  return [{ grouping: 'IP Pool', cidr: pool, total: Number(cidrSize(pool)), inUse }, ...rows];
}

/** Go's %.0f%%: round half to even. */
function percent(n: number, total: number): string {
  const x = (100 * n) / total;
  const f = Math.floor(x);
  const r = x - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(x);
  return `${r}%`;
}

export function blockAffinityName(node: string, cidr: string): string {
  return `${node}-${cidr.replaceAll('.', '-').replaceAll('/', '-')}`;
}

/** tablewriter's box with centred headers; `right` marks the right-aligned columns. */
function table(head: string[], rows: string[][], right: readonly boolean[]): string[] {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = '+' + w.map((n) => '-'.repeat(n + 2)).join('+') + '+';
  const centre = (s: string, n: number) => {
    const gap = n - s.length;
    const left = Math.floor(gap / 2);
    return ' '.repeat(left) + s + ' '.repeat(gap - left);
  };
  const cells = (r: string[], f: (s: string, i: number) => string) =>
    '|' + r.map((c, i) => ` ${f(c, i)} `).join('|') + '|';
  return [
    line,
    cells(head, (c, i) => centre(c, w[i])),
    line,
    ...rows.map((r) => cells(r, (c, i) => (right[i] ? c.padStart(w[i]) : c.padEnd(w[i])))),
    line,
  ];
}

/** `calicoctl ipam show --show-blocks`. */
export function showBlocksText(rows: readonly CalicoIpamRow[]): string[] {
  return table(
    ['GROUPING', 'CIDR', 'IPS TOTAL', 'IPS IN USE', 'IPS FREE'],
    rows.map((r) => [
      r.grouping,
      r.cidr,
      String(r.total),
      `${r.inUse} (${percent(r.inUse, r.total)})`,
      `${r.total - r.inUse} (${percent(r.total - r.inUse, r.total)})`,
    ]),
    [false, false, true, false, false],
  );
}

export interface CalicoAllocation {
  readonly ordinal: number;
  readonly ip: string;
  readonly handle: string;
  readonly attributes: string;
}

export function blockAllocations(b: IpamBlock): CalicoAllocation[] {
  const out: CalicoAllocation[] = [];
  b.allocations.forEach((a, ordinal) => {
    if (a === null) return;
    const attr = b.attributes[a];
    out.push({
      ordinal,
      ip: hostAddress(b.cidr, ordinal),
      handle: attr?.handle_id ?? '',
      attributes: Object.entries(attr?.secondary ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
    });
  });
  return out;
}

/** The `kubewire ipam` text for a Calico node: the pool's blocks, the node's affinities and allocations. */
export function calicoIpamText(snap: Snapshot, pool: string, node: string): string {
  const own = snap.nodes.find((n) => n.name === node)?.ipamBlocks ?? [];
  const out = [
    '# calicoctl ipam show --show-blocks',
    ...showBlocksText(calicoIpamRows(pool, clusterBlocks(snap))),
  ];
  out.push('', `# blockaffinities of ${node}`, 'NAME'.padEnd(30) + 'CIDR'.padEnd(20) + 'STATE');
  for (const b of own)
    out.push(blockAffinityName(node, b.cidr).padEnd(30) + b.cidr.padEnd(20) + 'confirmed');
  for (const b of own) {
    out.push('', `# ipamblock ${b.cidr} (affinity ${b.affinity}, ${b.unallocated.length} free)`);
    out.push('ORDINAL  ' + 'IP'.padEnd(16) + 'HANDLE'.padEnd(82) + 'ATTRIBUTES');
    for (const a of blockAllocations(b))
      out.push(String(a.ordinal).padEnd(9) + a.ip.padEnd(16) + a.handle.padEnd(82) + a.attributes);
  }
  return out.join('\n');
}

/**
 * The stats strip: what each mode costs one packet (sim-core's pathStats,
 * CMP5) — routing hops, devices crossed, bytes of outer headers, the pod's MTU
 * and TCP MSS, and how many kernel tables the action looked up or changed —
 * with the values that differ marked on both rows and the difference written.
 */
import type { PathStats } from '@kubewire/sim-core';

interface Metric {
  readonly key: string;
  readonly name: string;
  readonly title: string;
  readonly value: (s: PathStats) => number | undefined;
  readonly unit?: string;
}

const METRICS: readonly Metric[] = [
  {
    key: 'routed',
    name: 'Routing hops',
    title: 'TTL as the pod sent the packet minus TTL as it was delivered',
    value: (s) => s.routed,
  },
  {
    key: 'devices',
    name: 'Devices',
    title: 'Interfaces where tcpdump -i would see the packet',
    value: (s) => s.devices,
  },
  {
    key: 'overhead',
    name: 'Overhead',
    title: 'Bytes of outer headers per packet on the node network',
    value: (s) => s.overhead,
    unit: 'B',
  },
  { key: 'mtu', name: 'Pod MTU', title: "The sending pod's eth0 MTU", value: (s) => s.mtu },
  {
    key: 'mss',
    name: 'TCP MSS',
    title: "The MSS option of the pod's SYN (or MTU − 40 without one)",
    value: (s) => s.mss,
  },
  {
    key: 'tables',
    name: 'Kernel tables',
    title: 'Tables looked up or changed on the way, counted per network namespace',
    value: (s) => s.tables.length,
  },
];

const show = (n: number | undefined, unit?: string) =>
  n === undefined ? '—' : unit ? `${n} ${unit}` : String(n);

const signed = (d: number) => (d > 0 ? `+${d}` : `−${-d}`);

function tablesTitle(s: PathStats): string {
  const by = new Map<string, string[]>();
  for (const t of s.tables) by.set(t.netns, [...(by.get(t.netns) ?? []), t.table]);
  return [...by].map(([ns, list]) => `${ns}: ${list.join(', ')}`).join('\n');
}

interface Props {
  readonly sides: readonly [
    { label: string; stats: PathStats },
    { label: string; stats: PathStats },
  ];
  /** What the numbers are for: the action's label. */
  readonly action: string;
}

export function CompareStats({ sides, action }: Props) {
  const [a, b] = sides;
  return (
    <table className="compare-stats" data-testid="compare-stats">
      <caption className="visually-hidden">What each mode costs one packet of {action}</caption>
      <thead>
        <tr>
          <th scope="col">
            One packet of <q>{action}</q>
          </th>
          {METRICS.map((m) => (
            <th key={m.key} scope="col" title={m.title}>
              {m.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {sides.map((side, row) => (
          <tr key={row}>
            <th scope="row">{side.label}</th>
            {METRICS.map((m) => {
              const mine = m.value(side.stats);
              const theirs = m.value((row ? a : b).stats);
              const differs = mine !== undefined && theirs !== undefined && mine !== theirs;
              const title =
                m.key === 'tables'
                  ? tablesTitle(side.stats)
                  : m.key === 'mss' && side.stats.mssFrom === 'mtu'
                    ? 'No SYN in the trace: MTU − 40'
                    : undefined;
              return (
                <td
                  key={m.key}
                  className={differs ? 'differs' : undefined}
                  data-stat={`${m.key}-${row}`}
                  title={title}
                >
                  {show(mine, m.unit)}
                  {differs && row === 1 && (
                    <span className="compare-delta"> ({signed(mine - theirs)})</span>
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

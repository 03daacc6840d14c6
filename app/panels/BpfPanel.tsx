/**
 * cilium-agent's BPF maps per node, as the cilium CLI prints them: the
 * endpoint map (`cilium bpf endpoint list`), the ipcache (`cilium bpf ipcache
 * list`) and, with kubeProxyReplacement, the service map (`cilium bpf lb
 * list`), the service map first when there is one. The row a program looked up at this step (cil_from_container's
 * endpoint, the ipcache prefix that named the tunnel, the frontend
 * cil_sock4_connect translated) is marked, and a row the agent wrote.
 */
import { memo } from 'react';
import {
  bpfEndpointLines,
  bpfIpcacheLines,
  bpfLbLines,
  type CiliumMaps,
  type NodeStatus,
  type TableRef,
} from '@kubewire/sim-core';
import { useSnapshot, useTouched } from '../state/selectors.ts';
import { Terminal, type TerminalRow } from './Terminal.tsx';
import { FocusBar } from './FocusBar.tsx';
import { useShownNodes } from './useShown.ts';
import { rowLimit } from './focus.ts';

const changeOf = (refs: readonly TableRef[], table: TableRef['table'], key: string) =>
  refs.find((r) => r.table === table && r.key === key)?.change;

/** The printed lines (header first) as rows keyed by the map's key. */
function rowsOf(
  lines: readonly string[],
  keys: readonly string[],
  change: (key: string) => TableRef['change'] | undefined,
): TerminalRow[] {
  const [header, ...body] = lines;
  return [
    { key: 'header', line: header.trimEnd(), className: 'ss-header' },
    ...body.map((line, i) => ({ key: `${keys[i]}#${i}`, line, change: change(keys[i]) })),
  ];
}

const BpfMaps = memo(function BpfMaps(props: {
  readonly node: string;
  readonly maps: CiliumMaps;
  readonly refs: readonly TableRef[];
  readonly limit?: number;
}) {
  const { node, maps, refs, limit } = props;
  const endpoints = rowsOf(
    bpfEndpointLines(maps),
    maps.endpoints.map((e) => e.ip),
    (ip) => changeOf(refs, 'bpf-endpoint', ip),
  );
  const ipcache = rowsOf(
    bpfIpcacheLines(maps),
    maps.ipcache.map((r) => r.prefix),
    (p) => changeOf(refs, 'bpf-ipcache', p),
  );
  // One frontend prints as its slot 0 and then a line per backend slot: all carry its key.
  const lbKeys = [...(maps.lb ?? [])]
    .sort((a, b) => a.revNat - b.revNat)
    .flatMap((s) => Array(s.backends.length + 1).fill(`${s.address}:${s.port}/${s.protocol}`));
  // The service map first when kube-proxy replacement filled it, then the endpoint map and the ipcache.
  const tables = [
    ...(maps.lb
      ? [
          {
            id: 'lb',
            subtitle: 'cilium_lb4_services_v2: Service frontends, backend slots',
            rows: rowsOf(bpfLbLines(maps), lbKeys, (k) => changeOf(refs, 'bpf-lb', k)),
          },
        ]
      : []),
    { id: 'endpoint', subtitle: "cilium_lxc: this node's endpoints", rows: endpoints },
    { id: 'ipcache', subtitle: 'cilium_ipcache: identity and tunnel per prefix', rows: ipcache },
  ];
  return (
    <>
      {tables.map((t) => (
        <Terminal
          key={t.id}
          wide
          limit={limit}
          testId={`bpf-${t.id}-${node}`}
          title={node}
          subtitle={t.subtitle}
          command={`cilium bpf ${t.id} list`}
          rows={t.rows}
        />
      ))}
    </>
  );
});

const BPF_TABLES: readonly TableRef['table'][] = ['bpf-endpoint', 'bpf-ipcache', 'bpf-lb'];

export function BpfPanel() {
  const shown = useShownNodes();
  const snapshot = useSnapshot();
  const endpoint = useTouched('bpf-endpoint');
  const ipcache = useTouched('bpf-ipcache');
  const lb = useTouched('bpf-lb');
  if (!shown || !snapshot) return null;
  const refs = [...endpoint, ...ipcache, ...lb].filter((r) => BPF_TABLES.includes(r.table));
  return (
    <div className="terminals">
      {shown.mode !== 'all' && <FocusBar shown={shown} noun="nodes" />}
      {shown.items.map((n: NodeStatus) =>
        n.bpf ? (
          <BpfMaps
            key={n.name}
            node={n.name}
            maps={n.bpf}
            refs={refs.filter((r) => r.netns === n.name)}
            limit={rowLimit(shown)}
          />
        ) : null,
      )}
    </div>
  );
}

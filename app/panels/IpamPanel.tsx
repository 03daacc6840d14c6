/**
 * host-local IPAM's on-disk state per node: one file per allocated IP under
 * /var/lib/cni/networks/<network>/ holding the sandbox's container ID and
 * interface, plus last_reserved_ip.0 (where the next allocation continues).
 */
import { memo } from 'react';
import type { IpamFile, NodeStatus, TableRef } from '@kubewire/sim-core';
import { usePreviousSnapshot, useTouched } from '../state/selectors.ts';
import { useStore } from '../state/store.ts';
import { CalicoIpamPanel } from './CalicoIpamPanel.tsx';
import { Terminal, type Change } from './Terminal.tsx';
import { FocusBar } from './FocusBar.tsx';
import { useShownNodes } from './useShown.ts';
import { rowLimit } from './focus.ts';

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const dirName = (path: string) => path.slice(0, path.lastIndexOf('/') + 1);

function fileChange(file: IpamFile, refs: readonly TableRef[]): Change | undefined {
  const name = baseName(file.path);
  return refs.find((t) => t.key === name || file.path.endsWith(`/${t.key}`))?.change;
}

function fileLine(file: IpamFile) {
  const name = baseName(file.path);
  // host-local writes the container ID and the interface name separated by \r\n.
  const [first = '', ...rest] = file.content.split(/\r?\n/).filter(Boolean);
  const id = first.length > 16 ? `${first.slice(0, 12)}…` : first;
  return (
    <>
      <b>{name}</b>
      {first && (
        <span className="file-content" title={file.content}>
          {' '}
          <span className="kw">→</span> {id} {rest.join(' ')}
        </span>
      )}
    </>
  );
}

/** One node's files; re-renders only when its status or its refs change. */
const IpamTable = memo(function IpamTable(props: {
  readonly node: NodeStatus;
  readonly refs: readonly TableRef[];
  /** The node before the step, when it differs (a released IP's file is shown struck through, once). */
  readonly before?: NodeStatus;
  readonly limit?: number;
}) {
  const { node, refs, before, limit } = props;
  const dir = node.ipam[0] ? dirName(node.ipam[0].path) : '/var/lib/cni/networks/cbr0/';
  const released = (before?.ipam ?? []).filter((f) => !node.ipam.some((g) => g.path === f.path));
  return (
    <Terminal
      limit={limit}
      testId={`ipam-${node.name}`}
      title={node.name}
      subtitle={`host-local · range ${node.podCIDR}`}
      command={`ls ${dir}`}
      rows={[
        ...node.ipam.map((f) => ({
          key: f.path,
          line: fileLine(f),
          change: fileChange(f, refs),
        })),
        ...released.map((f) => ({
          key: `gone ${f.path}`,
          line: fileLine(f),
          change: 'removed' as const,
          ghost: true,
        })),
      ]}
      empty="(no allocations)"
    />
  );
});

const NONE: readonly TableRef[] = [];

export function IpamPanel() {
  const calico = useStore((s) => s.sim?.scenario.cluster.cni.plugin === 'calico');
  return calico ? <CalicoIpamPanel /> : <HostLocalPanel />;
}

function HostLocalPanel() {
  const shown = useShownNodes();
  const previous = usePreviousSnapshot();
  const touched = useTouched('ipam');
  if (!shown) return null;
  return (
    <div className="terminals">
      {shown.mode !== 'all' && <FocusBar shown={shown} noun="nodes" />}
      {shown.items.map((node) => {
        const refs = touched.filter(
          (t) => t.netns === node.name || t.netns.split('/')[0] === node.name,
        );
        const before = previous?.nodes.find((n) => n.name === node.name);
        return (
          <IpamTable
            key={node.name}
            node={node}
            refs={refs.length ? refs : NONE}
            limit={rowLimit(shown)}
            before={before === node ? undefined : before}
          />
        );
      })}
    </div>
  );
}

/**
 * calico-ipam's state: the pool and its blocks as `calicoctl ipam show
 * --show-blocks` prints them, then per node its block affinities and each
 * block's allocations by ordinal (handle and attributes), as the IPAMBlock
 * resources hold them. An allocation the step made is marked.
 */
import { memo } from 'react';
import {
  blockAffinityName,
  blockAllocations,
  calicoIpamRows,
  CALICO_DEFAULT_POOL,
  clusterBlocks,
  showBlocksText,
  type NodeStatus,
  type TableRef,
} from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import { useSnapshot, useTouched } from '../state/selectors.ts';
import { Terminal } from './Terminal.tsx';
import { FocusBar } from './FocusBar.tsx';
import { useShownNodes } from './useShown.ts';
import { rowLimit } from './focus.ts';

const short = (handle: string) =>
  handle.length > 36 ? `${handle.slice(0, 28)}…${handle.slice(-6)}` : handle;

const NodeBlocks = memo(function NodeBlocks(props: {
  readonly node: NodeStatus;
  readonly refs: readonly TableRef[];
  readonly limit?: number;
}) {
  const { node, refs, limit } = props;
  const blocks = node.ipamBlocks ?? [];
  const rows = blocks.flatMap((b) => [
    {
      key: `affinity ${b.cidr}`,
      className: 'ss-prompt',
      pinned: true,
      line: (
        <>
          <b>{b.cidr}</b> <span className="kw">affinity</span> {b.affinity} ·{' '}
          {blockAffinityName(node.name, b.cidr)} · {b.unallocated.length} free
        </>
      ),
    },
    ...blockAllocations(b).map((a) => ({
      key: `${b.cidr} ${a.ordinal}`,
      change: refs.find((r) => r.key === a.ip)?.change,
      line: (
        <>
          <b>{a.ip}</b> <span className="kw">ordinal</span> {a.ordinal}{' '}
          <span className="file-content" title={a.handle}>
            <span className="kw">→</span> {short(a.handle)} {a.attributes}
          </span>
        </>
      ),
    })),
  ]);
  return (
    <Terminal
      limit={limit}
      testId={`ipam-${node.name}`}
      title={node.name}
      subtitle="calico-ipam · blocks affine to this node"
      command={`kubectl get ipamblocks,blockaffinities   # ${node.name}`}
      rows={rows}
      empty="(no block yet: the node claims one with its first address)"
    />
  );
});

const NONE: readonly TableRef[] = [];

export function CalicoIpamPanel() {
  const shown = useShownNodes();
  const snapshot = useSnapshot();
  const pool = useStore((s) => s.sim?.scenario.cluster.cni.ipPool ?? CALICO_DEFAULT_POOL);
  const touched = useTouched('ipam');
  if (!shown || !snapshot) return null;
  const table = showBlocksText(calicoIpamRows(pool, clusterBlocks(snapshot)));
  return (
    <div className="terminals">
      <Terminal
        wide
        testId="ipam-show-blocks"
        title="cluster"
        subtitle={`calico-ipam · IP pool ${pool}`}
        command="calicoctl ipam show --show-blocks"
        rows={table.map((line, i) => ({ key: String(i), line }))}
      />
      {shown.mode !== 'all' && <FocusBar shown={shown} noun="nodes" />}
      {shown.items.map((node) => {
        const refs = touched.filter((t) => t.netns === node.name);
        return (
          <NodeBlocks
            key={node.name}
            node={node}
            refs={refs.length ? refs : NONE}
            limit={rowLimit(shown)}
          />
        );
      })}
    </div>
  );
}

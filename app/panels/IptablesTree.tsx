/**
 * One host's iptables table as a tree: each chain a heading that opens and closes, its rules
 * as `iptables -L -v -n` prints them. A jump target (`KUBE-SVC-…`) is a link that opens that
 * chain and scrolls to it. At a step whose packet walked this table here, the chains it
 * entered are open and each rule it was tested against is marked matched or not matched;
 * the list scrolls to the rule that decided (the DNAT of the KUBE-SEP- chain picked).
 * Drawn a window at a time (VirtualRows): a 20,000-rule table scrolls smoothly.
 */
import { memo, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { NetfilterState, Netns, TableName, TableRef } from '@kubewire/sim-core';
import type { IptablesView } from '../state/uiSlice.ts';
import { listLines, matchedPath, saveLines, type IptLine } from './iptablesRows.ts';
import { defaultOpen, treeRows, type TreeRow } from './iptablesTree.ts';
import type { TableWalk } from './iptablesWalk.ts';
import { IptablesPath } from './IptablesPath.tsx';
import { SysctlNote } from './SysctlNote.tsx';
import { VirtualRows, type VirtualRowsHandle } from './VirtualRows.tsx';
import { DeleteRule } from './DeleteRule.tsx';
import './iptablesTree.css';

export const ROW_HEIGHT = 21;
const MAX_HEIGHT = 520;

const keyOf = (r: TableRef) => r.key;

function countSpan(l: IptLine, from: number, to: number): ReactNode {
  const text = l.text.slice(from, to);
  if (!l.counter || l.counter[1] <= from || l.counter[0] >= to) return text;
  const [a, b] = [Math.max(l.counter[0], from), Math.min(l.counter[1], to)];
  return (
    <>
      {l.text.slice(from, a)}
      <span
        className={l.counted ? 'ipt-count counted' : 'ipt-count'}
        title={l.counted ? 'counted at this step' : undefined}
      >
        {l.text.slice(a, b)}
      </span>
      {l.text.slice(b, to)}
    </>
  );
}

const markOf = (r: TreeRow): [string, string] | undefined => {
  if (r.fate === 'matched' || r.line.matched) return ['matched', 'mark-read'];
  if (r.fate === 'missed') return ['not matched', 'mark-missed'];
  if (r.kind === 'rule' && r.line.counted) return ['counted', 'mark-updated'];
  if (r.kind === 'chain' && r.line.walked)
    return [r.line.walked === 'hook' ? 'entered' : 'jumped to', 'mark-note'];
  return undefined;
};

const rowClass = (r: TreeRow) => {
  const change =
    r.fate === 'matched' || r.line.matched
      ? ' change-read'
      : r.kind === 'rule' && r.line.counted
        ? ' change-updated'
        : '';
  const fate = r.fate === 'missed' ? ' missed' : '';
  const walked = r.line.walked ? ` walked walked-${r.line.walked}` : '';
  return `terminal-row ipt-${r.kind}${change}${fate}${walked}`;
};

interface Props {
  readonly ns: Netns;
  readonly before?: NetfilterState;
  readonly table: TableName;
  readonly view: IptablesView;
  readonly refs: readonly TableRef[];
  /** The step's walk of this table in this namespace, when its packet walked it here. */
  readonly walk?: TableWalk;
}

export const IptablesTree = memo(function IptablesTree(props: Props) {
  const { ns, before, table, view, refs, walk } = props;
  const state = ns.netfilter;
  const [toggled, setToggled] = useState<ReadonlyMap<string, boolean>>(new Map());
  // A new step's walk opens its own chains: the user's toggles were for the step before.
  const [toggledFor, setToggledFor] = useState(walk);
  if (toggledFor !== walk) {
    setToggledFor(walk);
    setToggled(new Map());
  }
  const vrows = useRef<VirtualRowsHandle>(null);
  const [scrollKey, setScrollKey] = useState<string | null>(null);

  const lines = useMemo(() => {
    if (!state) return [];
    const matched = new Set(refs.map(keyOf));
    return (view === 'save' ? saveLines : listLines)(state, table, before, matched);
  }, [state, before, table, view, refs]);
  const opened = useMemo(
    () => (state ? defaultOpen(state, table, walk) : new Set<string>()),
    [state, table, walk],
  );
  const rows = useMemo((): TreeRow[] => {
    if (!state) return [];
    if (view === 'save')
      return lines.map((line) => ({
        key: line.key,
        kind: line.kind === 'rule' ? 'rule' : line.kind === 'chain' ? 'chain' : 'table',
        chain: '',
        line,
      }));
    const isOpen = (c: string) => toggled.get(c) ?? opened.has(c);
    return treeRows(lines, state, table, isOpen, walk);
  }, [lines, state, table, view, toggled, opened, walk]);
  const path = useMemo(
    () => (state ? matchedPath(state, table, refs.map(keyOf)) : []),
    [state, table, refs],
  );
  const width = useMemo(
    () => `calc(${lines.reduce((m, l) => Math.max(m, l.text.length), 0) + 4}ch + 200px)`,
    [lines],
  );

  const open = (chain: string, to: boolean) => setToggled((m) => new Map(m).set(chain, to));
  /** Open the chain a key is in and scroll to that row once it is drawn. */
  const show = (key: string) => {
    const chain = key.startsWith('chain ')
      ? key.slice(key.indexOf('/') + 1)
      : /^[^/]+\/(.+)\/\d+$/.exec(key)?.[1];
    if (chain && view === 'list') open(chain, true);
    setScrollKey(key);
  };

  // The row that decided (the last rule matched), or a counted one, into the box's view.
  const focus = useMemo(() => {
    // The walk's last matched rule (rows are in chain order, the refs in the walk's).
    const last = path[path.length - 1]?.key;
    if (last && rows.some((r) => r.key === last)) return last;
    return rows.find((r) => r.line.matched || (r.kind === 'rule' && r.line.counted))?.key;
  }, [rows, path]);
  useEffect(() => {
    if (!focus) return;
    const i = rows.findIndex((r) => r.key === focus);
    if (i >= 0) vrows.current?.scrollTo(i);
    // Only when the step (its walk) or the table or printer changes, not on a toggle.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [walk, table, view, state]);
  useEffect(() => {
    if (!scrollKey) return;
    const i = rows.findIndex((r) => r.key === scrollKey);
    if (i >= 0) vrows.current?.scrollTo(i);
    setScrollKey(null);
  }, [scrollKey, rows]);

  const renderRow = (i: number) => {
    const r = rows[i];
    const mark = markOf(r);
    const l = r.line;
    let body: ReactNode;
    if (r.kind === 'chain' && view === 'list') {
      body = (
        <button
          type="button"
          className="ipt-fold"
          aria-expanded={!!r.open}
          title={`${r.open ? 'Close' : 'Open'} ${r.chain} (${r.rules} rule${r.rules === 1 ? '' : 's'})`}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => open(r.chain, !r.open)}
        >
          <span className="ipt-caret" aria-hidden="true">
            {r.open ? '▾' : '▸'}
          </span>
          {countSpan(l, 0, l.text.length)}
          {!r.open && <span className="ipt-folded"> · {r.rules} rules</span>}
        </button>
      );
    } else if (r.jump) {
      const j = r.jump;
      body = (
        <>
          {countSpan(l, 0, j.from)}
          <button
            type="button"
            className="ipt-jump"
            title={`Open ${j.chain}`}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => show(`chain ${table}/${j.chain}`)}
          >
            {l.text.slice(j.from, j.to)}
          </button>
          {countSpan(l, j.to, l.text.length)}
        </>
      );
    } else body = countSpan(l, 0, l.text.length);
    return (
      <div
        key={r.key}
        role="listitem"
        className={rowClass(r)}
        data-key={r.key}
        style={{ height: ROW_HEIGHT }}
      >
        <span className="line">{body}</span>
        {mark && <span className={`mark ${mark[1]}`}>{mark[0]}</span>}
        {r.kind === 'rule' && ns.kind === 'host' && <DeleteRule node={ns.node} ruleKey={r.key} />}
      </div>
    );
  };

  const chains = state?.tables[table];
  const tested = walk ? `${walk.tested} rules tested` : undefined;
  return (
    <section
      className={`terminal ipt-tree-card${walk ? ' touched' : ''}`}
      data-testid={`iptables-${ns.id}`}
    >
      <header>
        <h3>{ns.kind === 'host' ? ns.node : ns.id}</h3>
        <span className="terminal-sub">
          {chains ? `${table} table · host network namespace` : `no ${table} table here`}
          {tested && ` · ${tested}`}
        </span>
      </header>
      <SysctlNote ns={ns} />
      <IptablesPath path={path} show={show} />
      <div className="terminal-body">
        <div className="prompt">
          <span className="muted">$</span>{' '}
          {view === 'save' ? `iptables-save -c -t ${table}` : `iptables -t ${table} -L -v -n`}
        </div>
        {!chains ? (
          <div className="terminal-empty">(this host has no {table} table)</div>
        ) : (
          <VirtualRows
            ref={vrows}
            count={rows.length}
            rowHeight={ROW_HEIGHT}
            maxHeight={MAX_HEIGHT}
            width={width}
            row={renderRow}
            label={`${table} table of ${ns.kind === 'host' ? ns.node : ns.id}`}
            testId={`iptables-rows-${ns.id}`}
          />
        )}
      </div>
    </section>
  );
});

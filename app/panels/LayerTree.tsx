/**
 * Wireshark's packet details: one collapsible branch per protocol layer, fields beneath. A
 * WAI-ARIA tree: one row is the tab stop, ↑/↓ move through the rows shown, → opens a branch or
 * enters it, ← closes it or goes to its parent, Home/End, Enter/Space toggle; every row, a leaf
 * like TTL too, takes focus and highlights its bytes in the hex dump.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Field, Layer } from '@kubewire/sim-core';
import type { Hover } from '../state/uiSlice.ts';
import { Icon } from '../ui/Icon.tsx';

interface Props {
  readonly layers: readonly Layer[];
  readonly frameLength: number;
  readonly stepIndex: number;
  readonly active: string | null;
  readonly onHover: (hover: Hover | null) => void;
  /** Paths (fieldIndex's numbering) to mark as changed: a NAT's before or after tree. */
  readonly changed?: ReadonlySet<string>;
  /**
   * What a marked path is: a field a NAT changed (the default), a header an encap added,
   * one a decap stripped. Added and stripped layers say so in words beside their title.
   */
  readonly mark?: Mark;
  /** The tree's accessible name; "Packet details" by default. */
  readonly label?: string;
  /** Replaces the "Frame N: … bytes" first row. */
  readonly heading?: React.ReactNode;
  readonly className?: string;
}

export type Mark = 'changed' | 'added' | 'removed';

const MARK_TAG: Record<Mark, string | null> = {
  changed: null,
  added: 'added',
  removed: 'stripped',
};

interface RowProps {
  readonly path: string;
  readonly depth: number;
  readonly text: React.ReactNode;
  readonly range: { readonly offset: number; readonly length: number };
  readonly open?: boolean;
  readonly onToggle?: () => void;
  readonly active: boolean;
  readonly changed?: boolean;
  readonly mark: Mark;
  readonly onHover: Props['onHover'];
  /** The tree's one tab stop (roving tabindex); the others take focus from the keys. */
  readonly tabStop: boolean;
  readonly onFocusRow: (path: string) => void;
}

function Row(props: RowProps) {
  const { path, depth, text, range, open, onToggle, active, changed, mark, onHover } = props;
  const { tabStop, onFocusRow } = props;
  const tag = changed && depth === 0 ? MARK_TAG[mark] : null;
  return (
    <div
      role="treeitem"
      aria-expanded={onToggle ? open : undefined}
      aria-level={depth + 1}
      tabIndex={tabStop ? 0 : -1}
      className={`tree-row depth-${Math.min(depth, 3)}${active ? ' hi' : ''}${depth === 0 ? ' layer' : ''}${changed ? ` ${mark}` : ''}`}
      data-path={path}
      onMouseEnter={() => onHover({ offset: range.offset, length: range.length, field: path })}
      onFocus={() => {
        onFocusRow(path);
        onHover({ offset: range.offset, length: range.length, field: path });
      }}
      onClick={onToggle}
      onKeyDown={(e) => {
        if (!onToggle || (e.key !== 'Enter' && e.key !== ' ')) return;
        e.preventDefault();
        e.stopPropagation();
        onToggle();
      }}
    >
      {onToggle ? (
        <span className={`twisty${open ? ' open' : ''}`} aria-hidden="true">
          <Icon name="chevron" size={14} />
        </span>
      ) : (
        <span className="twisty-space" />
      )}
      <span className="tree-text">{text}</span>
      {tag && <span className={`mark-tag ${mark}`}>{tag}</span>}
    </div>
  );
}

export function LayerTree({
  layers,
  frameLength,
  stepIndex,
  active,
  onHover,
  changed,
  mark = 'changed',
  label = 'Packet details',
  heading,
  className,
}: Props) {
  // Keys whose open state differs from the default (layers open — with `changed`, the changed
  // ones — nested fields closed), kept across steps.
  const [flipped, setFlipped] = useState<ReadonlySet<string>>(new Set());
  const tree = useRef<HTMLDivElement>(null);
  // A field picked from the hex dump may be scrolled out of view: bring it back.
  useEffect(() => {
    if (active === null) return;
    tree.current
      ?.querySelector<HTMLElement>(`[data-path="${active}"]`)
      ?.scrollIntoView?.({ block: 'nearest' });
  }, [active]);
  // Beside its counterpart, the first changed field is scrolled to: that is what differs.
  // (Added or stripped headers are the outermost layers: already at the top.)
  useEffect(() => {
    const el =
      changed &&
      mark === 'changed' &&
      tree.current?.querySelector<HTMLElement>('.tree-row.changed:not(.layer)');
    if (el && tree.current) tree.current.scrollTop = Math.max(0, el.offsetTop - 48);
  }, [changed, mark]);
  // The row that is the tree's tab stop: the last one focused, else the first layer.
  const [stop, setStop] = useState('0');
  // A tab stop inside a branch just closed (or a layer this frame lacks): back to the first layer.
  useEffect(() => {
    if (tree.current && !tree.current.querySelector('[role="treeitem"][tabindex="0"]'))
      setStop('0');
  }, [layers, flipped, stop]);
  const rows = () => [...(tree.current?.querySelectorAll<HTMLElement>('[role="treeitem"]') ?? [])];
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const items = rows();
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (at < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    const row = items[at];
    const level = Number(row.getAttribute('aria-level'));
    const expanded = row.getAttribute('aria-expanded');
    let next: HTMLElement | undefined;
    if (e.key === 'ArrowDown') next = items[at + 1];
    else if (e.key === 'ArrowUp') next = items[at - 1];
    else if (e.key === 'Home') next = items[0];
    else if (e.key === 'End') next = items[items.length - 1];
    else if (e.key === 'ArrowRight') {
      if (expanded === 'false') row.click();
      else if (expanded === 'true') next = items[at + 1];
    } else if (e.key === 'ArrowLeft') {
      if (expanded === 'true') row.click();
      else
        next = items
          .slice(0, at)
          .reverse()
          .find((r) => Number(r.getAttribute('aria-level')) === level - 1);
    } else return;
    // Handled here, even at an end: the arrows must not also step the timeline.
    e.preventDefault();
    e.stopPropagation();
    next?.focus();
  };
  const flip = (key: string) =>
    setFlipped((s) => {
      const next = new Set(s);
      if (!next.delete(key)) next.add(key);
      return next;
    });

  const fields = (
    list: readonly Field[],
    prefix: string,
    depth: number,
    keyPrefix: string,
  ): React.ReactNode =>
    list.map((f, i) => {
      const path = `${prefix}.${i}`;
      const key = `${keyPrefix}/${f.name}`;
      const open = f.children ? flipped.has(key) : undefined;
      return (
        <div key={path} role="group">
          <Row
            path={path}
            depth={depth}
            text={
              <>
                {f.label}: <b>{f.value}</b>
              </>
            }
            range={f}
            open={open}
            onToggle={f.children ? () => flip(key) : undefined}
            active={active === path}
            changed={changed?.has(path)}
            mark={mark}
            onHover={onHover}
            tabStop={stop === path}
            onFocusRow={setStop}
          />
          {open && f.children && fields(f.children, path, depth + 1, key)}
        </div>
      );
    });

  return (
    <div
      className={`tree${className ? ` ${className}` : ''}`}
      ref={tree}
      role="tree"
      aria-label={label}
      onMouseLeave={() => onHover(null)}
      onKeyDown={onKeyDown}
    >
      <div
        className="tree-row frame-row"
        role="treeitem"
        aria-level={1}
        tabIndex={stop === 'frame' ? 0 : -1}
        data-path="frame"
        onFocus={() => {
          setStop('frame');
          onHover({ offset: 0, length: frameLength, field: null });
        }}
      >
        <span className="twisty-space" />
        <span className="tree-text">
          {heading ?? (
            <>
              Frame {stepIndex}: {frameLength} bytes on wire ({frameLength * 8} bits)
            </>
          )}
        </span>
      </div>
      {layers.map((layer, i) => {
        // Beside its counterpart, a NAT's changed layers start open; an encap's or decap's
        // layers all start closed, so the headers added or stripped read as a list.
        const byDefault = !changed || (mark === 'changed' && changed.has(`${i}`));
        const open = byDefault !== flipped.has(layer.protocol + i);
        return (
          <div key={i} role="group" className={`layer-group proto-${layer.protocol}`}>
            <Row
              path={`${i}`}
              depth={0}
              text={layer.title}
              range={layer}
              open={open}
              onToggle={() => flip(layer.protocol + i)}
              active={active === `${i}`}
              changed={changed?.has(`${i}`)}
              mark={mark}
              onHover={onHover}
              tabStop={stop === `${i}`}
              onFocusRow={setStop}
            />
            {open && fields(layer.fields, `${i}`, 1, layer.protocol + i)}
          </div>
        );
      })}
    </div>
  );
}

/**
 * The frame's bytes as Wireshark prints them: offset, 16 hex bytes in two
 * groups of 8, ASCII. Hovering a byte highlights the field it belongs to
 * (and that field's row in the tree); hovering a field highlights its bytes.
 */
import { memo, useMemo, type MouseEvent } from 'react';
import type { Hover } from '../state/uiSlice.ts';
import { fieldAt, type FlatField } from './fieldIndex.ts';

interface Props {
  readonly frame: Uint8Array;
  readonly flat: readonly FlatField[];
  readonly highlight: Hover | null;
  readonly onHover: (hover: Hover | null) => void;
  /** Offsets of bytes a rewrite changed (a NAT step's after frame against its before). */
  readonly changed?: ReadonlySet<number>;
}

const hex2 = (b: number) => b.toString(16).padStart(2, '0');
const printable = (b: number) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.');

/** One line of 16 bytes; lo..hi is the highlighted range within it (hi exclusive). */
const HexRow = memo(function HexRow(props: {
  bytes: Uint8Array;
  at: number;
  lo: number;
  hi: number;
  /** One character per byte, '1' where the byte changed (a string, so the row memoises). */
  diff: string;
}) {
  const { bytes, at, lo, hi, diff } = props;
  const cls = (i: number) =>
    [i >= lo && i < hi ? 'hi' : '', diff[i] === '1' ? 'diff' : ''].join(' ').trim() || undefined;
  const cells = Array.from(bytes, (b, i) => i);
  return (
    <div className="hex-row">
      <span className="hex-offset">{at.toString(16).padStart(4, '0')}</span>
      <span className="hex-bytes">
        {cells.map((i) => (
          <span key={i} data-o={at + i} className={cls(i)}>
            {hex2(bytes[i])}
            {i === 7 ? '  ' : i < bytes.length - 1 ? ' ' : ''}
          </span>
        ))}
      </span>
      <span className="hex-ascii">
        {cells.map((i) => (
          <span key={i} data-o={at + i} className={cls(i)}>
            {printable(bytes[i])}
          </span>
        ))}
      </span>
    </div>
  );
});

export function HexDump({ frame, flat, highlight, onHover, changed }: Props) {
  const rows = useMemo(
    () =>
      Array.from({ length: Math.ceil(frame.length / 16) }, (_, r) =>
        frame.subarray(r * 16, r * 16 + 16),
      ),
    [frame],
  );
  const over = (e: MouseEvent) => {
    const o = Number((e.target as HTMLElement).dataset?.o);
    if (!Number.isInteger(o)) return;
    const f = fieldAt(flat, o);
    onHover(
      f
        ? { offset: f.offset, length: f.length, field: f.path }
        : { offset: o, length: 1, field: null },
    );
  };
  const start = highlight?.offset ?? -1;
  const end = highlight ? highlight.offset + Math.max(1, highlight.length) : -1;
  return (
    // A tab stop with a name: beside a before/after pair the dump scrolls, and a scrolling
    // region must be reachable from the keyboard.
    <div
      className="hex"
      data-testid="hex"
      role="region"
      aria-label="Frame bytes"
      tabIndex={0}
      onMouseOver={over}
      onMouseLeave={() => onHover(null)}
    >
      {rows.map((bytes, r) => {
        const at = r * 16;
        const lo = Math.max(0, start - at);
        const hi = Math.min(16, end - at);
        const diff = changed?.size
          ? Array.from(bytes, (_, i) => (changed.has(at + i) ? '1' : '0')).join('')
          : '';
        return (
          <HexRow
            key={at}
            bytes={bytes}
            at={at}
            lo={hi > lo ? lo : 0}
            hi={hi > lo ? hi : 0}
            diff={diff}
          />
        );
      })}
    </div>
  );
}

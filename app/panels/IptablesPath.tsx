/**
 * The packet's way through one table at a glance, above the full listing: the rules it
 * matched in order (PREROUTING 1 → KUBE-SERVICES 1 → KUBE-SVC-… 2 → KUBE-SEP-… 2 DNAT).
 * Each is a button that brings its row into view; a kube-proxy table is longer than
 * the panel is tall.
 */
import type { PathStep } from './iptablesRows.ts';

interface Props {
  readonly path: readonly PathStep[];
  /** Bring a rule's row into view (opening its chain), by its ref key. */
  readonly show: (key: string) => void;
}

export function IptablesPath({ path, show }: Props) {
  if (!path.length) return null;
  return (
    <div className="terminal-note ipt-path" role="group" aria-label="Rules the packet matched">
      <span className="ipt-path-label">matched:</span>{' '}
      {path.map((p, i) => (
        <span key={p.key} className="ipt-hop">
          {i > 0 && <span aria-hidden="true"> → </span>}
          <button
            type="button"
            title={`Show ${p.chain} rule ${p.rule}`}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => show(p.key)}
          >
            {p.chain} {p.rule}
          </button>
          {p.verdict && <b className="ipt-verdict"> {p.verdict}</b>}
        </span>
      ))}
    </div>
  );
}

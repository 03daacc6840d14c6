/**
 * DNS: every query and answer of the trace, in order, as a compact Wireshark
 * DNS view (time, who asks whom, qname, qtype, status, answers with their
 * TTL, "from cache" when CoreDNS's cache answered). A program's lookup is a
 * group under the name it asked for: getaddrinfo's search-suffix attempts,
 * A and AAAA each, then the result, the attempt that answered marked. A click
 * on a row goes to its step; the current step's row is highlighted. The
 * Corefile CoreDNS runs is one button away when the cluster has CoreDNS.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { kubeadmCorefile } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import { dnsTable, type DnsGroup, type DnsRow } from './dnsRows.ts';
import { VirtualRows, type VirtualRowsHandle } from './VirtualRows.tsx';
import './dnsPanel.css';

const ROW_HEIGHT = 44;
const MAX_HEIGHT = 560;

const hex = (id: number) => `0x${id.toString(16).padStart(4, '0')}`;
const time = (us: number) => (us / 1e6).toFixed(6);

/** NOERROR without an answer is what dig and Wireshark call no data: say so. */
function status(r: DnsRow): { text: string; cls: string } | undefined {
  if (!r.rcode) return undefined;
  if (r.rcode === 'NOERROR' && !r.answers.length && r.kind !== 'result')
    return { text: 'NOERROR · no data', cls: 'nodata' };
  return { text: r.rcode, cls: r.rcode === 'NOERROR' ? 'ok' : 'bad' };
}

const KIND: Record<DnsRow['kind'], string> = {
  lookup: '',
  query: 'Query',
  forward: 'Query ↑',
  upstream: 'Reply ↑',
  response: 'Reply',
  timeout: 'Timeout',
  result: '',
};

function answerText(r: DnsRow): string {
  return r.answers.map((a) => `${a.type} ${a.data} (TTL ${a.ttl})`).join(', ');
}

function RowBody({ r, g }: { r: DnsRow; g: DnsGroup | undefined }) {
  if (r.kind === 'lookup') {
    const call = g?.tool === 'dig' ? `dig ${r.qname}` : `getaddrinfo("${r.qname}")`;
    return (
      <>
        <span className="dns-line1">
          <span className="dns-time">{time(r.timeUs)}</span>{' '}
          <strong className="dns-call">{call}</strong>
          <span className="dns-in"> in {r.from}</span>
        </span>{' '}
        <span className="dns-line2">{r.note}</span>
      </>
    );
  }
  if (r.kind === 'result') {
    const d = g?.done;
    const ok = !!d && !d.error && d.addresses.length > 0;
    return (
      <>
        <span className="dns-line1">
          <span className="dns-time">{time(r.timeUs)}</span>{' '}
          <span className={`dns-result ${ok ? 'ok' : 'bad'}`} aria-hidden="true">
            {ok ? '✓' : '✗'}
          </span>
          <strong>
            {d?.name ?? r.qname} →{' '}
            {ok ? d.addresses.join(', ') : (d?.error ?? `status ${d?.status ?? '?'}`)}
          </strong>
        </span>{' '}
        <span className="dns-line2">
          {ok && d.qname !== `${d.name}.` ? `answered by ${d.qname} · ` : ''}
          {r.note}
        </span>
      </>
    );
  }
  const s = status(r);
  const answers = answerText(r);
  return (
    <>
      <span className="dns-line1">
        <span className="dns-time">{time(r.timeUs)}</span>{' '}
        <span className={`dns-kind k-${r.kind}`}>{KIND[r.kind]}</span>{' '}
        {r.id !== undefined && <span className="dns-id">{hex(r.id)}</span>}{' '}
        <span className="dns-qname">{r.qname}</span>{' '}
        {r.qtype && <span className="dns-qtype">{r.qtype}</span>}{' '}
        {s && <span className={`dns-rcode ${s.cls}`}>{s.text}</span>}{' '}
        {r.cache && <span className="dns-cache">from cache</span>}{' '}
        {r.winner && (
          <span className="dns-winner" title="The attempt whose answer the program used">
            ★ used
          </span>
        )}
      </span>{' '}
      <span className="dns-line2">
        {r.from} → {r.to}
        {answers && <span className="dns-answers"> · {answers}</span>}
        {r.soa && <span> · SOA in authority</span>}
        {r.cache && (
          <span>
            {' '}
            · cached {r.cache.ageS} s ago with TTL {r.cache.storedTtl}
          </span>
        )}
        {r.note && <span> · {r.note}</span>}
      </span>
    </>
  );
}

export function DnsPanel() {
  const sim = useStore((s) => s.sim);
  const index = useStore((s) => s.step);
  const seek = useStore((s) => s.seek);
  const openPodCard = useStore((s) => s.openPodCard);
  const [view, setView] = useState<'queries' | 'corefile'>('queries');
  const table = useMemo(() => (sim ? dnsTable(sim) : undefined), [sim]);
  const vrows = useRef<VirtualRowsHandle>(null);
  const current = table?.rowOfStep.get(index);
  const hasCoreDns = !!sim?.scenario.cluster.dns;
  const corefile = useMemo(
    () => (sim && hasCoreDns ? kubeadmCorefile(sim.scenario.cluster.clusterDomain) : ''),
    [sim, hasCoreDns],
  );
  useEffect(() => {
    if (current !== undefined) vrows.current?.scrollTo(current);
  }, [current, view]);
  if (!sim || !table) return null;
  const shown = hasCoreDns ? view : 'queries';
  const queries = table.rows.filter((r) => r.kind !== 'lookup' && r.kind !== 'result').length;

  const renderRow = (i: number) => {
    const r = table.rows[i];
    const g = table.groups[r.group];
    const here = i === current;
    const podKey = g?.netns ? podOfNetns(g.netns) : undefined;
    return (
      <div
        key={r.key}
        role="listitem"
        className={`dns-row k-${r.kind}${here ? ' current' : ''}${r.winner ? ' winner' : ''}`}
        style={{ height: ROW_HEIGHT }}
        aria-current={here ? 'true' : undefined}
        data-kind={r.kind}
        data-q={r.qtype ? `${r.qname} ${r.qtype}` : undefined}
      >
        <button
          type="button"
          className="dns-go"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => seek(r.step)}
          title={`Go to step ${r.step}`}
        >
          <RowBody r={r} g={g} />
        </button>
        {r.kind === 'lookup' && podKey && (
          <button
            type="button"
            className="dns-resolv"
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => openPodCard(podKey)}
            title={`Show ${podKey}'s /etc/resolv.conf`}
          >
            resolv.conf
          </button>
        )}
      </div>
    );
  };

  return (
    <div className="dns-panel" data-testid="dns-panel">
      <div className="dns-toolbar">
        <h3>
          DNS{' '}
          <span className="sub">
            {queries} {queries === 1 ? 'message' : 'messages'} in {table.groups.length}{' '}
            {table.groups.length === 1 ? 'lookup' : 'lookups'}
          </span>
        </h3>
        {hasCoreDns && (
          <div className="dns-views" role="group" aria-label="DNS view">
            <button
              type="button"
              aria-pressed={shown === 'queries'}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => setView('queries')}
            >
              Queries
            </button>
            <button
              type="button"
              aria-pressed={shown === 'corefile'}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => setView('corefile')}
            >
              Corefile
            </button>
          </div>
        )}
      </div>
      {shown === 'corefile' ? (
        <section className="terminal dns-corefile" aria-label="Corefile">
          <header>
            <h3>Corefile</h3>
            <span className="terminal-sub">
              ConfigMap kube-system/coredns, as kubeadm writes it
            </span>
          </header>
          <div className="terminal-body">
            <div className="prompt">
              <span className="muted">$</span> kubectl -n kube-system get configmap coredns -o
              jsonpath='{'{.data.Corefile}'}'
            </div>
            <pre data-testid="corefile">{corefile}</pre>
          </div>
        </section>
      ) : table.rows.length === 0 ? (
        <p className="dns-empty">No DNS message in this trace.</p>
      ) : (
        <VirtualRows
          ref={vrows}
          count={table.rows.length}
          rowHeight={ROW_HEIGHT}
          maxHeight={MAX_HEIGHT}
          width="max(100%, 62ch)"
          row={renderRow}
          label="DNS queries and answers"
          testId="dns-rows"
        />
      )}
    </div>
  );
}

/** "node-2/default/client" → "default/client" (a pod's netns id is node/namespace/name). */
function podOfNetns(netns: string): string | undefined {
  const parts = netns.split('/');
  return parts.length === 3 ? `${parts[1]}/${parts[2]}` : undefined;
}

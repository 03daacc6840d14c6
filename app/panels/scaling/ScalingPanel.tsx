/**
 * Scaling: the rules a new connection's first packet is tested against in nat PREROUTING,
 * against the number of Services, in iptables mode (KUBE-SERVICES is a list: linear in
 * Services) and IPVS mode (a few ipset rules and a hash lookup: constant). The points are
 * the model's own — kube-proxy's generator, iptables-restore's parser and the evaluator —
 * computed in a worker when the tab first opens; the current cluster is marked.
 */
import { useMemo } from 'react';
import { line, scaleLog } from 'd3';
import { useSnapshot } from '../../state/selectors.ts';
import { useStore } from '../../state/store.ts';
import { useScaling } from './scalingStore.ts';
import { SIZES, type ProxyMode, type ScalingPoint } from './scalingModel.ts';
import './scaling.css';

const W = 640;
const H = 300;
const M = { top: 16, right: 104, bottom: 40, left: 68 };

const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const LABEL: Record<ProxyMode, string> = { iptables: 'iptables', ipvs: 'IPVS' };

/** What a point costs: rules tested, plus hash lookups in IPVS mode. */
const cost = (p: ScalingPoint) => p.rules + (p.mode === 'ipvs' ? p.lookups : 0);

export function ScalingPanel() {
  const snapshot = useSnapshot();
  const mode = useStore((s) => s.sim?.scenario.cluster.kubeProxy.mode) ?? 'iptables';
  const api = snapshot?.api;
  const { growing, done, current } = useScaling(api?.services, api?.endpointSlices);
  const series = useMemo(() => {
    const by = (m: ProxyMode) =>
      growing.filter((p) => p.mode === m).sort((a, b) => a.services - b.services);
    return { iptables: by('iptables'), ipvs: by('ipvs') };
  }, [growing]);
  const x = scaleLog()
    .domain([1, SIZES[SIZES.length - 1]])
    .range([M.left, W - M.right]);
  const y = scaleLog()
    .domain([1, 5000])
    .range([H - M.bottom, M.top])
    .clamp(true);
  const path = line<ScalingPoint>()
    .x((p) => x(Math.max(1, p.services)))
    .y((p) => y(Math.max(1, cost(p))));
  const here = current?.find((p) => p.mode === mode);
  const n = api?.services.length ?? 0;
  const ticks = [1, 10, 100, 1000];
  return (
    <div className="scaling" data-testid="scaling">
      <p className="scaling-caption">
        Rules a new connection&apos;s first packet is tested against in nat PREROUTING, by number of
        Services: iptables walks KUBE-SERVICES rule by rule, IPVS tests a few ipset rules and looks
        the service up in a hash table.
      </p>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="scaling-chart"
        role="img"
        aria-label={`Rules per packet against Services; this cluster: ${n} Services${here ? `, ${fmt.format(cost(here))} in ${LABEL[mode]} mode` : ''}`}
      >
        <g className="axis">
          {[...ticks, 5000].map((t) => (
            <g key={`x${t}`} transform={`translate(${x(t)},0)`}>
              <line y1={M.top} y2={H - M.bottom} className="grid" />
              <text y={H - M.bottom + 16} textAnchor="middle">
                {fmt.format(t)}
              </text>
            </g>
          ))}
          {ticks.map((t) => (
            <g key={`y${t}`} transform={`translate(0,${y(t)})`}>
              <line x1={M.left} x2={W - M.right} className="grid" />
              <text x={M.left - 8} dy="0.32em" textAnchor="end">
                {fmt.format(t)}
              </text>
            </g>
          ))}
          <text x={(M.left + W - M.right) / 2} y={H - 6} textAnchor="middle" className="title">
            Services (log scale)
          </text>
          <text
            transform={`translate(16,${(M.top + H - M.bottom) / 2}) rotate(-90)`}
            textAnchor="middle"
            className="title"
          >
            rules + lookups per packet
          </text>
        </g>
        {(['iptables', 'ipvs'] as const).map((m) => {
          const pts = series[m];
          const last = pts[pts.length - 1];
          return (
            <g key={m} className={`series series-${m}`} data-testid={`scaling-${m}`}>
              {pts.length > 1 && <path d={path(pts) ?? ''} />}
              {pts.map((p) => (
                <circle key={p.services} cx={x(p.services)} cy={y(Math.max(1, cost(p)))} r={3}>
                  <title>{`${fmt.format(p.services)} Services, ${LABEL[m]}: ${fmt.format(p.rules)} rules${p.lookups ? `, ${fmt.format(p.lookups)} hash lookups` : ''}`}</title>
                </circle>
              ))}
              {last && (
                <text x={x(last.services) + 8} y={y(Math.max(1, cost(last)))} dy="0.32em">
                  {LABEL[m]}
                </text>
              )}
            </g>
          );
        })}
        {here && (
          <g
            className="here"
            data-testid="scaling-here"
            transform={`translate(${x(Math.max(1, n))},${y(Math.max(1, cost(here)))})`}
          >
            <circle r={6} />
            <text x={9} y={-9}>
              this cluster
            </text>
          </g>
        )}
      </svg>
      {!done && <p className="scaling-note">Computing the larger clusters…</p>}
      <table className="scaling-table">
        <caption className="visually-hidden">Rules and lookups per packet</caption>
        <thead>
          <tr>
            <th scope="col">Services</th>
            <th scope="col">iptables rules</th>
            <th scope="col">IPVS rules + lookups</th>
          </tr>
        </thead>
        <tbody>
          {current && (
            <tr className="here-row">
              <th scope="row">{n} (this cluster)</th>
              {(['iptables', 'ipvs'] as const).map((m) => {
                const p = current.find((c) => c.mode === m);
                return <td key={m}>{p ? cellOf(p) : '…'}</td>;
              })}
            </tr>
          )}
          {series.iptables.map((p) => {
            const v = series.ipvs.find((q) => q.services === p.services);
            return (
              <tr key={p.services}>
                <th scope="row">{fmt.format(p.services)}</th>
                <td>{cellOf(p)}</td>
                <td>{v ? cellOf(v) : '…'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function cellOf(p: ScalingPoint): string {
  return p.mode === 'ipvs'
    ? `${fmt.format(p.rules)} + ${fmt.format(p.lookups)}`
    : fmt.format(p.rules);
}

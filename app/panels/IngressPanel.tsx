/**
 * Ingress at the current step: every path of every Ingress (host, path,
 * pathType, service, port), the rule the step's request matched highlighted
 * with the reason it won, a box to try a Host and path against the same
 * matching, the certificate per TLS host, and the nginx `server` blocks
 * ingress-nginx writes.
 */
import { useMemo, useState } from 'react';
import {
  certificateNames,
  createIngressModel,
  renderNginxServers,
  routeRequest,
  type RouteResult,
} from '@kubewire/sim-core';
import { useCurrentStep } from '../state/selectors.ts';
import { useStore } from '../state/store.ts';
import { certificateRows, routeFact, ruleRows } from './ingressRows.ts';
import './ingressPanel.css';

interface Winner {
  readonly key?: string;
  readonly why: string;
  readonly label: string;
}

function fromResult(r: RouteResult): Winner {
  if (r.kind === 'rule' || r.kind === 'redirect')
    return {
      key: `${r.ingress}#${r.ruleIndex}.${r.pathIndex}`,
      why: r.why,
      label: r.kind === 'rule' ? `${r.backend.service}:${r.backend.port}` : `301 ${r.redirect}`,
    };
  if (r.kind === 'default')
    return {
      key: `${r.ingress}#-1.-1`,
      why: r.why,
      label: `${r.backend.service}:${r.backend.port}`,
    };
  return { why: r.why, label: '404' };
}

export function IngressPanel() {
  const sim = useStore((s) => s.sim);
  const step = useCurrentStep();
  const [host, setHost] = useState('');
  const [path, setPath] = useState('/');
  const model = useMemo(
    () => (sim ? createIngressModel({ ...sim.scenario, certificateNames }) : undefined),
    [sim],
  );
  const rows = useMemo(
    () => (sim ? ruleRows(sim.scenario.ingresses, sim.scenario.ingressClasses) : []),
    [sim],
  );
  const certs = useMemo(() => (model ? certificateRows(model) : []), [model]);
  const conf = useMemo(() => (model ? renderNginxServers(model) : ''), [model]);
  if (!sim || !model) return null;
  const fact = routeFact(step?.facts);
  const tried = host ? fromResult(routeRequest(model, { host, path: path || '/' })) : undefined;
  const stepWinner: Winner | undefined = fact
    ? {
        key: fact.ingress
          ? `${fact.ingress}#${fact.ruleIndex ?? -1}.${fact.pathIndex ?? -1}`
          : undefined,
        why: fact.why,
        label: fact.service ? `${fact.service}:${fact.port}` : '404',
      }
    : undefined;
  const winner = tried ?? stepWinner;
  return (
    <div className="ingress-panel" data-testid="ingress-panel">
      <section aria-label="Ingress rules">
        <h3>
          Rules <span className="sub">ingress-nginx · class nginx</span>
        </h3>
        <form
          className="ingress-try"
          onSubmit={(e) => e.preventDefault()}
          aria-label="Try a request"
        >
          <label>
            Host{' '}
            <input
              value={host}
              onChange={(e) => setHost(e.target.value)}
              placeholder="shop.example.com"
              aria-label="Host"
            />
          </label>
          <label>
            Path <input value={path} onChange={(e) => setPath(e.target.value)} aria-label="Path" />
          </label>
        </form>
        <table className="ingress-rules">
          <thead>
            <tr>
              <th>Host</th>
              <th>Path</th>
              <th>pathType</th>
              <th>Service</th>
              <th>Port</th>
              <th>Ingress</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.key}
                className={`${winner?.key === r.key ? 'winner' : ''} ${r.ignored ? 'ignored' : ''}`}
                aria-current={winner?.key === r.key ? 'true' : undefined}
                title={r.ignored}
              >
                <td>{r.host}</td>
                <td>
                  <code>{r.path}</code>
                </td>
                <td>{r.pathType}</td>
                <td>{r.service}</td>
                <td>{r.port}</td>
                <td>{r.ingress}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {winner && (
          <p className="ingress-why" data-testid="ingress-why">
            <strong>
              {tried ? 'This request' : 'This step'} → {winner.label}.
            </strong>{' '}
            {winner.why}.
          </p>
        )}
      </section>
      {certs.length > 0 && (
        <section aria-label="Certificates">
          <h3>
            Certificates <span className="sub">per host (SNI)</span>
          </h3>
          <ul className="ingress-certs">
            {certs.map((c) => (
              <li key={c.host}>
                <code>{c.host}</code>{' '}
                {c.cert ? (
                  <>
                    Secret {c.secret}: CN {c.cert.commonName ?? '—'}, SANs{' '}
                    {c.cert.dnsNames.join(', ') || '—'}, issuer {c.cert.issuerText}, valid{' '}
                    {c.cert.notBefore.toISOString().slice(0, 10)} →{' '}
                    {c.cert.notAfter.toISOString().slice(0, 10)}
                  </>
                ) : c.secret ? (
                  <>Secret {c.secret}</>
                ) : (
                  <>the fake certificate: {c.why}</>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-label="nginx configuration">
        <h3>
          nginx.conf <span className="sub">server blocks</span>
        </h3>
        <pre className="ingress-conf">{conf}</pre>
      </section>
    </div>
  );
}

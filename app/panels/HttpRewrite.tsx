/**
 * At the step where ingress-nginx passes a request upstream, the request
 * before and after the controller, side by side: as the client sent it
 * (decrypted, when it came over TLS) and as nginx writes it to the pod, with
 * the header lines ingress-nginx added marked. The bytes on the wire are the
 * frame's (the layer tree and hex dump below); this is their HTTP.
 */
import type { Step } from '@kubewire/sim-core';
import './httpRewrite.css';

interface ProxyFact {
  readonly type: 'ingress.proxy';
  readonly controller: string;
  readonly upstream: string;
  readonly before: string;
  readonly after: string;
  readonly added: readonly string[];
}

/** The step's ingress.proxy fact: its own, or the cause of the send that carries the request. */
export function proxyFactOf(step: Step | null | undefined): ProxyFact | null {
  let f = step?.facts as { type?: string; cause?: unknown } | undefined;
  for (let depth = 0; f && depth < 4; depth++) {
    if (f.type === 'ingress.proxy') return f as unknown as ProxyFact;
    f = f.cause as { type?: string; cause?: unknown } | undefined;
  }
  return null;
}

/** The head's lines without the blank line that ends it. */
const lines = (head: string) => head.replace(/(\r\n)+$/, '').split('\r\n');

export function HttpRewrite({ fact }: { readonly fact: ProxyFact }) {
  const added = new Set(fact.added.map((h) => h.toLowerCase()));
  const isAdded = (line: string) => {
    const colon = line.indexOf(':');
    return colon > 0 && added.has(line.slice(0, colon).toLowerCase());
  };
  return (
    <div className="http-rewrite" data-testid="http-rewrite">
      <section className="http-side" aria-label="Request before the controller">
        <h3 className="inspector-side-title">
          <span className="side-tag">In</span> the request as the client sent it
        </h3>
        <pre className="http-head">
          {lines(fact.before).map((l, i) => (
            <span key={i} className="http-line">
              {l}
              {'\n'}
            </span>
          ))}
        </pre>
      </section>
      <section className="http-side" aria-label="Request after the controller">
        <h3 className="inspector-side-title">
          <span className="side-tag">Out</span> as ingress-nginx sends it to {fact.upstream}
        </h3>
        <pre className="http-head">
          {lines(fact.after).map((l, i) =>
            isAdded(l) ? (
              <mark key={i} className="http-line added" title="added by ingress-nginx">
                {l}
                {'\n'}
              </mark>
            ) : (
              <span key={i} className="http-line">
                {l}
                {'\n'}
              </span>
            ),
          )}
        </pre>
        <p className="http-legend">
          <mark className="http-line added">marked</mark>: the {fact.added.length} headers
          ingress-nginx added
        </p>
      </section>
    </div>
  );
}

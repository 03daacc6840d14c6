/**
 * Where a packet dies, and why, for the failure mark on the picture: a netfilter DROP or
 * REJECT (with the rule or the chain's policy that decided it), no route, a blackhole, an
 * expired TTL, no forwarding, a bridge's hairpin drop, an ARP nobody answered, a SYN to a
 * port nothing listens on. Read from the step's facts, the data the narration is made from.
 */
import type { Fact, Place, Step } from '@kubewire/sim-core';

export interface Drop {
  readonly place: Place;
  /** The short reason on the mark: "dropped: filter INPUT DROP (rule 1)". */
  readonly reason: string;
}

type Of<T extends Fact['type']> = Extract<Fact, { type: T }>;

/** The rule or policy the netfilter step just before decided with, when it is this hook's. */
function decidedBy(drop: Of<'nf.drop'>, prev: Step | undefined): string {
  const table = prev?.facts.type === 'nf.table' ? (prev.facts as Of<'nf.table'>) : undefined;
  if (!table || table.table !== drop.table || table.hook !== drop.hook)
    return `${drop.table} ${drop.hook} DROP`;
  const hit = table.hits[table.hits.length - 1];
  if (!hit || table.policy) return `${table.hook} policy ${table.policy ?? 'DROP'}`;
  return `${drop.table} ${hit.chain} ${hit.target ?? 'DROP'} (rule ${hit.rule})`;
}

export function dropOf(step: Step | undefined, prev?: Step): Drop | null {
  if (!step) return null;
  const f = step.facts;
  const at = (reason: string): Drop => ({ place: step.place, reason });
  switch (f.type) {
    case 'nf.drop':
      return at(
        f.rejectWith ? `rejected: ${f.table} ${f.hook} REJECT` : `dropped: ${decidedBy(f, prev)}`,
      );
    case 'nf.reject':
      return at(`rejected: ${f.where} REJECT (${f.how})`);
    case 'ip.no-route':
      return at(`dropped: no route to ${f.dst}`);
    case 'ip.unreachable-out':
      return at(`not sent: no route to ${f.dst}`);
    case 'ip.blackhole':
      return at(`dropped: blackhole route ${f.route}`);
    case 'ip.ttl-expired':
      return at('dropped: TTL expired');
    case 'ip.no-forward':
      return at('dropped: not forwarding (ip_forward=0)');
    case 'bridge.hairpin-drop':
      return at(`dropped: hairpin off on ${f.port}`);
    case 'neigh.failed':
      return at(`dropped: no ARP reply for ${f.target}`);
    case 'tcp.rst-no-listener':
      return at(`reset: nothing listens on port ${f.port}`);
    default:
      return null;
  }
}

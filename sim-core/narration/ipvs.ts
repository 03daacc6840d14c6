/**
 * IPVS on a node in kube-proxy's IPVS mode: a new connection to a virtual
 * service gets a real server from the scheduler or the client's persistence
 * template, IPVS rewrites the destination (masquerading, ip_vs_nat_xmit)
 * and sends it on, and rewrites the source of the real server's replies
 * back to the virtual address (handle_response).
 */
import type { FactOf, Narrators } from './types.ts';

export type IpvsFact =
  | FactOf<
      'ipvs.schedule',
      {
        /** "10.96.0.10:80/TCP" */
        service: string;
        client: string;
        dest: string;
        how: 'scheduler' | 'template';
        scheduler: string;
        /** The destination's place in the service's list, and the list's length. */
        position?: number;
        of?: number;
        /** rr: the real server picked last time. */
        after?: string;
        /** Persistence timeout (sessionAffinity ClientIP's timeoutSeconds). */
        persistent?: number;
        /** A template was made for this client (first connection with affinity). */
        newTemplate?: boolean;
      }
    >
  | FactOf<'ipvs.no-dest', { service: string; scheduler: string; of: number }>
  | FactOf<
      'ipvs.nat',
      {
        hook: string;
        service: string;
        before: string;
        after: string;
        state: string;
        previous: string;
        ttl: number;
        conntrack: boolean;
      }
    >
  | FactOf<
      'ipvs.reply',
      {
        hook: string;
        service: string;
        before: string;
        after: string;
        state: string;
        previous: string;
      }
    >;

const why = (f: Extract<IpvsFact, { type: 'ipvs.schedule' }>) => {
  if (f.how === 'template')
    return `The service is persistent (${f.persistent} s): the client's template still names ${f.dest}, so the scheduler is not asked.`;
  const place = f.position ? ` (${f.position} of ${f.of} in the service's list)` : '';
  const after = f.after ? `, the one after ${f.after}, picked last time` : '';
  const tpl = f.newTemplate
    ? ` A persistence template for ${f.client.split(':')[0]} now remembers it for ${f.persistent} s.`
    : '';
  return `The ${f.scheduler} scheduler picks ${f.dest}${place}${after}.${tpl}`;
};

export const ipvsNarrators: Narrators<IpvsFact> = {
  'ipvs.schedule': (f) => ({
    headline: `IPVS ${f.scheduler}: ${f.service} → real server ${f.dest}`,
    explanation: `A new connection from ${f.client} to the virtual service ${f.service} (IPVS hooks LOCAL_IN after the filter table): ${why(f)} The connection is entered in IPVS's table (ipvsadm -Lnc).`,
  }),
  'ipvs.no-dest': (f) => ({
    headline: `IPVS: ${f.service} has no real server available`,
    explanation: `The virtual service ${f.service} has ${f.of} real servers the ${f.scheduler} scheduler can use, so IPVS answers with ICMP port unreachable and drops the packet (ip_vs_leave).`,
  }),
  'ipvs.nat': (f) => ({
    headline: `IPVS masquerades: destination ${f.before} → ${f.after}`,
    explanation:
      `IPVS forwards the packet of ${f.service} by NAT (ip_vs_nat_xmit): destination ${f.before} becomes the real server ${f.after}, the TTL drops to ${f.ttl} and the packet is routed out through LOCAL_OUT and POSTROUTING. Its IPVS state goes ${f.previous} → ${f.state}.` +
      (f.conntrack
        ? " With net.ipv4.vs.conntrack=1, conntrack's reply tuple is changed to expect the real server's answer."
        : ''),
  }),
  'ipvs.reply': (f) => ({
    headline: `IPVS un-NATs the reply: source ${f.before} → ${f.after}`,
    explanation: `A packet from the real server of ${f.service} (${f.hook}): IPVS finds its connection and writes the virtual address back as the source, ${f.before} → ${f.after}, so the client sees the address it connected to. IPVS state ${f.previous} → ${f.state}.`,
  }),
};

/**
 * A stand-in for the CoreDNS library (sim-core/dns/, written alongside):
 * A records for ClusterIP Services and headless Services' ready endpoints,
 * NXDOMAIN with the zone's SOA for other names in the zone, NOERROR without
 * data for AAAA, and a forward for names outside it. Replaced by
 * createCoreDns when that lands.
 */
import * as dnsPacket from '@leichtgewicht/dns-packet';
import type { Answer, Packet } from '@leichtgewicht/dns-packet';
import type { Rng } from '../engine/rng.ts';
import type { DnsEngine, DnsView } from './dns-engine.ts';

export function createStubCoreDns(opts: { rng: Rng; clusterDomain: string }): DnsEngine {
  const pending = new Map<number, number>();
  let nextForward = 1;
  const zone = `${opts.clusterDomain}`;
  const soa = (): Answer => ({
    type: 'SOA',
    class: 'IN',
    name: zone,
    ttl: 30,
    data: {
      mname: `ns.dns.${zone}`,
      rname: `hostmaster.${zone}`,
      serial: 1767225600,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: 30,
    },
  });
  const lookupA = (name: string, view: DnsView): string[] | undefined => {
    const labels = name.split('.');
    const suffix = `svc.${zone}`;
    if (!name.endsWith(`.${suffix}`) || labels.length !== suffix.split('.').length + 2)
      return undefined;
    const [svcName, ns] = labels;
    const svc = view.services.find(
      (s) => s.metadata.name === svcName && s.metadata.namespace === ns,
    );
    if (!svc) return undefined;
    if (svc.spec.clusterIP && svc.spec.clusterIP !== 'None') return [svc.spec.clusterIP];
    return view.endpointSlices
      .filter(
        (s) =>
          s.metadata.namespace === ns &&
          s.metadata.labels?.['kubernetes.io/service-name'] === svcName,
      )
      .flatMap((s) => s.endpoints.filter((e) => e.conditions.ready).map((e) => e.addresses[0]));
  };
  return {
    handle(query, _now, view) {
      let q: Packet;
      try {
        q = dnsPacket.decode(query);
      } catch {
        return { kind: 'drop', reason: 'not a DNS message' };
      }
      const question = q.questions?.[0];
      if (!question) return { kind: 'drop', reason: 'no question' };
      const name = question.name.toLowerCase().replace(/\.$/, '');
      const inZone = name === zone || name.endsWith(`.${zone}`);
      if (!inZone) {
        const forwardId = nextForward++;
        const upstreamId = opts.rng.int(0, 0xffff);
        pending.set(forwardId, q.id ?? 0);
        return { kind: 'forward', forwardId, query: dnsPacket.encode({ ...q, id: upstreamId }) };
      }
      const ips = lookupA(name, view);
      const answers: Answer[] =
        ips && question.type === 'A'
          ? ips.map((ip) => ({ type: 'A', class: 'IN', name: question.name, ttl: 30, data: ip }))
          : [];
      const rcode = ips ? 0 : 3;
      const packet: Packet = {
        type: 'response',
        id: q.id,
        flags:
          dnsPacket.AUTHORITATIVE_ANSWER | ((q.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | rcode,
        questions: [question],
        answers,
        authorities: answers.length ? [] : [soa()],
      };
      return { kind: 'reply', response: dnsPacket.encode(packet) };
    },
    upstreamReply(forwardId, reply) {
      const p = dnsPacket.decode(reply);
      const id = pending.get(forwardId) ?? 0;
      pending.delete(forwardId);
      return { response: dnsPacket.encode({ ...p, id }) };
    },
  };
}

/**
 * The kubernetes plugin's answers (SPEC DNS1–DNS8), held against the cases of
 * CoreDNS's own plugin/kubernetes/handler_test.go (dnsTestCases,
 * commonDnsTestCases), restated in our words over the same cluster
 * (test/dns-world.ts). Upstream's ttl is 5 and its SOA serial 1499347823;
 * ours is kubeadm's Corefile, so every TTL and the SOA minimum are 30.
 */
import { describe, expect, it } from 'vitest';
import {
  ask,
  coreDns,
  lines,
  queryBytes,
  slice,
  service,
  upstreamView as view,
} from '../test/dns-world.ts';
import type { DnsClusterView } from './view.ts';

const SOA =
  'cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1499347823 7200 1800 86400 30';
const q = (name: string, type: string, v: DnsClusterView = view) => ask(coreDns(), v, name, type);

describe('DNS1 A for a ClusterIP Service, every ready endpoint for a headless one', () => {
  it('svc1.testns.svc A is its ClusterIP, authoritative, no recursion available (handler_test "A Service")', () => {
    const { msg } = q('svc1.testns.svc.cluster.local', 'A');
    expect(msg.rcode).toBe(0);
    expect([msg.qr, msg.aa, msg.rd, msg.ra]).toEqual([true, true, true, false]);
    expect(lines(msg.answers)).toEqual(['svc1.testns.svc.cluster.local. 30 IN A 10.0.0.1']);
  });
  it('a Service with no endpoints still answers its ClusterIP ("svcempty")', () => {
    expect(lines(q('svcempty.testns.svc.cluster.local', 'A').msg.answers)).toEqual([
      'svcempty.testns.svc.cluster.local. 30 IN A 10.0.0.1',
    ]);
  });
  it('hdls1 A is one record per ready endpoint ("A Service (Headless)")', () => {
    expect(lines(q('hdls1.testns.svc.cluster.local', 'A').msg.answers)).toEqual(
      ['172.0.0.2', '172.0.0.3', '172.0.0.4', '172.0.0.5'].map(
        (ip) => `hdls1.testns.svc.cluster.local. 30 IN A ${ip}`,
      ),
    );
  });
  it('a headless Service without ports answers its endpoints ("Headless and Portless")', () => {
    expect(lines(q('hdlsprtls.testns.svc.cluster.local', 'A').msg.answers)).toEqual([
      'hdlsprtls.testns.svc.cluster.local. 30 IN A 172.0.0.20',
    ]);
  });
  it('a not-ready endpoint is left out (object.EndpointSliceToEndpoints keeps ready ones)', () => {
    const v: DnsClusterView = {
      ...view,
      endpointSlices: [slice('testns', 'hdls1', ['172.0.0.2', { ip: '172.0.0.9', ready: false }])],
    };
    expect(lines(q('hdls1.testns.svc.cluster.local', 'A', v).msg.answers)).toEqual([
      'hdls1.testns.svc.cluster.local. 30 IN A 172.0.0.2',
    ]);
  });
  it("matching ignores case and the answer keeps the query's case", () => {
    expect(lines(q('SVC1.testns.svc.Cluster.Local', 'A').msg.answers)).toEqual([
      'SVC1.testns.svc.Cluster.Local. 30 IN A 10.0.0.1',
    ]);
  });
});

describe('DNS2 endpoint names: <hostname> or <dashed-ip> under the Service', () => {
  it('dup-name.hdls1 answers both endpoints with that hostname ("An Endpoint by name")', () => {
    expect(lines(q('dup-name.hdls1.testns.svc.cluster.local', 'A').msg.answers)).toEqual([
      'dup-name.hdls1.testns.svc.cluster.local. 30 IN A 172.0.0.4',
      'dup-name.hdls1.testns.svc.cluster.local. 30 IN A 172.0.0.5',
    ]);
  });
  it('172-0-0-2.hdls1 answers that endpoint ("An Endpoint ip")', () => {
    expect(lines(q('172-0-0-2.hdls1.testns.svc.cluster.local', 'A').msg.answers)).toEqual([
      '172-0-0-2.hdls1.testns.svc.cluster.local. 30 IN A 172.0.0.2',
    ]);
  });
  it('an endpoint that does not exist is NXDOMAIN ("A Service (Headless) does not exist")', () => {
    const { msg } = q('bogusendpoint.hdls1.testns.svc.cluster.local', 'A');
    expect(msg.rcode).toBe(3);
    expect(lines(msg.authorities)).toEqual([SOA]);
  });
  it('a pod with hostname+subdomain under a headless Service: <hostname>.<subdomain>.<ns>.svc', () => {
    const v: DnsClusterView = {
      ...view,
      services: [...view.services, service('default', 'db', { clusterIP: 'None' })],
      endpointSlices: [slice('default', 'db', [{ ip: '10.244.1.3', hostname: 'db-0' }])],
    };
    expect(lines(q('db-0.db.default.svc.cluster.local', 'A', v).msg.answers)).toEqual([
      'db-0.db.default.svc.cluster.local. 30 IN A 10.244.1.3',
    ]);
  });
});

describe('DNS3 pod records with pods insecure: <a-b-c-d>.<ns>.pod.<domain>', () => {
  it('any dashed IPv4 in an existing namespace answers that address', () => {
    const { msg, facts } = q('10-244-1-3.default.pod.cluster.local', 'A');
    expect(lines(msg.answers)).toEqual([
      '10-244-1-3.default.pod.cluster.local. 30 IN A 10.244.1.3',
    ]);
    expect(facts).toMatchObject({ type: 'dns.answer', plugin: 'kubernetes', what: 'pod' });
  });
  it('a namespace that does not exist is NXDOMAIN even so', () => {
    expect(q('10-244-1-3.nowhere.pod.cluster.local', 'A').msg.rcode).toBe(3);
  });
  it('a label that is not an address is NXDOMAIN', () => {
    expect(q('web-0.default.pod.cluster.local', 'A').msg.rcode).toBe(3);
  });
});

describe('DNS4 SRV for named ports, per endpoint for headless', () => {
  it('_http._tcp.svc1 names the Service, its A in additional ("SRV Service")', () => {
    const { msg } = q('_http._tcp.svc1.testns.svc.cluster.local', 'SRV');
    expect(lines(msg.answers)).toEqual([
      '_http._tcp.svc1.testns.svc.cluster.local. 30 IN SRV 0 100 80 svc1.testns.svc.cluster.local.',
    ]);
    expect(lines(msg.additionals)).toEqual(['svc1.testns.svc.cluster.local. 30 IN A 10.0.0.1']);
  });
  it('_http._tcp.hdls1: one SRV per endpoint name, weight floor(100/4)=25, one A per address', () => {
    // handler_test.go has 6 endpoints (2 IPv6) and weight 16; ours are its 4 IPv4 ones.
    const { msg } = q('_http._tcp.hdls1.testns.svc.cluster.local', 'SRV');
    expect(lines(msg.answers)).toEqual(
      ['172-0-0-2', '172-0-0-3', 'dup-name'].map(
        (h) =>
          `_http._tcp.hdls1.testns.svc.cluster.local. 30 IN SRV 0 25 80 ${h}.hdls1.testns.svc.cluster.local.`,
      ),
    );
    expect(lines(msg.additionals)).toEqual([
      '172-0-0-2.hdls1.testns.svc.cluster.local. 30 IN A 172.0.0.2',
      '172-0-0-3.hdls1.testns.svc.cluster.local. 30 IN A 172.0.0.3',
      'dup-name.hdls1.testns.svc.cluster.local. 30 IN A 172.0.0.4',
      'dup-name.hdls1.testns.svc.cluster.local. 30 IN A 172.0.0.5',
    ]);
  });
  it('SRV on the bare Service name lists its ports ("svc1 SRV")', () => {
    expect(lines(q('svc1.testns.svc.cluster.local', 'SRV').msg.answers)).toEqual([
      'svc1.testns.svc.cluster.local. 30 IN SRV 0 100 80 svc1.testns.svc.cluster.local.',
    ]);
  });
  it('a port name the Service does not have is NXDOMAIN', () => {
    expect(q('_grpc._tcp.svc1.testns.svc.cluster.local', 'SRV').msg.rcode).toBe(3);
  });
  it('a headless Service without ports has no SRV: NODATA', () => {
    const { msg } = q('hdlsprtls.testns.svc.cluster.local', 'SRV');
    expect([msg.rcode, msg.answers.length, lines(msg.authorities)]).toEqual([0, 0, [SOA]]);
  });
});

describe('DNS5 PTR for ClusterIPs and endpoint addresses', () => {
  it('1.0.0.10.in-addr.arpa is svc1 (a Service IP wins over endpoints)', () => {
    expect(lines(q('1.0.0.10.in-addr.arpa', 'PTR').msg.answers)).toEqual([
      '1.0.0.10.in-addr.arpa. 30 IN PTR svc1.testns.svc.cluster.local.',
    ]);
  });
  it('an endpoint address reverses to <hostname|dashed-ip>.<svc>.<ns>.svc', () => {
    expect(lines(q('4.0.0.172.in-addr.arpa', 'PTR').msg.answers)).toEqual([
      '4.0.0.172.in-addr.arpa. 30 IN PTR dup-name.hdls1.testns.svc.cluster.local.',
    ]);
    expect(lines(q('2.0.0.172.in-addr.arpa', 'PTR').msg.answers)).toEqual([
      '2.0.0.172.in-addr.arpa. 30 IN PTR 172-0-0-2.hdls1.testns.svc.cluster.local.',
    ]);
  });
  it('an unknown address falls through (fallthrough in-addr.arpa ip6.arpa) to forward', () => {
    const h = coreDns().handle(queryBytes('9.9.9.9.in-addr.arpa', 'PTR'), 0, view);
    expect(h.kind).toBe('forward');
    if (h.kind === 'forward')
      expect(h.facts).toMatchObject({ type: 'dns.forward', why: 'fallthrough' });
  });
});

describe('DNS6 ExternalName is a CNAME', () => {
  it('external CNAME ext.interwebs.test. ("CNAME External")', () => {
    expect(lines(q('external.testns.svc.cluster.local', 'CNAME').msg.answers)).toEqual([
      'external.testns.svc.cluster.local. 30 IN CNAME ext.interwebs.test.',
    ]);
  });
  it('an ExternalName to a Service in the zone answers CNAME then its A ("External To Internal Service")', () => {
    const { msg } = q('external-to-service.testns.svc.cluster.local', 'A');
    // CNAME before the A it points to (test.CNAMEOrder); loadbalance keeps CNAMEs first.
    expect(msg.answers.map((r) => r.type)).toEqual(['CNAME', 'A']);
    expect(lines(msg.answers)).toEqual([
      'external-to-service.testns.svc.cluster.local. 30 IN CNAME svc1.testns.svc.cluster.local.',
      'svc1.testns.svc.cluster.local. 30 IN A 10.0.0.1',
    ]);
  });
  it('a subdomain of an ExternalName is NXDOMAIN ("subdomain of an external service")', () => {
    expect(q('endpoint.external.testns.svc.cluster.local', 'CNAME').msg.rcode).toBe(3);
  });
});

describe('DNS7 NXDOMAIN and NODATA carry the zone SOA in authority', () => {
  it('SOA: ns.dns.<zone> hostmaster.<zone> serial 7200 1800 86400, minimum = ttl', () => {
    const { msg } = q('svc0.testns.svc.cluster.local', 'A');
    expect([msg.rcode, msg.aa, msg.answers.length, lines(msg.authorities)]).toEqual([
      3,
      true,
      0,
      [SOA],
    ]);
  });
  it('a namespace that does not exist: NXDOMAIN ("non-existing namespace")', () => {
    expect(q('svc0.svc-nons.svc.cluster.local', 'A').msg.rcode).toBe(3);
  });
  it('AAAA of an IPv4 Service: NOERROR, no answer, the SOA ("existing A record, but no AAAA")', () => {
    const { msg, facts } = q('svc1.testns.svc.cluster.local', 'AAAA');
    expect([msg.rcode, msg.answers.length, lines(msg.authorities)]).toEqual([0, 0, [SOA]]);
    expect(facts).toMatchObject({ what: 'nodata', soa: true });
  });
  it('AAAA of a name that does not exist is NXDOMAIN ("non-existing service")', () => {
    expect(q('svc0.testns.svc.cluster.local', 'AAAA').msg.rcode).toBe(3);
  });
  it('the apexes svc.<zone>, pod.<zone> and <ns>.svc.<zone> are NODATA', () => {
    for (const n of ['svc.cluster.local', 'pod.cluster.local', 'testns.svc.cluster.local'])
      expect([n, q(n, 'A').msg.rcode, q(n, 'A').msg.authorities.length]).toEqual([n, 0, 1]);
  });
  it('TXT of an existing name is NODATA, of a missing one NXDOMAIN; dns-version is 1.1.0', () => {
    // The plugin gives dns-version TTL 28800; `cache 30` caps every TTL passing through to 30.
    expect(q('svc1.testns.svc.cluster.local', 'TXT').msg.rcode).toBe(0);
    expect(q('svc0.svc-nons.svc.cluster.local', 'TXT').msg.rcode).toBe(3);
    expect(lines(q('dns-version.cluster.local', 'TXT').msg.answers)).toEqual([
      'dns-version.cluster.local. 30 IN TXT "1.1.0"',
    ]);
  });
  it('SOA of a name below the apex is NODATA; of the zone, the SOA itself', () => {
    expect(q('svc1.testns.svc.cluster.local', 'SOA').msg.answers).toEqual([]);
    expect(lines(q('cluster.local', 'SOA').msg.answers)).toEqual([SOA]);
  });
  it('NS for a name below the apex: NODATA if it exists, NXDOMAIN if not', () => {
    expect(q('svc.cluster.local', 'NS').msg.rcode).toBe(0);
    expect(q('foo.svc.cluster.local', 'NS').msg.rcode).toBe(3);
  });
  it('AXFR is REFUSED', () => {
    expect(q('cluster.local', 'AXFR').msg.rcode).toBe(5);
  });
});

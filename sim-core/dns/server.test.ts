/**
 * The plugin chain around the kubernetes plugin (SPEC DNS8, DNS10–DNS13):
 * kubeadm's Corefile, cache (plugin/cache cache_test.go's TTL rules),
 * loadbalance (plugin/loadbalance), forward (plugin/forward, pkg/proxy) and
 * what the server does to every reply (request.ScrubWriter).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ask,
  coreDns,
  lines,
  queryBytes,
  service,
  slice,
  upstreamView,
} from '../test/dns-world.ts';
import type { DnsMessage, DnsRecord } from '../wire/dns.ts';
import { emitDns, parseDns } from '../wire/dns.ts';
import { emitDnsCompressed } from '../wire/dns-compress.ts';
import { kubeadmCorefile, parseCorefile } from './corefile.ts';
import type { CoreDns } from './server.ts';
import type { DnsClusterView } from './view.ts';

const S = 1e6;
const view: DnsClusterView = {
  ...upstreamView,
  services: [...upstreamView.services, service('default', 'web', { clusterIP: 'None' })],
  endpointSlices: [
    ...upstreamView.endpointSlices,
    slice('default', 'web', ['10.244.1.2', '10.244.1.3', '10.244.2.2']),
  ],
};

/** What an upstream resolver answers to a forwarded query: compressed, RA set, its own TTLs. */
function upstreamAnswer(query: Uint8Array, records: DnsRecord[], extra: Partial<DnsMessage> = {}) {
  const q = parseDns(query);
  return emitDnsCompressed({ ...q, qr: true, ra: true, answers: records, ...extra });
}
const A = (name: string, ttl: number, ip: string): DnsRecord => ({
  name,
  type: 'A',
  class: 'IN',
  ttl,
  data: ip,
});

function forwardThenReply(
  dns: CoreDns,
  name: string,
  type: string,
  nowUs: number,
  records: DnsRecord[],
  extra: Partial<DnsMessage> = {},
  id = 0x1234,
) {
  const h = dns.handle(queryBytes(name, type, { id }), nowUs, view);
  if (h.kind !== 'forward') throw new Error(`expected a forward, got ${h.kind}`);
  const r = dns.upstreamReply(h.forwardId, upstreamAnswer(h.query, records, extra), nowUs + 2000);
  return { h, r, msg: parseDns(r.response) };
}

describe('DNS8 the Corefile', () => {
  it("is kubeadm's ConfigMap text for cluster.local, and parses to its settings", () => {
    const text = readFileSync(
      new URL('../test/fixtures/dns/kubeadm-Corefile.txt', import.meta.url),
      'utf8',
    );
    expect(kubeadmCorefile('cluster.local')).toBe(text);
    const r = parseCorefile(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.kubernetes).toEqual({
      zones: ['cluster.local.', 'in-addr.arpa.', 'ip6.arpa.'],
      pods: 'insecure',
      fallthrough: ['in-addr.arpa.', 'ip6.arpa.'],
      ttl: 30,
      endpointPodNames: false,
    });
    expect(r.config.forward).toEqual({ from: '.', to: ['/etc/resolv.conf'] });
    expect(r.config.cache).toMatchObject({
      successTtl: 30,
      denialTtl: 30,
      successMinTtl: 5,
      disableSuccess: ['cluster.local.'],
      disableDenial: ['cluster.local.'],
    });
    expect(r.config.loadbalance).toBe(true);
    expect(r.config.directives.map((d) => d.name)).toEqual(
      'errors health ready kubernetes prometheus forward cache loop reload loadbalance'.split(' '),
    );
  });
  it('a bad Corefile is refused with line and column', () => {
    const bad =
      '.:53 {\n    kubernetes cluster.local {\n       pods sometimes\n       ttl forever\n    }\n    cahce 30\n}\n';
    const r = parseCorefile(bad);
    expect(r.ok ? [] : r.errors.map((e) => `${e.line}:${e.column} ${e.message}`)).toEqual([
      '3:13 pods: expected disabled, insecure or verified',
      '4:12 ttl: not a number of seconds: "forever"',
      "6:5 unknown directive 'cahce'",
    ]);
    const open = parseCorefile('.:53 {\n    errors\n');
    expect(open.ok ? [] : open.errors.map((e) => `${e.line}:${e.column}`)).toEqual(['1:6']);
  });
  it('a scenario Corefile without loadbalance and with the default ttl 5 takes effect', () => {
    const dns = coreDns(
      1,
      '.:53 {\n    kubernetes cluster.local {\n       pods insecure\n    }\n}\n',
    );
    const { msg } = ask(dns, view, 'svc1.testns.svc.cluster.local', 'A');
    expect(lines(msg.answers)).toEqual(['svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1']);
  });
});

describe('DNS10 cache 30', () => {
  it('a forwarded answer is capped to 30 s, then served from cache with its TTL falling', () => {
    const dns = coreDns();
    const first = forwardThenReply(dns, 'example.com', 'A', 0, [
      A('example.com', 300, '93.184.216.34'),
    ]);
    expect(lines(first.msg.answers)).toEqual(['example.com. 30 IN A 93.184.216.34']);
    expect(first.r.facts).toMatchObject({ plugin: 'forward', stored: 'stored', ttl: 30 });
    const again = ask(dns, view, 'example.com', 'A', 12.7 * S, { id: 0x4321 });
    expect(lines(again.msg.answers)).toEqual(['example.com. 18 IN A 93.184.216.34']);
    expect([again.msg.id, again.msg.aa, again.msg.ra]).toEqual([0x4321, true, true]);
    expect(again.facts).toMatchObject({
      plugin: 'cache',
      ttl: 18,
      cache: { ageS: 12, storedTtl: 30 },
    });
    // Stored at 2 ms: at 30.001 s whole seconds elapsed are 29 (1 s left), at 30.002 s it is stale.
    expect(ask(dns, view, 'example.com', 'A', 30.001 * S).facts).toMatchObject({ ttl: 1 });
    expect(dns.handle(queryBytes('example.com', 'A'), 30.002 * S, view).kind).toBe('forward');
  });
  it('an upstream TTL below 30 is kept, and the smallest TTL in the reply applies to all', () => {
    const dns = coreDns();
    const r = forwardThenReply(dns, 'example.com', 'A', 0, [
      A('example.com', 20, '1.1.1.1'),
      A('example.com', 3600, '2.2.2.2'),
    ]);
    expect(r.msg.answers.map((x) => x.ttl)).toEqual([20, 20]);
  });
  it('a TTL under 5 s is raised to 5 (MINTTL): cached for 5 s, and the client sees 5', () => {
    const dns = coreDns();
    const r = forwardThenReply(dns, 'example.com', 'A', 0, [A('example.com', 2, '1.1.1.1')]);
    expect(r.msg.answers[0].ttl).toBe(5);
    expect(ask(dns, view, 'example.com', 'A', 4.5 * S).facts).toMatchObject({
      plugin: 'cache',
      ttl: 1,
    });
  });
  it('NXDOMAIN with an SOA is cached (denial), without an SOA it is not', () => {
    const dns = coreDns();
    const soa: DnsRecord = {
      name: 'com',
      type: 'SOA',
      class: 'IN',
      ttl: 900,
      data: {
        mname: 'a.gtld-servers.net',
        rname: 'nstld.verisign-grs.com',
        serial: 1,
        refresh: 1800,
        retry: 900,
        expire: 604800,
        minimum: 86400,
      },
    };
    forwardThenReply(dns, 'nope.example.com', 'A', 0, [], { rcode: 3, authorities: [soa] });
    expect(ask(dns, view, 'nope.example.com', 'A', 1.5 * S).facts).toMatchObject({
      plugin: 'cache',
      rcode: 'NXDOMAIN',
      ttl: 29,
    });
    forwardThenReply(dns, 'gone.example.com', 'A', 0, [], { rcode: 3 });
    expect(dns.handle(queryBytes('gone.example.com', 'A'), 1 * S, view).kind).toBe('forward');
  });
  it("cluster.local answers are never cached (kubeadm's disable success/denial)", () => {
    const dns = coreDns();
    const a = ask(dns, view, 'svc1.testns.svc.cluster.local', 'A', 0);
    expect(a.facts).toMatchObject({ plugin: 'kubernetes', stored: 'disabled-zone' });
    const b = ask(dns, view, 'svc1.testns.svc.cluster.local', 'A', 10 * S);
    expect(b.facts).toMatchObject({ plugin: 'kubernetes', ttl: 30 });
    expect(ask(dns, view, 'svc0.testns.svc.cluster.local', 'A', 11 * S).facts).toMatchObject({
      plugin: 'kubernetes',
      stored: 'disabled-zone',
    });
  });
  it('a PTR for a ClusterIP is in in-addr.arpa, outside the disabled zone: cached', () => {
    const dns = coreDns();
    expect(ask(dns, view, '1.0.0.10.in-addr.arpa', 'PTR', 0).facts).toMatchObject({
      stored: 'stored',
    });
    expect(ask(dns, view, '1.0.0.10.in-addr.arpa', 'PTR', 3 * S).facts).toMatchObject({
      plugin: 'cache',
      ttl: 27,
    });
  });
});

describe('DNS11 loadbalance shuffles address records with the seeded rng', () => {
  const orders = (seed: number) => {
    const dns = coreDns(seed);
    return Array.from({ length: 8 }, () =>
      ask(dns, view, 'web.default.svc.cluster.local', 'A')
        .msg.answers.map((r) => r.data)
        .join(' '),
    );
  };
  it('the same three addresses come back in more than one order, the same way for a seed', () => {
    const o = orders(1);
    expect(new Set(o).size).toBeGreaterThan(1);
    for (const x of o)
      expect(x.split(' ').sort()).toEqual(['10.244.1.2', '10.244.1.3', '10.244.2.2']);
    expect(orders(1)).toEqual(o);
    expect(orders(2)).not.toEqual(o);
  });
  it('the fact says when the first record changed place', () => {
    const dns = coreDns(1);
    const facts = Array.from(
      { length: 8 },
      () => ask(dns, view, 'web.default.svc.cluster.local', 'A').facts,
    );
    expect(facts.some((f) => f.type === 'dns.answer' && f.rotated)).toBe(true);
  });
  it('a CNAME stays before the addresses (roundRobin partitions)', () => {
    for (let seed = 1; seed < 6; seed++)
      expect(
        ask(coreDns(seed), view, 'external-to-service.testns.svc.cluster.local', 'A').msg.answers[0]
          .type,
      ).toBe('CNAME');
  });
  it('one record is never touched, and a Corefile without loadbalance keeps the order', () => {
    const dns = coreDns(3, '.:53 {\n    kubernetes cluster.local {\n    }\n}\n');
    const o = Array.from({ length: 5 }, () =>
      ask(dns, view, 'web.default.svc.cluster.local', 'A')
        .msg.answers.map((r) => r.data)
        .join(' '),
    );
    expect(new Set(o)).toEqual(new Set(['10.244.1.2 10.244.1.3 10.244.2.2']));
  });
});

describe('DNS12 forward . /etc/resolv.conf', () => {
  it('a name outside the zone goes upstream with a new random ID, the rest of the query unchanged', () => {
    const dns = coreDns();
    const q = queryBytes('example.com', 'A', { id: 0x1234 });
    const h = dns.handle(q, 0, view);
    expect(h.kind).toBe('forward');
    if (h.kind !== 'forward') return;
    const up = parseDns(h.query);
    expect(up.id).not.toBe(0x1234);
    expect(Array.from(h.query.subarray(2))).toEqual(Array.from(q.subarray(2)));
    expect(h.facts).toMatchObject({
      type: 'dns.forward',
      why: 'outside-zone',
      id: 0x1234,
      upstreamId: up.id,
    });
  });
  it("the upstream's reply goes back with the client's ID and the upstream's flags, uncompressed", () => {
    const { msg, r } = forwardThenReply(coreDns(), 'example.com', 'A', 0, [
      A('example.com', 300, '93.184.216.34'),
    ]);
    expect([msg.id, msg.qr, msg.aa, msg.ra, msg.rd]).toEqual([0x1234, true, false, true, true]);
    expect(r.response.length).toBe(emitDns(msg).length);
  });
  it('a search-list candidate like example.com.default.svc.cluster.local is NXDOMAIN locally, not forwarded', () => {
    expect(ask(coreDns(), view, 'example.com.default.svc.cluster.local', 'A').msg.rcode).toBe(3);
  });
  it('an ExternalName outside the zone: CoreDNS resolves the target upstream, answers CNAME then A', () => {
    const dns = coreDns();
    const h = dns.handle(queryBytes('external.testns.svc.cluster.local', 'A'), 0, view);
    expect(h.kind).toBe('forward');
    if (h.kind !== 'forward') return;
    expect(parseDns(h.query).questions[0]).toEqual({
      name: 'ext.interwebs.test',
      type: 'A',
      class: 'IN',
    });
    expect(h.facts).toMatchObject({ why: 'externalname', target: 'ext.interwebs.test' });
    const r = dns.upstreamReply(
      h.forwardId,
      upstreamAnswer(h.query, [A('ext.interwebs.test', 60, '1.2.3.4')]),
      1000,
    );
    const m = parseDns(r.response);
    expect(m.answers.map((x) => `${x.name} ${x.type} ${x.data}`)).toEqual([
      'external.testns.svc.cluster.local CNAME ext.interwebs.test',
      'ext.interwebs.test A 1.2.3.4',
    ]);
    expect([m.id, m.aa, m.ra]).toEqual([0x1234, true, false]);
  });
});

describe('DNS13 what the server does to every query and reply', () => {
  const opt = {
    udpPayloadSize: 1232,
    extendedRcode: 0,
    version: 0,
    flags: 0,
    options: [{ code: 10, data: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) }],
  };
  it("EDNS: the reply carries the client's OPT (UDP size, COOKIE echoed); none without one", () => {
    const withOpt = ask(coreDns(), view, 'svc1.testns.svc.cluster.local', 'A', 0, { opt });
    expect(withOpt.msg.opt?.udpPayloadSize).toBe(1232);
    expect(Array.from(withOpt.msg.opt!.options[0].data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ask(coreDns(), view, 'svc1.testns.svc.cluster.local', 'A').msg.opt).toBeUndefined();
  });
  it('class CH is REFUSED; two questions FORMERR; a response is dropped', () => {
    const dns = coreDns();
    const ch = emitDns({
      ...parseDns(queryBytes('version.bind', 'TXT')),
      questions: [{ name: 'version.bind', type: 'TXT', class: 'CH' }],
    });
    const r = dns.handle(ch, 0, view);
    expect(r.kind === 'reply' && parseDns(r.response).rcode).toBe(5);
    const two = emitDns({
      ...parseDns(queryBytes('a', 'A')),
      questions: [
        { name: 'a', type: 'A', class: 'IN' },
        { name: 'b', type: 'A', class: 'IN' },
      ],
    });
    const f = dns.handle(two, 0, view);
    expect(f.kind === 'reply' && parseDns(f.response).rcode).toBe(1);
    const resp = ask(dns, view, 'svc1.testns.svc.cluster.local', 'A').bytes;
    expect(dns.handle(resp, 0, view).kind).toBe('drop');
    expect(dns.handle(new Uint8Array(5), 0, view).kind).toBe('drop');
  });
  it('a reply too big even compressed is cut to what fits, with TC set', () => {
    const many: DnsClusterView = {
      ...view,
      endpointSlices: [
        slice(
          'default',
          'web',
          Array.from({ length: 60 }, (_, i) => `10.244.${i >> 8}.${(i & 255) + 2}`),
        ),
      ],
    };
    const { msg, bytes, facts } = ask(coreDns(), many, 'web.default.svc.cluster.local', 'A');
    expect(bytes.length).toBeLessThanOrEqual(512);
    expect(msg.tc).toBe(true);
    expect(msg.answers.length).toBeLessThan(60);
    expect(facts).toMatchObject({ truncated: true });
  });
  it('the same queries with the same seed give the same bytes', () => {
    const run = () => {
      const dns = coreDns(7);
      return ['web.default.svc.cluster.local', 'hdls1.testns.svc.cluster.local'].map((n) =>
        Array.from(ask(dns, view, n, 'A').bytes).join(','),
      );
    };
    expect(run()).toEqual(run());
  });
});

/**
 * DNS on the path (DNS23–DNS28): a pod's getaddrinfo and dig through
 * kube-proxy's DNAT to a CoreDNS pod, CoreDNS's forward to the upstream
 * resolver on the node network, and the same queries in tshark.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFrame } from './dataplane/frames.ts';
import type { FactOfType } from './narration/index.ts';
import { narrate } from './narration/index.ts';
import { searchCandidates } from './programs/resolver.ts';
import { simulate } from './test/driver.ts';
import { hasTshark, tsharkFields } from './wire/tshark-helper.ts';
import { parseUdp } from './wire/udp.ts';

const sim = simulate(
  readFileSync(new URL('./test/fixtures/dns-path/lookups.yaml', import.meta.url), 'utf8'),
);
type Kind =
  | 'resolver.query'
  | 'resolver.answer'
  | 'resolver.done'
  | 'resolver.timeout'
  | 'dns.upstream-answer'
  | 'coredns.reply';
/** Facts of a type in an action, by the first step that carries each (a sent packet's fact is its steps' cause). */
const of = <T extends Kind>(type: T, action: number) => {
  const seen = new Set<object>();
  return sim.steps
    .filter((s) => s.action === action)
    .flatMap((s) => {
      const find = (o: unknown, depth = 0): { type: string } | undefined => {
        if (!o || typeof o !== 'object' || depth > 4) return undefined;
        if ((o as { type?: string }).type === type) return o as { type: string };
        for (const v of Object.values(o)) {
          const hit = find(v, depth + 1);
          if (hit) return hit;
        }
        return undefined;
      };
      const fact = find(s.facts);
      // A packet's fact first shows on the step that carries its IPv4 frame (not its ARP).
      const ipv4 = !s.frame || (s.frame[12] === 0x08 && s.frame[13] === 0x00);
      if (!fact || seen.has(fact) || !ipv4) return [];
      seen.add(fact);
      return [{ step: s, fact: fact as unknown as FactOfType<T> }];
    });
};

describe('[DNS23] glibc getaddrinfo: the search walk and A+AAAA on one socket', () => {
  const search = ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];
  // Restated from glibc resolv/res_query.c (__res_context_search).
  it.each([
    ['web', 5, [...search.map((s) => `web.${s}.`), 'web.']],
    ['example.com', 5, [...search.map((s) => `example.com.${s}.`), 'example.com.']],
    ['a.b.c.d.e', 5, [...search.map((s) => `a.b.c.d.e.${s}.`), 'a.b.c.d.e.']],
    ['a.b.c.d.e.f', 5, ['a.b.c.d.e.f.', ...search.map((s) => `a.b.c.d.e.f.${s}.`)]],
    ['example.com', 1, ['example.com.', ...search.map((s) => `example.com.${s}.`)]],
    ['example.com.', 5, ['example.com.']],
  ])('%s with ndots:%i asks %j', (name, ndots, want) => {
    expect(searchCandidates(name, search, ndots).map((c) => c.qname)).toEqual(want);
  });

  it('a "." in the search list stands for the name as written, which is then not asked again', () => {
    expect(searchCandidates('web', ['.', 'svc.cluster.local'], 5).map((c) => c.qname)).toEqual([
      'web.',
      'web.svc.cluster.local.',
    ]);
  });

  it('example.com walks every suffix, A then AAAA, one socket per name, then the bare name answers', () => {
    const qs = of('resolver.query', 0).map((q) => q.fact);
    expect(qs.map((q) => `${q.qtype} ${q.qname}`)).toEqual([
      'A example.com.default.svc.cluster.local.',
      'AAAA example.com.default.svc.cluster.local.',
      'A example.com.svc.cluster.local.',
      'AAAA example.com.svc.cluster.local.',
      'A example.com.cluster.local.',
      'AAAA example.com.cluster.local.',
      'A example.com.',
      'AAAA example.com.',
    ]);
    const sockets = qs.map((q) => q.socket);
    for (let i = 0; i < 8; i += 2) expect(sockets[i + 1]).toBe(sockets[i]);
    expect(new Set(sockets).size).toBe(4);
    expect(new Set(qs.map((q) => q.id)).size).toBe(8);
    // The AAAA query leaves before the A answer is back: both in flight together.
    const steps = of('resolver.query', 0).map((q) => q.step.index);
    const firstAnswer = of('resolver.answer', 0)[0].step.index;
    expect(steps[1]).toBeLessThan(firstAnswer);
    const answers = of('resolver.answer', 0).map((a) => `${a.fact.qtype} ${a.fact.rcode}`);
    expect(answers).toEqual([
      ...Array(3).fill(['A NXDOMAIN', 'AAAA NXDOMAIN']).flat(),
      'A NOERROR',
      'AAAA NOERROR',
    ]);
    const done = of('resolver.done', 0)[0].fact;
    expect(done).toMatchObject({ addresses: ['93.184.215.14'], queries: 8 });
    expect(done.output).toBe('93.184.215.14   STREAM example.com');
  });

  it('glibc queries carry RD only and no EDNS (res_nmkquery)', () => {
    const q = of('resolver.query', 0)[0].step;
    const udp = parseUdp(parseFrame(q.frame!).ip!.payload).repr;
    expect([udp.payload[2], udp.payload[3]]).toEqual([0x01, 0x00]);
    expect(udp.payload.length).toBe(12 + 'example.com.default.svc.cluster.local'.length + 2 + 4);
  });
});

describe('[DNS24] no answer: timeout:5 attempts:2, then EAI_AGAIN', () => {
  it('sends both queries again after 5 s and gives up 5 s later, without walking on', () => {
    const qs = of('resolver.query', 3);
    const t0 = qs[0].step.timeUs;
    expect(
      qs.map((q) => [q.fact.qtype, q.fact.attempt, Math.round((q.step.timeUs - t0) / 1e5) / 10]),
    ).toEqual([
      ['A', 1, 0],
      ['AAAA', 1, 0],
      ['A', 2, 5],
      ['AAAA', 2, 5],
    ]);
    const done = of('resolver.done', 3)[0];
    expect(done.fact.error).toBe('Temporary failure in name resolution');
    expect((done.step.timeUs - t0) / 1e6).toBeCloseTo(10, 3);
  });
});

describe('[DNS25] the reply comes from the CoreDNS pod and is un-DNATed to 10.96.0.10', () => {
  it('leaves the CoreDNS pod from its own IP:53, reaches the client from 10.96.0.10:53', () => {
    const sent = of('coredns.reply', 2)[0].step;
    const out = parseFrame(sent.frame!).ip!.repr;
    expect(out.srcAddr).toMatch(/^10\.244\.0\.[23]$/);
    expect(out.identification).toBe(0);
    const got = of('resolver.answer', 2)[0];
    expect(got.fact.from).toBe('10.96.0.10:53');
    expect(got.fact.answers[0]).toMatchObject({
      type: 'A',
      ttl: 30,
      data: sim.scenario.services[2].spec.clusterIP,
    });
  });

  it('connect to a Service name resolves it first, then connects to the ClusterIP', () => {
    const done = of('resolver.done', 2)[0];
    expect(done.fact.then).toBe('nc connects there.');
    const syn = sim.steps.find((s) => s.action === 2 && s.summary.includes('[SYN]'))!;
    expect(parseFrame(syn.frame!).ip!.repr.dstAddr).toBe(done.fact.addresses[0]);
    expect(syn.index).toBeGreaterThan(done.step.index);
  });
});

describe('[DNS26] names outside the cluster are forwarded to the upstream resolver', () => {
  it('CoreDNS forwards from its own socket; the node masquerades it; the upstream answers', () => {
    const at = sim.steps.filter(
      (s) => s.action === 0 && s.facts.type === 'udp.deliver' && s.place.netns === 'resolver',
    );
    // From the node's address: flannel's MASQUERADE rewrote the CoreDNS pod's source.
    expect(at.map((s) => (s.facts as FactOfType<'udp.deliver'>).from.split(':')[0])).toEqual([
      '192.168.1.10',
      '192.168.1.10',
    ]);
    const relayed = of('coredns.reply', 0)
      .map((x) => x.fact)
      .filter((f) => f.forwarded);
    expect(relayed.map((f) => `${f.qtype} ${f.rcode} ${f.answers.map((r) => r.data)}`)).toEqual([
      'A NOERROR 93.184.215.14',
      'AAAA NOERROR ',
    ]);
  });
});

describe('[DNS27] dig sends one query and does not search', () => {
  it('dig web asks only web. and gets NXDOMAIN from upstream', () => {
    const qs = of('resolver.query', 1);
    expect(qs.map((q) => `${q.fact.qtype} ${q.fact.qname}`)).toEqual(['A web.']);
    expect(of('resolver.done', 1)[0].fact.status).toBe('NXDOMAIN');
    const udp = parseUdp(parseFrame(qs[0].step.frame!).ip!.payload).repr;
    // RD and AD; one additional record: EDNS0 OPT, 1232 bytes, with an 8-byte COOKIE.
    expect([udp.payload[2], udp.payload[3], udp.payload[11]]).toEqual([0x01, 0x20, 1]);
  });
});

describe('[NAR1] DNS steps narrate in at most 12 words', () => {
  it('every step of the DNS fixture', () => {
    for (const s of sim.steps) {
      const words = narrate(s.facts).headline.split(/\s+/).length;
      expect(words, narrate(s.facts).headline).toBeLessThanOrEqual(12);
    }
  });
});

describe.skipIf(!hasTshark)(
  '[DNS28] tshark decodes the queries and answers as the DNS panel lists them',
  () => {
    it('id, name, type, rcode and addresses at the client', () => {
      const point = sim
        .capturePoints()
        .find((p) => p.includes('default/client') && p.includes('eth0'))!;
      const rows = tsharkFields(
        sim.exportCapture(point),
        [
          'dns.id',
          'dns.qry.name',
          'dns.qry.type',
          'dns.flags.response',
          'dns.flags.rcode',
          'dns.a',
        ],
        'dns',
      )!;
      const ours = sim.steps
        .filter((s) => s.action === 0 && s.facts.type === 'resolver.answer')
        .map((s) => s.facts as FactOfType<'resolver.answer'>)
        .map((f) => [
          `0x${f.id.toString(16).padStart(4, '0')}`,
          f.qname.replace(/\.$/, ''),
          f.qtype === 'A' ? '1' : '28',
          'True',
          String(['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN'].indexOf(f.rcode)),
          f.answers
            .filter((a) => a.type === 'A')
            .map((a) => a.data)
            .join(','),
        ]);
      const answers = rows.filter((r) => r[3] === 'True' || r[3] === '1').slice(0, ours.length);
      expect(answers.map((r) => [r[0], r[1], r[2], 'True', r[4], r[5]])).toEqual(ours);
    });
  },
);

/**
 * DNS wire format (SPEC DNS9): parse ↔ emit on dig's real query bytes, our
 * replies as tshark decodes them (every DNS field the inspector shows, same
 * value, offset and length), name compression as miekg/dns writes it, and
 * the Info column.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ask, coreDns, queryBytes, upstreamView as view } from '../test/dns-world.ts';
import { decodeFrame, summarizeFrame } from './describe.ts';
import type { DnsMessage } from './dns.ts';
import { dnsLen, emitDns, parseDns } from './dns.ts';
import { emitDnsCompressed } from './dns-compress.ts';
import { emitEthernet } from './ethernet.ts';
import { emitIpv4, IP_PROTO_UDP } from './ipv4.ts';
import type { Field, Layer } from './layers.ts';
import { writePcap } from './pcap.ts';
import { flattenTshark, hasTshark, runTshark, tsharkFields } from './tshark-helper.ts';
import { emitUdp } from './udp.ts';

if (!hasTshark) console.warn('dns.test.ts: tshark comparisons skipped, no tshark on PATH');

const hexBytes = (h: string) =>
  Uint8Array.from(
    h
      .trim()
      .match(/../g)!
      .map((x) => parseInt(x, 16)),
  );
const DIG_QUERY = hexBytes(
  readFileSync(new URL('../test/fixtures/dns/dig-query-a.hex', import.meta.url), 'utf8'),
);
const COOKIE = { code: 10, data: Uint8Array.of(0xed, 0x84, 0x0b, 0x14, 0xa1, 0xb1, 0x7b, 0x3b) };
const OPT = { udpPayloadSize: 1232, extendedRcode: 0, version: 0, flags: 0, options: [COOKIE] };

describe('DNS9 messages parse and emit byte for byte', () => {
  it("dig's query: ID, RD+AD, one question, EDNS(0) 1232 with its COOKIE", () => {
    const m = parseDns(DIG_QUERY);
    expect({ id: m.id, rd: m.rd, ad: m.ad, qr: m.qr, q: m.questions }).toEqual({
      id: 0x41b6,
      rd: true,
      ad: true,
      qr: false,
      q: [{ name: 'web.default.svc.cluster.local', type: 'A', class: 'IN' }],
    });
    expect(m.opt?.udpPayloadSize).toBe(1232);
    expect(Array.from(m.opt!.options[0].data)).toEqual(Array.from(COOKIE.data));
    expect(Array.from(emitDns(m))).toEqual(Array.from(DIG_QUERY));
    expect(dnsLen(m)).toBe(DIG_QUERY.length);
  });
  it('our emitter writes the same query bytes dig does', () => {
    const ours = queryBytes('web.default.svc.cluster.local', 'A', {
      id: 0x41b6,
      ad: true,
      opt: OPT,
    });
    expect(Array.from(ours)).toEqual(Array.from(DIG_QUERY));
  });
  it('compression points names at earlier suffixes and parses back to the same message', () => {
    const { msg } = ask(coreDns(), view, '_http._tcp.hdls1.testns.svc.cluster.local', 'SRV');
    const c = emitDnsCompressed(msg);
    expect(c.length).toBeLessThan(emitDns(msg).length);
    const back = parseDns(c);
    expect(JSON.stringify(back)).toBe(JSON.stringify(parseDns(emitDns(msg))));
    // The first answer's owner name is the question's: a pointer to offset 12.
    const q = 12 + msg.questions[0].name.length + 2 + 4;
    expect([c[q], c[q + 1]]).toEqual([0xc0, 12]);
  });
});

const frame = (payload: Uint8Array, reply: boolean) => {
  const [a, b] = reply ? ['10.244.1.5', '10.244.0.2'] : ['10.244.0.2', '10.96.0.10'];
  const [sp, dp] = reply ? [53, 40000] : [40000, 53];
  return emitEthernet(
    { src: '0a:58:0a:f4:00:02', dst: '0a:58:0a:f4:00:03', ethertype: 0x0800 },
    emitIpv4(
      {
        dscp: 0,
        ecn: 0,
        identification: 1,
        dontFragment: true,
        ttl: 64,
        protocol: IP_PROTO_UDP,
        srcAddr: a,
        dstAddr: b,
      },
      emitUdp({ srcPort: sp, dstPort: dp, payload }, a, b),
    ),
  );
};

const dns = coreDns();
const QUESTIONS: [string, string][] = [
  ['svc1.testns.svc.cluster.local', 'A'],
  ['hdls1.testns.svc.cluster.local', 'A'],
  ['_http._tcp.hdls1.testns.svc.cluster.local', 'SRV'],
  ['svc0.testns.svc.cluster.local', 'A'],
  ['svc1.testns.svc.cluster.local', 'AAAA'],
  ['1.0.0.10.in-addr.arpa', 'PTR'],
  ['external.testns.svc.cluster.local', 'CNAME'],
  ['dns-version.cluster.local', 'TXT'],
];
const frames: Uint8Array[] = [frame(DIG_QUERY, false)];
for (const [n, t] of QUESTIONS) {
  frames.push(frame(queryBytes(n, t, { opt: OPT }), false));
  frames.push(frame(ask(dns, view, n, t, 0, { opt: OPT }).bytes, true));
}
// A reply compressed to fit 512 bytes (no EDNS): many endpoints.
const big = {
  ...view,
  endpointSlices: [
    ...view.endpointSlices.filter((s) => !s.metadata.name.startsWith('hdls1')),
    {
      ...view.endpointSlices.find((s) => s.metadata.name.startsWith('hdls1'))!,
      endpoints: Array.from({ length: 12 }, (_, i) => ({
        addresses: [`172.0.1.${i + 1}`],
        conditions: { ready: true, serving: true, terminating: false },
      })),
    },
  ],
};
const compressed = ask(dns, big, 'hdls1.testns.svc.cluster.local', 'A').bytes;
frames.push(frame(compressed, true));

const CONTAINERS = new Set([
  'dns.qry',
  'dns.rr',
  'dns.queries',
  'dns.answers',
  'dns.authorities',
  'dns.additionals',
  'dns.opt',
  'dns.resp.z',
]);
function dnsFields(layers: readonly Layer[]): Field[] {
  const out: Field[] = [];
  const walk = (fs: readonly Field[]) =>
    fs.forEach((f) => {
      if (f.name.startsWith('dns.') && !CONTAINERS.has(f.name)) out.push(f);
      if (f.children) walk(f.children);
    });
  layers.filter((l) => l.protocol === 'dns').forEach((l) => walk(l.fields));
  return out;
}

describe.skipIf(!hasTshark)('DNS9 the inspector decodes DNS as tshark does', () => {
  const packets = hasTshark
    ? runTshark(writePcap(frames.map((data, i) => ({ timeUs: 1795608946e6 + i, data }))))!
    : null;

  it.each(frames.map((_, i) => [i]))(
    'frame %i: every DNS field with the same value and bytes',
    async (i) => {
      const theirs = flattenTshark((await packets!)[i]._source.layers);
      const ours = dnsFields(decodeFrame(frames[i]));
      expect(ours.length).toBeGreaterThan(10);
      for (const name of new Set(ours.map((f) => f.name))) {
        const mine = ours.filter((f) => f.name === name);
        const t = theirs.get(name) ?? [];
        expect({ name, values: mine.map((f) => f.raw) }).toEqual({
          name,
          values: t.map((v) => v.value),
        });
        if (t.length && t.every((v) => v.offset !== undefined))
          expect({ name, at: mine.map((f) => `${f.offset}+${f.length}`) }).toEqual({
            name,
            at: t.map((v) => `${v.offset}+${v.length}`),
          });
      }
    },
  );

  it("the Info column is tshark's, and the compressed reply is not malformed", () => {
    const pcap = writePcap(frames.map((data, i) => ({ timeUs: 1795608946e6 + i, data })));
    const info = tsharkFields(pcap, ['_ws.col.Info', '_ws.malformed'])!;
    expect(frames.map((f) => summarizeFrame(f))).toEqual(info.map((r) => r[0]));
    expect(info.map((r) => r[1] ?? '')).toEqual(frames.map(() => ''));
  });
});

describe('DNS9 a big reply is compressed before it is cut', () => {
  it('12 headless endpoints do not fit 512 bytes uncompressed; compressed they do, no TC', () => {
    const m: DnsMessage = parseDns(compressed);
    expect(m.answers.length).toBe(12);
    expect(m.tc).toBe(false);
    expect(dnsLen(m)).toBeGreaterThan(512);
    expect(compressed.length).toBeLessThanOrEqual(512);
  });
});

/**
 * dig's output (SPEC DNS14), against the real dig: a UDP socket on 127.0.0.1
 * answers dig's own queries with our CoreDNS (test/dns-world.ts's cluster),
 * and our formatDig of the same query and reply bytes must print what dig
 * printed, line for line, but for the two lines that are dig's clock
 * (Query time, WHEN). Skips with a reason when dig (dnsutils) is missing.
 */
import { execFile, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreDns, upstreamView as view } from '../test/dns-world.ts';
import { digRecord, digWhen, formatDig } from './dig.ts';

const hasDig = spawnSync('dig', ['-v'], { encoding: 'utf8' }).status === 0;
if (!hasDig)
  console.warn(
    'dig.test.ts: real-dig comparison skipped: dig is not installed (apt-get install dnsutils)',
  );

const exchanges: { query: Uint8Array; reply: Uint8Array }[] = [];
let server: dgram.Socket;
let port = 0;

beforeAll(async () => {
  if (!hasDig) return;
  const dns = coreDns();
  server = dgram.createSocket('udp4');
  server.on('message', (msg, r) => {
    const query = new Uint8Array(msg);
    const h = dns.handle(query, 0, view);
    if (h.kind !== 'reply') return;
    exchanges.push({ query, reply: h.response });
    server.send(h.response, r.port, r.address);
  });
  await new Promise<void>((ok) => server.bind(0, '127.0.0.1', () => ok()));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => server?.close());

const runDig = (args: string[]) =>
  new Promise<string>((ok, fail) =>
    execFile('dig', args, { timeout: 10_000 }, (e, out) => (e ? fail(e) : ok(out))),
  );
const clockless = (s: string) =>
  s.replace(/^;; Query time: .*$/m, ';; Query time: -').replace(/^;; WHEN: .*$/m, ';; WHEN: -');

const CASES: [string, string][] = [
  ['svc1.testns.svc.cluster.local', 'A'],
  ['hdls1.testns.svc.cluster.local', 'A'],
  ['_http._tcp.hdls1.testns.svc.cluster.local', 'SRV'],
  ['svc0.testns.svc.cluster.local', 'A'],
  ['svc1.testns.svc.cluster.local', 'AAAA'],
  ['1.0.0.10.in-addr.arpa', 'PTR'],
  ['external-to-service.testns.svc.cluster.local', 'A'],
  ['dns-version.cluster.local', 'TXT'],
];

describe.skipIf(!hasDig)('DNS14 formatDig prints what the real dig prints', () => {
  it.each(CASES)('dig %s %s', async (name, type) => {
    const args = [`@127.0.0.1`, '-p', String(port), '+tries=1', '+timeout=5', name, type];
    const before = exchanges.length;
    const real = await runDig(args);
    const x = exchanges[before];
    const ours = formatDig({
      args: args.join(' '),
      query: x.query,
      reply: x.reply,
      server: '127.0.0.1',
      port,
      serverGiven: true,
      queryTimeMs: 0,
      whenMs: 0,
    });
    expect(clockless(ours)).toBe(clockless(real));
  });
});

describe('DNS14 dig formatting details', () => {
  it("masterdump's columns: tabs across a stop, else one space", () => {
    expect(
      digRecord({ name: 'cluster.local', type: 'A', class: 'IN', ttl: 30, data: '1.2.3.4' }),
    ).toBe('cluster.local.\t\t30\tIN\tA\t1.2.3.4');
  });
  it('WHEN is strftime "%a %b %d %H:%M:%S %Z %Y"', () => {
    expect(digWhen(Date.UTC(2026, 11, 2, 2, 43, 37))).toBe('Wed Dec 02 02:43:37 UTC 2026');
  });
});

/**
 * Our TLS bytes as Wireshark sees them: the real tshark decodes the handshake
 * from a pcap of our records in TCP/IP frames (message types, SNI, suite,
 * ALPN) and, given our SSLKEYLOGFILE, decrypts the HTTP inside.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../engine/rng.ts';
import { TSHARK, hasTshark } from '../../wire/tshark-helper.ts';
import { concat } from '../bytes.ts';
import { createTlsClient } from '../client.ts';
import { createTlsServer } from '../server.ts';
import { fakeIngressCertificate } from '../x509.ts';
import { tlsPcap } from './frames.ts';
import type { Flight } from './frames.ts';
import { tempDir } from './openssl-harness.ts';

if (!hasTshark)
  console.warn('tls tshark.test.ts: skipped, no tshark on PATH or at /usr/bin/tshark');

const utf8 = (s: string) => new TextEncoder().encode(s);
const REQUEST =
  'GET /api/users HTTP/1.1\r\nHost: shop.example.com\r\nUser-Agent: curl/8.16.0\r\nAccept: */*\r\n\r\n';
const RESPONSE =
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nhello world\n';

/** One HTTPS exchange through our client and server; the flights and both keylogs. */
function exchange(seed: number) {
  const rng = createRng(seed);
  const cert = fakeIngressCertificate(rng.fork('cert'), new Date('2026-11-01T00:00:00Z'));
  const client = createTlsClient({
    serverName: 'shop.example.com',
    alpn: ['http/1.1'],
    rng: rng.fork('c'),
  });
  const server = createTlsServer({
    selectCert: () => ({ chain: [cert.der], key: cert.key }),
    alpn: ['h2', 'http/1.1'],
    rng: rng.fork('s'),
  });
  const flights: Flight[] = [];
  const push = (fromClient: boolean, recs: Uint8Array[]) => {
    if (recs.length) flights.push({ fromClient, bytes: concat(recs) });
    return concat(recs);
  };
  const hello = push(true, client.start().send);
  const flight = push(false, server.receive(hello).send);
  const fin = push(true, client.receive(flight).send);
  push(false, server.receive(fin).send); // two NewSessionTickets
  const req = push(true, client.write(utf8(REQUEST)));
  const got = server.receive(req).data;
  push(false, [...server.write(utf8(RESPONSE)), ...server.close()]);
  return { flights, clientLog: client.keylog(), serverLog: server.keylog(), got };
}

function fields(pcap: Uint8Array, names: string[], extra: string[] = []): string[][] {
  const tmp = tempDir();
  try {
    const file = join(tmp.dir, 'tls.pcap');
    writeFileSync(file, pcap);
    const args = ['-r', file, '-n', '-T', 'fields', ...names.flatMap((n) => ['-e', n]), ...extra];
    return execFileSync(TSHARK!, args, { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t'));
  } finally {
    tmp.done();
  }
}

describe.skipIf(!hasTshark)('tshark on our TLS', () => {
  const x = exchange(42);
  const pcap = tlsPcap(x.flights);

  it('[TLS12] decodes the handshake: Client Hello with the SNI and ALPN, Server Hello with the suite, CCS, then opaque records', () => {
    const rows = fields(
      pcap,
      [
        'tls.record.content_type',
        'tls.record.opaque_type',
        'tls.handshake.type',
        'tls.handshake.extensions_server_name',
        'tls.handshake.extensions_alpn_str',
        'tls.handshake.ciphersuite',
        'tls.handshake.extensions.supported_version',
        '_ws.col.Protocol',
        '_ws.col.Info',
      ],
      ['-Y', 'tls'],
    );
    const [ch, sh, fin, tickets, req, res] = rows;
    expect(ch.slice(0, 5)).toEqual(['22', '', '1', 'shop.example.com', 'http/1.1']);
    expect(ch[5].split(',').slice(0, 3)).toEqual(['0x1302', '0x1303', '0x1301']);
    expect(ch[5].split(',')).toHaveLength(31);
    expect(ch[6]).toBe('0x0304,0x0303');
    expect(ch[8]).toBe('Client Hello');
    // Without keys, everything after the ServerHello and the CCS is opaque: outer type 23.
    expect(sh.slice(0, 3)).toEqual(['22,20', '23,23,23,23', '2']);
    expect(sh[5]).toBe('0x1302'); // TLS_AES_256_GCM_SHA384
    expect(sh[6]).toBe('0x0304');
    expect(sh[7]).toBe('TLSv1.3');
    expect(sh[8]).toBe(
      'Server Hello, Change Cipher Spec, Application Data, Application Data, Application Data, Application Data',
    );
    expect(fin.slice(0, 2)).toEqual(['20', '23']);
    expect([tickets[1], req[1], res[1]]).toEqual(['23,23', '23', '23,23']);
  });

  it("[TLS13] with either side's SSLKEYLOGFILE tshark decrypts every record and shows the HTTP the server read", () => {
    expect(new TextDecoder().decode(concat(x.got))).toBe(REQUEST);
    for (const log of [x.clientLog, x.serverLog]) {
      const tmp = tempDir();
      try {
        const keys = join(tmp.dir, 'keys.log');
        writeFileSync(keys, log);
        const rows = fields(
          pcap,
          [
            '_ws.col.Info',
            'x509sat.printableString',
            'x509ce.dNSName',
            'http.request.method',
            'http.host',
            'http.request.uri',
            'http.user_agent',
            'http.response.code',
            'tls.alert_message.desc',
          ],
          ['-o', `tls.keylog_file:${keys}`, '-Y', 'tls'],
        );
        expect(rows.slice(0, 4).map((r) => r[0])).toEqual([
          'Client Hello',
          'Server Hello, Change Cipher Spec, Encrypted Extensions, Certificate, Certificate Verify, Finished',
          'Change Cipher Spec, Finished',
          'New Session Ticket, New Session Ticket',
        ]);
        expect(rows[1][1]).toBe(
          'Acme Co,Kubernetes Ingress Controller Fake Certificate,Acme Co,Kubernetes Ingress Controller Fake Certificate',
        );
        expect(rows[1][2]).toBe('ingress.local');
        expect(rows[4].slice(3, 7)).toEqual([
          'GET',
          'shop.example.com',
          '/api/users',
          'curl/8.16.0',
        ]);
        expect(rows[5][7]).toBe('200');
        expect(rows[5][8]).toBe('0'); // close_notify
      } finally {
        tmp.done();
      }
    }
  });

  it("[TLS13] without the keylog, or with another seed's, tshark shows no HTTP", () => {
    const tmp = tempDir();
    try {
      const keys = join(tmp.dir, 'other.log');
      writeFileSync(keys, exchange(43).clientLog);
      expect(fields(pcap, ['http.request.method'], ['-Y', 'http'])).toEqual([]);
      expect(
        fields(pcap, ['http.request.method'], ['-o', `tls.keylog_file:${keys}`, '-Y', 'http']),
      ).toEqual([]);
    } finally {
      tmp.done();
    }
  });
});

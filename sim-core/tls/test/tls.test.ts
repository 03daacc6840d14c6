/**
 * The TLS library without external tools: the ClientHello against a real
 * curl one, the record layer against OpenSSL's real records (with the
 * capture's own SSLKEYLOGFILE), determinism, record limits and alerts.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../engine/rng.ts';
import { fixtureBytes } from '../../test/fixtures/index.ts';
import { parseEthernet } from '../../wire/ethernet.ts';
import { parseIpv4 } from '../../wire/ipv4.ts';
import { readPcap } from '../../wire/pcap.ts';
import { parseTcp } from '../../wire/tcp.ts';
import { fromHex, concat, toHex } from '../bytes.ts';
import { createTlsClient } from '../client.ts';
import type { TlsClient } from '../client.ts';
import type { TlsOutput } from '../endpoint.ts';
import { parseClientHello, parseServerHello } from '../hello.ts';
import { EXT, HANDSHAKE_NAMES, HandshakeBuffer } from '../messages.ts';
import { CONTENT_HANDSHAKE, MAX_CIPHERTEXT, Protection, RecordBuffer } from '../record.ts';
import { finishedMac, trafficKeys } from '../schedule.ts';
import { createTlsServer } from '../server.ts';
import type { TlsServer, TlsServerOptions } from '../server.ts';
import { suiteByCode } from '../suites.ts';
import { fakeIngressCertificate } from '../x509.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
const cat = (o: { send: Uint8Array[] } | Uint8Array[]) => concat(Array.isArray(o) ? o : o.send);

/** The TCP payloads of a fixture capture, per direction (by source port), in order. */
function streams(file: string): Map<number, Uint8Array> {
  const parts = new Map<number, Uint8Array[]>();
  for (const { data } of readPcap(fixtureBytes(file)).records) {
    const tcp = parseTcp(parseIpv4(parseEthernet(data).payload).payload).repr;
    if (tcp.payload.length)
      parts.set(tcp.srcPort, [...(parts.get(tcp.srcPort) ?? []), tcp.payload]);
  }
  return new Map([...parts].map(([port, p]) => [port, concat(p)]));
}

function keylogOf(file: string): Map<string, Uint8Array> {
  const text = new TextDecoder().decode(fixtureBytes(file));
  return new Map(
    text
      .trim()
      .split('\n')
      .map((l) => l.split(' '))
      .map(([label, , secret]) => [label, fromHex(secret)]),
  );
}

const fake = fakeIngressCertificate(createRng(99), new Date('2026-11-01T00:00:00Z'));

function pair(seed: number, server: Partial<TlsServerOptions> = {}, alpn = ['http/1.1']) {
  const rng = createRng(seed);
  const client = createTlsClient({ serverName: 'web.example.com', alpn, rng: rng.fork('client') });
  const srv = createTlsServer({
    selectCert: () => ({ chain: [fake.der], key: fake.key }),
    alpn: ['h2', 'http/1.1'],
    rng: rng.fork('server'),
    ...server,
  });
  return { client, server: srv };
}

/** The whole exchange: hello, flights, one request and answer, both close_notify. */
function converse(client: TlsClient, server: TlsServer, close = true) {
  const wire: Uint8Array[] = [];
  const hello = client.start();
  wire.push(...hello.send);
  const flight = server.receive(cat(hello));
  wire.push(...flight.send);
  const fin = client.receive(cat(flight));
  wire.push(...fin.send);
  const tickets = server.receive(cat(fin));
  wire.push(...tickets.send);
  client.receive(cat(tickets));
  const req = client.write(utf8('GET / HTTP/1.1\r\nHost: web.example.com\r\n\r\n'));
  const got = server.receive(cat(req));
  const res = server.write(utf8('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
  const back = client.receive(cat(res));
  wire.push(...req, ...res);
  if (close) wire.push(...client.close(), ...server.close());
  return { wire, flight, fin, tickets, got, back };
}

describe('ClientHello', () => {
  it('[TLS5] is curl 8 on OpenSSL 3: the suites, groups, signature algorithms and extension order of a real one, padded to 512 bytes', () => {
    const real = fromHex(new TextDecoder().decode(fixtureBytes('tls/curl-clienthello.hex')).trim());
    const client = createTlsClient({ serverName: 'web.example.com', rng: createRng(1) });
    const ours = cat(client.start());
    // Record header: handshake, legacy_record_version TLS 1.0, 512 bytes (OpenSSL's F5 padding).
    expect(toHex(ours.subarray(0, 5))).toBe(toHex(real.subarray(0, 5)));
    expect(toHex(ours.subarray(0, 5))).toBe('1603010200');
    const a = parseClientHello(real.subarray(9));
    const b = parseClientHello(ours.subarray(9));
    expect(b.cipherSuites).toEqual(a.cipherSuites);
    expect(b.extensions.map((e) => e.type)).toEqual(a.extensions.map((e) => e.type));
    const differ = [EXT.key_share, EXT.supported_versions, EXT.padding] as number[];
    for (const e of a.extensions.filter((x) => !differ.includes(x.type))) {
      expect(toHex(b.extensions.find((x) => x.type === e.type)!.data), `extension ${e.type}`).toBe(
        toHex(e.data),
      );
    }
    // curl 7.88 offered 1.3…1.0; curl ≥ 8.16 offers 1.3 and 1.2 (TLS 1.2 minimum), 4 bytes less, so 4 more of padding.
    expect(a.versions).toEqual([0x0304, 0x0303, 0x0302, 0x0301]);
    expect(b.versions).toEqual([0x0304, 0x0303]);
    const pad = (h: typeof a) => h.extensions.find((x) => x.type === EXT.padding)!.data.length;
    expect(pad(b)).toBe(pad(a) + 4);
    expect(b.x25519).toHaveLength(32);
    expect(b.sessionId).toHaveLength(32);
    expect(b.serverName).toBe('web.example.com');
    expect(b.alpn).toEqual(['h2', 'http/1.1']);
  });

  it('[TLS5] sends no server_name for an IP address, as curl does, and no padding once the hello passes 511 bytes', () => {
    const byIp = parseClientHello(
      cat(createTlsClient({ serverName: '192.168.1.10', rng: createRng(1) }).start()).subarray(9),
    );
    expect(byIp.serverName).toBeUndefined();
    expect(byIp.extensions.some((e) => e.type === EXT.server_name)).toBe(false);
    // 509 bytes unpadded: a 1-byte padding extension (OpenSSL never sends an empty one).
    const near = 'a'.repeat(60) + '.' + 'b'.repeat(60) + '.' + 'c'.repeat(60) + '.example.com';
    const nearHello = parseClientHello(
      cat(createTlsClient({ serverName: near, rng: createRng(1) }).start()).subarray(9),
    );
    expect(nearHello.extensions.find((e) => e.type === EXT.padding)?.data).toHaveLength(1);
    const long = near + '.' + 'd'.repeat(20);
    const big = cat(createTlsClient({ serverName: long, rng: createRng(1) }).start());
    expect(big.length).toBeGreaterThan(5 + 512);
    expect(parseClientHello(big.subarray(9)).extensions.some((e) => e.type === EXT.padding)).toBe(
      false,
    );
  });
});

describe('record layer', () => {
  it("[TLS6] opens OpenSSL's real records with the capture's keylog and agrees with its Finished", () => {
    const s = streams('tls/curl-openssl-s_server.pcap');
    const keys = keylogOf('tls/curl-openssl-s_server.keys');
    const fromServer = s.get(44330)!;
    const fromClient = [...s].find(([port]) => port !== 44330)![1];
    const srvRecs = new RecordBuffer().push(fromServer);
    const cliRecs = new RecordBuffer().push(fromClient);
    const clientHello = cliRecs[0].fragment;
    const serverHello = srvRecs[0].fragment;
    const suite = suiteByCode(parseServerHello(serverHello.subarray(4)).cipherSuite)!;
    expect(suite.name).toBe('TLS_AES_256_GCM_SHA384');
    expect(srvRecs[1].type).toBe(20); // the compatibility ChangeCipherSpec
    const hsKey = keys.get('SERVER_HANDSHAKE_TRAFFIC_SECRET')!;
    const prot = new Protection(suite, trafficKeys(suite, hsKey));
    const transcript = [clientHello, serverHello];
    const names: string[] = [];
    let i = 2;
    for (; names[names.length - 1] !== 'Finished'; i++) {
      const { type, content } = prot.open(srvRecs[i]);
      expect(type).toBe(CONTENT_HANDSHAKE);
      const [msg] = new HandshakeBuffer().push(content);
      names.push(HANDSHAKE_NAMES[msg.type]);
      if (msg.type === 20) {
        // OpenSSL's verify_data is HMAC(finished_key, Transcript-Hash(ClientHello … CertificateVerify)).
        expect(toHex(msg.body)).toBe(
          toHex(finishedMac(suite, hsKey, suite.hash(concat(transcript)))),
        );
      }
      transcript.push(msg.raw);
    }
    expect(names).toEqual([
      'Encrypted Extensions',
      'Certificate',
      'Certificate Verify',
      'Finished',
    ]);
    const app = new Protection(suite, trafficKeys(suite, keys.get('SERVER_TRAFFIC_SECRET_0')!));
    const after = srvRecs.slice(i).map((r) => app.open(r));
    expect(after.slice(0, 2).map((r) => HANDSHAKE_NAMES[r.content[0]])).toEqual([
      'New Session Ticket',
      'New Session Ticket',
    ]);
    expect(new TextDecoder().decode(after[2].content)).toMatch(/^HTTP\/1\.0 200 ok/);
    expect(after[after.length - 1]).toMatchObject({ type: 21 });
    expect([...after[after.length - 1].content]).toEqual([1, 0]); // close_notify
    // And our client's records open the same way: the request under CLIENT_TRAFFIC_SECRET_0.
    const cApp = new Protection(suite, trafficKeys(suite, keys.get('CLIENT_TRAFFIC_SECRET_0')!));
    const req = cApp.open(cliRecs[3]);
    expect(new TextDecoder().decode(req.content)).toMatch(
      /^GET \/ HTTP\/1\.1\r\nHost: web\.example\.com:44330/,
    );
  });

  it('[TLS8] splits writes into records of at most 2^14 bytes (or the fragment size asked for) and reassembles any TCP split', () => {
    const { client, server } = pair(5, { maxFragment: 4096 });
    converse(client, server, false);
    const big = new Uint8Array(40000).map((_, i) => i & 0xff);
    const recs = client.write(big);
    // 16384 + 16384 + 7232 plaintext bytes, each sealed with a type byte and a 16-byte tag.
    expect(recs.map((r) => r.length)).toEqual([16384 + 22, 16384 + 22, 7232 + 22]);
    expect(server.write(big)).toHaveLength(10); // ingress-nginx's ssl_buffer_size 4k
    const wire = cat(recs);
    const got: Uint8Array[] = [];
    for (let o = 0; o < wire.length; o += 1000)
      got.push(...server.receive(wire.subarray(o, o + 1000)).data);
    expect(toHex(concat(got))).toBe(toHex(big));
  });

  it('[TLS8] refuses a record over 2^14 + 256 bytes with record_overflow and an altered byte with bad_record_mac', () => {
    const a = pair(6);
    converse(a.client, a.server, false);
    const huge = Uint8Array.of(23, 3, 3, (MAX_CIPHERTEXT + 1) >> 8, (MAX_CIPHERTEXT + 1) & 0xff);
    const o = a.server.receive(huge);
    expect(o.events).toEqual(['alert-sent']);
    expect(a.server.error).toMatchObject({ alert: 'record_overflow', sent: true });
    const b = pair(7);
    converse(b.client, b.server, false);
    const rec = b.client.write(utf8('hello'))[0].slice();
    rec[8] ^= 1;
    const bad = b.server.receive(rec);
    expect(b.server.error?.alert).toBe('bad_record_mac');
    // The alert itself is protected: an application_data record on the outside.
    expect(bad.records).toMatchObject([
      { contentType: 23, content: 'Alert (bad_record_mac)', encrypted: true },
    ]);
    const seen = b.client.receive(cat(bad));
    expect(seen.events).toEqual(['alert-received']);
    expect(b.client.error).toMatchObject({ alert: 'bad_record_mac', sent: false });
  });
});

describe('handshake', () => {
  it('[TLS7] same seed, same bytes: every record and the keylog; another seed changes the randoms', () => {
    const one = pair(11);
    const two = pair(11);
    const a = converse(one.client, one.server);
    const b = converse(two.client, two.server);
    expect(a.wire.map(toHex)).toEqual(b.wire.map(toHex));
    expect(one.client.keylog()).toBe(two.client.keylog());
    const three = pair(12);
    const c = converse(three.client, three.server);
    expect(toHex(c.wire[0])).not.toBe(toHex(a.wire[0]));
    expect(three.client.facts().clientRandom).not.toBe(one.client.facts().clientRandom);
  });

  it("[TLS7] the flights are OpenSSL's: SH, CCS, EE, Certificate, CertificateVerify, Finished; CCS + Finished; two tickets", () => {
    const { client, server } = pair(13);
    const x = converse(client, server);
    expect(x.flight.records.map((r) => [r.content, r.contentType])).toEqual([
      ['Server Hello', 22],
      ['Change Cipher Spec', 20],
      ['Encrypted Extensions', 23],
      ['Certificate', 23],
      ['Certificate Verify', 23],
      ['Finished', 23],
    ]);
    expect(x.fin.records.map((r) => r.content)).toEqual(['Change Cipher Spec', 'Finished']);
    expect(x.fin.events).toEqual(['handshake-done']);
    expect(x.tickets.events).toEqual(['handshake-done', 'session-ticket', 'session-ticket']);
    expect(new TextDecoder().decode(concat(x.got.data))).toContain('Host: web.example.com');
    expect(new TextDecoder().decode(concat(x.back.data))).toMatch(/ok$/);
    const f = server.facts();
    expect(f).toMatchObject({
      serverName: 'web.example.com',
      alpn: 'http/1.1',
      cipherSuite: 'TLS_AES_256_GCM_SHA384',
      group: 'x25519',
      signatureScheme: 'ecdsa_secp256r1_sha256',
      sessionTickets: 2,
    });
    expect(client.facts().certificate?.subject).toBe(
      'O = Acme Co, CN = Kubernetes Ingress Controller Fake Certificate',
    );
    // Both ends log the same five secrets under the same client random.
    expect(client.keylog().split('\n').sort()).toEqual(server.keylog().split('\n').sort());
    expect(
      client
        .keylog()
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ')[0])
        .sort(),
    ).toEqual([
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      'CLIENT_TRAFFIC_SECRET_0',
      'EXPORTER_SECRET',
      'SERVER_HANDSHAKE_TRAFFIC_SECRET',
      'SERVER_TRAFFIC_SECRET_0',
    ]);
  });
});

describe('alerts', () => {
  const fromHello = (server: TlsServer, hello: TlsOutput) => server.receive(cat(hello));

  it('[TLS9] no shared ALPN protocol: the server sends no_application_protocol, the client reports it', () => {
    const { client, server } = pair(21, { alpn: ['h2'] }, ['http/1.1']);
    const o = fromHello(server, client.start());
    expect(o.records).toMatchObject([
      { content: 'Alert (no_application_protocol)', contentType: 21, encrypted: false },
    ]);
    expect([...cat(o)]).toEqual([21, 3, 3, 0, 2, 2, 120]);
    client.receive(cat(o));
    expect(client.state).toBe('failed');
    expect(client.error).toMatchObject({ alert: 'no_application_protocol', sent: false });
  });

  it('[TLS9] a hello without TLS 1.3 gets protocol_version; bytes that are not TLS get unexpected_message', () => {
    const { server } = pair(22);
    const hello = cat(createTlsClient({ serverName: 'x', rng: createRng(1) }).start());
    // Rewrite supported_versions' list 0304 0303 to 0303 0303: TLS 1.2 only.
    const h = toHex(hello).replace('002b0005040304', '002b0005040303');
    server.receive(fromHex(h));
    expect(server.error?.alert).toBe('protocol_version');
    const other = pair(23).server;
    other.receive(utf8('GET / HTTP/1.1\r\n\r\n'));
    expect(other.error?.alert).toBe('unexpected_message');
  });

  it('[TLS9] close_notify ends the connection on both sides; nothing is written before the handshake or after the close', () => {
    const { client, server } = pair(24);
    converse(client, server);
    expect(client.state).toBe('closed');
    expect(server.state).toBe('closed');
    expect(client.close()).toEqual([]);
    expect(server.receive(utf8('anything')).send).toEqual([]);
    const d = pair(26);
    d.client.start();
    expect(() => d.client.write(utf8('early'))).toThrow(
      /cannot write application data while handshake/,
    );
  });
});

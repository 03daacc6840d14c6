/**
 * Interop with the real OpenSSL (and curl) on localhost: our client against
 * `openssl s_server`, `openssl s_client` and `curl -k` against our server,
 * every suite, SNI choosing the certificate, ALPN, and the secrets each side
 * logs being the same as OpenSSL's own SSLKEYLOGFILE.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../engine/rng.ts';
import { createTlsClient } from '../client.ts';
import { createTlsServer } from '../server.ts';
import type { TlsServer } from '../server.ts';
import { TLS13_SUITES } from '../suites.ts';
import { parseEcPrivateKey, pemDecode } from '../x509.ts';
import {
  fixture,
  keylogSecrets,
  opensslSkipReason,
  readText,
  runClient,
  runTool,
  startBridge,
  startSServer,
  tempDir,
} from './openssl-harness.ts';
import type { Bridge } from './openssl-harness.ts';

const skip = opensslSkipReason('openssl');
if (skip) console.warn(`openssl.test.ts: skipped, ${skip}`);
const curlSkip = opensslSkipReason('curl');
if (curlSkip) console.warn(`openssl.test.ts: curl cases skipped, ${curlSkip}`);

const utf8 = (s: string) => new TextEncoder().encode(s);
const certDer = (name: string) => pemDecode(readFileSync(fixture(name), 'utf8'))[0].der;
const keyOf = (name: string) => parseEcPrivateKey(readFileSync(fixture(name), 'utf8'));

describe.skipIf(!!skip)('our TLS client against openssl s_server', () => {
  for (const suite of TLS13_SUITES) {
    it(`[TLS1] completes a handshake with ${suite.name}, exchanges HTTP, and logs OpenSSL's secrets`, async () => {
      const tmp = tempDir();
      const keys = join(tmp.dir, 'server.keys');
      const srv = await startSServer([
        '-cert',
        fixture('web.crt'),
        '-key',
        fixture('web.key'),
        '-ciphersuites',
        suite.name,
        '-alpn',
        'http/1.1',
        '-www',
        '-keylogfile',
        keys,
      ]);
      try {
        const client = createTlsClient({
          serverName: 'web.example.com',
          alpn: ['http/1.1'],
          rng: createRng(7),
        });
        const run = await runClient(srv.port, client, utf8('GET / HTTP/1.0\r\n\r\n'));
        // s_server -www answers with its status page, which names the suite it used.
        expect(run.data).toMatch(/^HTTP\/1\.0 200 ok/);
        expect(run.data).toContain(`New, TLSv1.3, Cipher is ${suite.name}`);
        expect(run.events).toContain('handshake-done');
        expect(client.facts().cipherSuite).toBe(suite.name);
        expect(client.facts().alpn).toBe('http/1.1');
        expect(keylogSecrets(client.keylog())).toEqual(keylogSecrets(readText(keys)));
      } finally {
        srv.stop();
        tmp.done();
      }
    });
  }

  it("[TLS2] the SNI picks s_server's certificate", async () => {
    const srv = await startSServer([
      '-cert',
      fixture('other.crt'),
      '-key',
      fixture('other.key'),
      '-servername',
      'web.example.com',
      '-cert2',
      fixture('web.crt'),
      '-key2',
      fixture('web.key'),
      '-www',
    ]);
    try {
      const named = createTlsClient({ serverName: 'web.example.com', rng: createRng(1) });
      await runClient(srv.port, named, utf8('GET / HTTP/1.0\r\n\r\n'));
      const f = named.facts();
      expect(f.certificate?.subject).toBe('O = Kubewire, CN = web.example.com');
      expect(f.certificate?.matchesServerName).toBe(true);
      expect(f.alpnOffered).toEqual(['h2', 'http/1.1']);

      const other = createTlsClient({ serverName: 'nope.example.com', rng: createRng(2) });
      await runClient(srv.port, other, utf8('GET / HTTP/1.0\r\n\r\n'));
      expect(other.facts().certificate?.subject).toBe('CN = other.example.com');
      expect(other.facts().certificate?.matchesServerName).toBe(false);
    } finally {
      srv.stop();
    }
  });
});

describe.skipIf(!!skip)('openssl s_client and curl against our TLS server', () => {
  let bridge: Bridge;
  const rng = createRng(3);
  beforeAll(async () => {
    const web = { chain: [certDer('web.crt')], key: keyOf('web.key') };
    const other = { chain: [certDer('other.crt')], key: keyOf('other.key') };
    bridge = await startBridge(
      () =>
        createTlsServer({
          selectCert: (sni) => (sni?.endsWith('web.example.com') ? web : other),
          alpn: ['http/1.1'],
          rng: rng.fork(`conn`),
        }),
      (req) => {
        const host = /^host: (.*)$/im.exec(req)?.[1]?.trim() ?? '-';
        const body = `hello from kubewire, host ${host}\n`;
        return `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
      },
    );
  });
  afterAll(() => bridge?.stop());

  for (const suite of TLS13_SUITES) {
    it(`[TLS3] s_client completes a handshake with ${suite.name} and reads our HTTP answer; its keylog is ours`, async () => {
      const tmp = tempDir();
      const keys = join(tmp.dir, 'client.keys');
      try {
        const r = await runTool(
          'openssl',
          [
            's_client',
            '-connect',
            `127.0.0.1:${bridge.port}`,
            '-servername',
            'web.example.com',
            '-alpn',
            'http/1.1',
            '-ciphersuites',
            suite.name,
            '-keylogfile',
            keys,
            '-ign_eof',
          ],
          'GET / HTTP/1.1\r\nHost: web.example.com\r\n\r\n',
        );
        expect(r.out).toContain(`New, TLSv1.3, Cipher is ${suite.name}`);
        expect(r.out).toContain('subject=O = Kubewire, CN = web.example.com');
        expect(r.out).toContain('ALPN protocol: http/1.1');
        expect(r.out).toContain('Peer signature type: ECDSA');
        expect(r.out).toContain('hello from kubewire, host web.example.com');
        const ours = bridge.endpoints[bridge.endpoints.length - 1] as TlsServer;
        expect(ours.facts().cipherSuite).toBe(suite.name);
        expect(keylogSecrets(ours.keylog())).toEqual(keylogSecrets(readText(keys)));
      } finally {
        tmp.done();
      }
    });
  }

  it.skipIf(!!curlSkip)(
    '[TLS4] curl -k gets our answer over TLS 1.3, the SNI choosing the certificate',
    async () => {
      const r = await runTool('curl', [
        '-sv',
        '-k',
        '--resolve',
        `web.example.com:${bridge.port}:127.0.0.1`,
        `https://web.example.com:${bridge.port}/`,
      ]);
      expect(r.code).toBe(0);
      expect(r.out).toContain('hello from kubewire, host web.example.com');
      expect(r.out).toMatch(/SSL connection using TLSv1\.3 \/ TLS_AES_256_GCM_SHA384/);
      expect(r.out).toMatch(/ALPN.*server accepted.*http\/1\.1/);
      expect(r.out).toContain('subject: O=Kubewire; CN=web.example.com');
      const ours = bridge.endpoints[bridge.endpoints.length - 1];
      // curl offers h2 first; our server serves http/1.1 only, as ALPN lets it choose.
      expect(ours.facts().alpnOffered).toEqual(['h2', 'http/1.1']);
      expect(ours.facts().alpn).toBe('http/1.1');
    },
  );
});

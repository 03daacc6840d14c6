/**
 * The inspector's TLS layer against the real tshark: every field decodeFrame
 * gives for our TLS frames is in tshark's JSON with the same value at the
 * same bytes, and the Info line is tshark's.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../engine/rng.ts';
import { decodeFrame, summarizeFrame } from '../../wire/describe.ts';
import type { Field } from '../../wire/layers.ts';
import { readPcap } from '../../wire/pcap.ts';
import { flattenTshark, hasTshark, runTshark, tsharkFields } from '../../wire/tshark-helper.ts';
import { concat } from '../bytes.ts';
import { createTlsClient } from '../client.ts';
import { createTlsServer } from '../server.ts';
import { fakeIngressCertificate } from '../x509.ts';
import { tlsPcap } from './frames.ts';
import type { Flight } from './frames.ts';

function handshakePcap(): Uint8Array {
  const rng = createRng(8);
  const cert = fakeIngressCertificate(rng.fork('cert'), new Date('2026-11-01T00:00:00Z'));
  const client = createTlsClient({
    serverName: 'shop.example.com',
    alpn: ['h2', 'http/1.1'],
    rng: rng.fork('c'),
  });
  const server = createTlsServer({
    selectCert: () => ({ chain: [cert.der], key: cert.key }),
    alpn: ['http/1.1'],
    rng: rng.fork('s'),
  });
  const flights: Flight[] = [];
  const go = (fromClient: boolean, recs: Uint8Array[]) => {
    const b = concat(recs);
    flights.push({ fromClient, bytes: b });
    return b;
  };
  const f = go(false, server.receive(go(true, client.start().send)).send);
  client.receive(go(false, server.receive(go(true, client.receive(f).send)).send));
  go(true, [
    ...client.write(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: shop\r\n\r\n')),
    ...client.close(),
  ]);
  return tlsPcap(flights);
}

const leaves = (fs: readonly Field[]): Field[] =>
  fs.flatMap((f) => (f.children ? leaves(f.children) : [f]));

describe('TLS in the inspector', () => {
  const pcap = handshakePcap();
  const frames = readPcap(pcap).records.map((r) => r.data);

  it("[TLS14] names the records and handshake messages a segment carries, as tshark's Info does", () => {
    const tls = frames.map(decodeFrame).map((ls) => ls.find((l) => l.protocol === 'tls'));
    expect(tls.slice(0, 3)).toEqual([undefined, undefined, undefined]); // the TCP handshake
    expect(tls[3]!.fields.map((f) => f.label)).toEqual([
      'TLSv1 Record Layer: Handshake Protocol: Client Hello',
    ]);
    expect(tls[4]!.fields.map((f) => f.label)).toEqual([
      'TLSv1.2 Record Layer: Handshake Protocol: Server Hello',
      'TLSv1.3 Record Layer: Change Cipher Spec Protocol: Change Cipher Spec',
      ...Array(4).fill('TLSv1.3 Record Layer: Application Data Protocol: Application Data'),
    ]);
    const sni = leaves(tls[3]!.fields).find(
      (f) => f.name === 'tls.handshake.extensions_server_name',
    );
    expect(sni?.value).toBe('shop.example.com');
    expect(leaves(tls[4]!.fields).find((f) => f.name === 'tls.handshake.ciphersuite')?.value).toBe(
      'TLS_AES_256_GCM_SHA384 (0x1302)',
    );
  });

  it.skipIf(!hasTshark)(
    '[TLS14] every TLS field and Info line matches tshark (value, offset, length)',
    async () => {
      const packets = await runTshark(pcap)!;
      const infos = tsharkFields(pcap, ['_ws.col.Info'])!.map((r) => r[0]);
      let checked = 0;
      frames.forEach((frame, i) => {
        const tls = decodeFrame(frame).find((l) => l.protocol === 'tls');
        if (!tls) return;
        expect(summarizeFrame(frame)).toBe(infos[i]);
        const theirs = flattenTshark(packets[i]._source.layers);
        for (const f of leaves(tls.fields)) {
          const vals = theirs.get(f.name) ?? [];
          const match = vals.find((v) => v.value === f.raw && v.offset === f.offset);
          expect(
            match,
            `frame ${i + 1} ${f.name}=${f.raw} @${f.offset} among ${JSON.stringify(vals)}`,
          ).toBeDefined();
          if (match?.length !== undefined) expect(f.length, `${f.name} length`).toBe(match.length);
          checked++;
        }
      });
      expect(checked).toBeGreaterThan(30);
    },
  );
});

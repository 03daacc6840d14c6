/**
 * The built-in "HTTPS through ingress-nginx" end to end, held against
 * tshark: TLS decodes (SNI, certificate), the keylog file lets tshark decrypt
 * the request the controller saw, the controller's upstream request goes to
 * a pod IP with ingress-nginx's headers (no DNAT on that hop), and a host no
 * rule names gets nginx's own 404.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Fact } from '../narration/facts.ts';
import { publicScenario, simulate } from '../test/driver.ts';
import { hasTshark, tsharkFields } from '../wire/tshark-helper.ts';

const sim = simulate(publicScenario('ingress-https.yaml'));
const pcap = sim.exportPcap();
const dir = mkdtempSync(join(tmpdir(), 'kubewire-keylog-'));
const keys = join(dir, 'keys.txt');
writeFileSync(keys, sim.keylog());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DECRYPT = ['-o', `tls.keylog_file:${keys}`, '-d', 'tcp.port==5678,http'];
const text = (h: string) => Buffer.from(h.replace(/:/g, ''), 'hex').toString('latin1');
/** A step's fact of this type, itself or as the cause its transmit step carries. */
const own = (f: Fact | undefined, type: string): Fact | undefined =>
  !f ? undefined : f.type === type ? f : 'cause' in f ? own(f.cause, type) : undefined;
const facts = (type: string) => sim.steps.flatMap((s) => own(s.facts, type) ?? []);
const pods = sim.stateAt(sim.steps.length - 1).pods;
const podIp = (prefix: string) => pods.filter((p) => p.name.startsWith(prefix)).map((p) => p.ip);

describe('Ingress on the path (ingress-https built-in)', () => {
  it.skipIf(!hasTshark)(
    '[ING20] tshark decodes the TLS handshake: SNI shop.example, the Secret’s certificate',
    () => {
      const hello = tsharkFields(
        pcap,
        ['tls.handshake.extensions_server_name'],
        'tls.handshake.type==1',
      );
      expect(hello!.map(([sni]) => sni)).toContain('shop.example');
      const certs = tsharkFields(
        pcap,
        ['x509sat.printableString', 'x509sat.uTF8String', 'x509ce.dNSName'],
        'tls.handshake.type==11',
        DECRYPT,
      )!;
      expect(certs.length).toBeGreaterThan(0);
      expect(certs.every((row) => row.join(' ').includes('shop.example'))).toBe(true);
      const chose = facts('ingress.certificate');
      expect(chose[0]).toMatchObject({
        sni: 'shop.example',
        secret: 'default/shop-tls',
        fake: false,
      });
    },
  );

  it.skipIf(!hasTshark)(
    '[ING21] with the keylog file tshark decrypts the HTTPS request the controller saw',
    () => {
      const plain = tsharkFields(
        pcap,
        ['http.request.uri', 'http.host'],
        'http.request && tcp.dstport==31356',
      );
      expect(plain).toEqual([]); // without keys: only encrypted records
      const rows = tsharkFields(
        pcap,
        ['http.request.uri', 'http.host', 'http.user_agent'],
        'http.request && tls',
        DECRYPT,
      )!;
      expect(rows.map(([uri]) => uri)).toEqual(expect.arrayContaining(['/cart', '/']));
      expect(rows[0][1]).toBe('shop.example:31356');
      expect(sim.keylog()).toMatch(
        /^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]{64,96}$/m,
      );
    },
  );

  it.skipIf(!hasTshark)(
    '[ING22] the controller connects to a pod IP, not the ClusterIP, and adds its headers',
    () => {
      const rows = tsharkFields(
        pcap,
        ['ip.src', 'ip.dst', 'tcp.dstport', 'tcp.payload'],
        'http.request && tcp.dstport==5678',
        DECRYPT,
      )!;
      expect(rows).toHaveLength(2);
      const controller = podIp('ingress-nginx-controller')[0];
      const backends = [...podIp('cart'), ...podIp('storefront')];
      for (const [src, dst, port, payload] of rows) {
        expect(src).toBe(controller);
        expect(backends).toContain(dst); // an endpoint's own address: no Service VIP on this hop
        expect(port).toBe('5678');
        const head = text(payload).split('\r\n');
        const names = head
          .slice(1)
          .filter(Boolean)
          .map((l) => l.split(':')[0]);
        // nginx.tmpl's proxy_set_header order, then the client's other headers.
        expect(names).toEqual([
          'Host',
          'X-Request-ID',
          'X-Real-IP',
          'X-Forwarded-For',
          'X-Forwarded-Host',
          'X-Forwarded-Port',
          'X-Forwarded-Proto',
          'X-Forwarded-Scheme',
          'X-Scheme',
          'User-Agent',
          'Accept',
        ]);
        expect(head.find((l) => l.startsWith('X-Request-ID'))).toMatch(
          /^X-Request-ID: [0-9a-f]{32}$/,
        );
        expect(head).toContain('X-Forwarded-Proto: https');
        expect(head).toContain('X-Forwarded-Port: 443');
      }
      // /cart went to the cart pod, / to a storefront pod.
      expect(rows.map((r) => r[1])).toEqual([podIp('cart')[0], expect.stringMatching(/./)]);
      expect(podIp('storefront')).toContain(rows[1][1]);
      // No NAT step on the controller → pod hop: kube-proxy's rules are not involved.
      const proxy = sim.steps.findIndex((s) => s.facts.type === 'ingress.proxy');
      const after = sim.steps.slice(proxy, proxy + 40);
      expect(after.some((s) => /DNAT|NATs destination/.test(s.summary))).toBe(false);
    },
  );

  it.skipIf(!hasTshark)(
    '[ING23] the route step names the winning rule; a host without a rule gets nginx’s 404 page',
    () => {
      const routes = facts('ingress.route');
      expect(
        routes.map(
          (f) => f.type === 'ingress.route' && [f.result, f.rulePath ?? null, f.service ?? null],
        ),
      ).toEqual([
        ['rule', '/cart', 'default/cart'],
        ['rule', '/', 'default/storefront'],
        ['not-found', null, null],
      ]);
      const rows = tsharkFields(
        pcap,
        ['http.response.code', 'http.content_length', 'http.content_type', 'http.connection'],
        'http.response && tcp.srcport==30437 && ip.src==192.168.1.10',
      )!;
      expect(rows).toEqual([['404', '146', 'text/html', 'keep-alive']]);
      // nginx's own head, the upstream's other headers, HSTS on https with the Secret's certificate.
      const heads = tsharkFields(
        pcap,
        ['http.response.line'],
        'http.response && ip.dst==192.168.1.50',
        DECRYPT,
      )!;
      const names = (row: string[]) => row[0].split('\\r\\n,').map((l) => l.split(':')[0]);
      expect(names(heads[0])).toEqual([
        'Date',
        'Content-Type',
        'Content-Length',
        'Connection',
        'X-App-Name',
        'X-App-Version',
        'Strict-Transport-Security',
      ]);
      expect(heads[0][0]).toContain(
        'Strict-Transport-Security: max-age=31536000; includeSubDomains',
      );
      expect(names(heads[2])).toEqual(['Date', 'Content-Type', 'Content-Length', 'Connection']);
      const curl = facts('curl.response').map((f) => f.type === 'curl.response' && f.body);
      expect(curl).toEqual([
        'cart: 3 items\n',
        expect.stringMatching(/^storefront-/),
        expect.stringContaining('404 Not Found'),
      ]);
    },
  );
});

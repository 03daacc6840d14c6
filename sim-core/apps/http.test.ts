/**
 * HTTP on the simulated path: curl's request and close held against a real
 * curl capture (test/fixtures/http/), the http-echo backend's response as
 * tshark decodes it, and writes larger than one segment.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EPOCH_SECONDS } from '../dataplane/transport.ts';
import { loadScenario } from '../scenario/index.ts';
import { simulate } from '../test/driver.ts';
import { hasTshark, tsharkFields } from '../wire/tshark-helper.ts';
import { CURL_VERSION } from './curl.ts';
import { httpDate } from './http-message.ts';

if (!hasTshark) console.warn('SKIP parts of http.test.ts: tshark is not installed');

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../test/fixtures/http/${name}`, import.meta.url)));
const scenario = (
  text = 'hello',
  actions = ['http: {from: client, url: "http://web.default/hello"}'],
) =>
  `apiVersion: kubewire/v1
kind: Cluster
metadata: {name: http}
spec:
  nodes:
    - {name: node-1, ip: 192.168.1.10}
    - {name: node-2, ip: 192.168.1.11}
  hosts:
    - {name: laptop, ip: 192.168.1.50}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  nodeName: node-1
  containers: [{name: curl, image: curlimages/curl:8.11.1}]
---
apiVersion: v1
kind: Pod
metadata: {name: web-0, labels: {app: web}}
spec:
  nodeName: node-2
  containers:
    - name: echo
      image: hashicorp/http-echo:0.2.3
      args: ["-text=${text}"]
      ports: [{containerPort: 5678}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 5678}]
---
apiVersion: kubewire/v1
kind: Scenario
metadata: {name: http}
spec:
  actions:
${actions.map((a) => `    - ${a}`).join('\n')}
`;

const CLIENT = 'node-1/default/client/eth0';
const HTTP_PORTS = ['-d', 'tcp.port==5678,http'];
const text = (h: string) => Buffer.from(h.replace(/:/g, ''), 'hex').toString('latin1');

describe('HTTP: curl and an http-echo backend', () => {
  it.skipIf(!hasTshark)(
    "[HTTP1] curl's request is the bytes real curl writes (fixture: curl 7.88.1 on lo)",
    () => {
      const real = tsharkFields(fixture('curl-keepalive.pcapng'), ['tcp.payload'], 'http.request');
      const theirs = text(real![0][0]);
      // The same three headers in the same order; only the version and the URL's host differ.
      const expected = theirs
        .replace('GET /x ', 'GET /hello ')
        .replace('Host: 127.0.0.1:8766', 'Host: web.default')
        .replace('curl/7.88.1', `curl/${CURL_VERSION}`);
      const sim = simulate(scenario());
      const ours = tsharkFields(sim.exportCapture(CLIENT), ['tcp.payload'], 'http.request');
      expect(ours).toHaveLength(1);
      expect(text(ours![0][0])).toBe(expected);
      expect(theirs).toMatch(
        /^GET \/x HTTP\/1\.1\r\nHost: .*\r\nUser-Agent: curl\/.*\r\nAccept: \*\/\*\r\n\r\n$/,
      );
    },
  );

  it.skipIf(!hasTshark)(
    '[HTTP2] the connection ends as real curl ends it: ACK, curl FIN first, FIN,ACK, ACK',
    () => {
      const flags = (capture: Uint8Array, clientPort: string) =>
        tsharkFields(capture, ['tcp.srcport', 'tcp.flags.str', 'tcp.len'], 'tcp')!.map(
          ([src, f, len]) =>
            `${src === clientPort ? 'c' : 's'} ${f.replace(/·/g, '')} ${len === '0' ? 0 : 'data'}`,
        );
      const real = flags(fixture('curl-keepalive.pcapng'), '56028');
      const sim = simulate(scenario());
      const port = tsharkFields(
        sim.exportCapture(CLIENT),
        ['tcp.srcport'],
        'tcp.flags.syn==1 && tcp.flags.ack==0',
      )![0][0];
      const ours = flags(sim.exportCapture(CLIENT), port);
      expect(ours).toEqual(real);
      expect(real.slice(-4)).toEqual(['c A 0', 'c AF 0', 's AF 0', 'c A 0']);
    },
  );

  it.skipIf(!hasTshark)(
    "[HTTP3] http-echo answers as Go's net/http writes it: headers, Date from the clock, the -text body",
    () => {
      const sim = simulate(scenario('web-0 here'));
      const rows = tsharkFields(
        sim.exportCapture(CLIENT),
        [
          'http.response.code',
          'http.content_type',
          'http.content_length',
          'http.date',
          'http.file_data',
          'tcp.payload',
          'frame.time_epoch',
        ],
        'http.response',
        HTTP_PORTS,
      )!;
      expect(rows).toHaveLength(1);
      const [code, type, length, date, body, payload, epoch] = rows[0];
      expect([code, type, length]).toEqual(['200', 'text/plain; charset=utf-8', '11']);
      expect(body).toBe('web-0 here\\n'); // tshark -T fields writes the newline as \n
      // The Date the server wrote is the simulated second it answered (the frame's own time).
      expect(date).toBe(httpDate(Math.floor(Number(epoch))));
      expect(Math.floor(Number(epoch))).toBeGreaterThanOrEqual(EPOCH_SECONDS);
      // Handler headers first (X-App-*), then extraHeader.Write's Date, Content-Length, Content-Type.
      const names = text(payload)
        .split('\r\n')
        .slice(1)
        .filter((l) => l.includes(':'))
        .map((l) => l.split(':')[0]);
      expect(names).toEqual([
        'X-App-Name',
        'X-App-Version',
        'Date',
        'Content-Length',
        'Content-Type',
      ]);
    },
  );

  it.skipIf(!hasTshark)(
    '[HTTP4] a response larger than one segment leaves in MSS-sized segments, PSH on the last, and tshark reassembles it',
    () => {
      const big = 'x'.repeat(3000);
      const sim = simulate(scenario(big));
      const capture = sim.exportCapture(CLIENT);
      const segs = tsharkFields(
        capture,
        ['tcp.len', 'tcp.flags.push'],
        'tcp.srcport==80 && tcp.len>0',
        HTTP_PORTS,
      )!;
      // MSS 1410 both ways (flannel's MTU 1450 less 40), less 12 bytes of timestamps.
      expect(segs.map(([len]) => Number(len)).slice(0, 2)).toEqual([1398, 1398]);
      expect(segs.map(([, psh]) => psh)).toEqual(['0', '0', '1']);
      const total = segs.reduce((n, [len]) => n + Number(len), 0);
      const http = tsharkFields(
        capture,
        ['http.response.code', 'tcp.reassembled.length', 'http.content_length'],
        'http.response',
        HTTP_PORTS,
      )!;
      expect(http).toEqual([['200', String(total), '3001']]);
      // The client acknowledges every segment (a new connection is in quick-ack mode).
      const acks = tsharkFields(
        capture,
        ['tcp.ack'],
        'tcp.dstport==80 && tcp.len==0 && tcp.flags.fin==0 && tcp.flags.syn==0',
      )!;
      expect(acks.length).toBeGreaterThanOrEqual(3);
    },
  );
});

describe('HTTP: the action and its errors', () => {
  it('[HTTP5] nc bytes that are not HTTP still meet nc -l on an http-echo port', () => {
    const sim = simulate(
      scenario('x', ['connect: {from: client, to: web, port: 80, data: "hi", close: true}']),
    );
    const types = sim.steps.map((s) => s.facts.type);
    expect(types).toContain('app.read');
    expect(types).not.toContain('http.served');
  });

  it('[HTTP6] a host outside the cluster cannot resolve a cluster name: curl (6)', () => {
    const sim = simulate(scenario('x', ['http: {from: laptop, url: "http://web.default/"}']));
    const err = sim.steps.find((s) => s.facts.type === 'curl.error');
    expect(err?.summary).toBe('curl: (6) Could not resolve host: web.default');
  });

  it('[HTTP7] a bad url, resolve or header is refused at its line and column', () => {
    const bad = scenario('x', [
      'http: {from: client, url: "ftp://web/"}',
      'http: {from: client, url: "http://web/", resolve: "other:80:10.0.0.1"}',
      'http: {from: client, url: "http://web/", header: "no colon"}',
    ]);
    const r = loadScenario(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const lines = bad.split('\n');
    const at = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    expect(r.errors.map((e) => [e.line, e.message.split(' ')[0]])).toEqual([
      [at('ftp://'), 'url'],
      [at('other:80'), 'resolve'],
      [at('no colon'), 'a'],
    ]);
    expect(r.errors[1].message).toContain('curl would not use it');
  });
});

/**
 * The built-in "No matching rule: the default backend" (ING30, ING31):
 * ingress-nginx's default_backend.feature and controller.go's rule, seen on
 * the path. A path no rule of shop.example covers goes to Ingress shop's
 * defaultBackend (storefront), a pod the controller connects to itself; a
 * host whose Ingress has no defaultBackend, and a host no Ingress names, get
 * ingress-nginx's own 404 page and no upstream connection. tshark reads the
 * requests and answers from the capture.
 */
import { describe, expect, it } from 'vitest';
import { parseFrame } from '../dataplane/frames.ts';
import type { FactOfType } from '../narration/index.ts';
import { narrate } from '../narration/index.ts';
import { publicScenario, simulate } from '../test/driver.ts';
import { hasTshark, tsharkFields } from '../wire/tshark-helper.ts';

const sim = simulate(publicScenario('ingress-default-backend.yaml'));
const pods = sim.stateAt(sim.steps.length - 1).pods;
const ipOf = (name: string) => pods.find((p) => p.name === name)!.ip!;
const controllerIp = pods.find((p) => p.namespace === 'ingress-nginx')!.ip!;
const route = (action: number) => {
  const s = sim.steps.find((x) => x.action === action && x.facts.type === 'ingress.route')!;
  return { step: s, fact: s.facts as FactOfType<'ingress.route'> };
};
const curl = (action: number) =>
  sim.steps
    .filter((s) => s.action === action && s.facts.type === 'curl.response')
    .map((s) => s.facts as FactOfType<'curl.response'>);
/** SYNs the controller sends to backends in an action (it connects to pod IPs itself). */
const upstreamSyns = (action: number) =>
  sim.steps.filter(
    (s) =>
      s.action === action &&
      s.kind === 'transmit' &&
      /\[SYN\] /.test(s.summary) &&
      parseFrame(s.frame!).ip?.repr.srcAddr === controllerIp,
  );

describe('[ING30] no rule matches: the Ingress’s defaultBackend', () => {
  it('/cart on shop.example is its rule; /checkout no rule covers, so shop’s defaultBackend', () => {
    // The SYN as each hop shows it: all of them to the storefront pod's own address.
    const dsts = upstreamSyns(1).map((s) => parseFrame(s.frame!).ip!.repr.dstAddr);
    expect(new Set(dsts)).toEqual(new Set([ipOf('storefront')]));
    expect(route(0).fact).toMatchObject({ result: 'rule', service: 'default/cart' });
    const r = route(1).fact;
    expect(r).toMatchObject({
      result: 'default',
      host: 'shop.example',
      path: '/checkout',
      ingress: 'default/shop',
      service: 'default/storefront',
      upstream: `${ipOf('storefront')}:5678`,
    });
    expect(r.why).toMatch(/no path of server shop\.example matches \/checkout/);
    expect(route(1).step.summary).toBe(
      'ingress-nginx: no rule matches → default backend default/storefront:80',
    );
    const n = narrate(route(1).step.facts);
    expect(n.headline).toBe(
      "No rule matches: default/shop's default backend default/storefront:80",
    );
    expect(n.explanation).toContain('not to the ClusterIP, so kube-proxy is not on this hop');
    expect(curl(1)).toMatchObject([{ status: 200, body: 'storefront: the default backend\n' }]);
  });
});

describe('[ING31] no rule and no defaultBackend: ingress-nginx’s own 404', () => {
  it.each([
    [2, 'blog.example', '/about', /server blog\.example/],
    [3, 'other.example', '/', /default server _/],
  ])('action %i: %s%s gets the 404 page, and nothing goes upstream', (action, host, path, why) => {
    const r = route(action).fact;
    expect(r).toMatchObject({ result: 'not-found', host, path });
    expect(r.why).toMatch(why);
    expect(r.upstream).toBeUndefined();
    expect(narrate(route(action).step.facts).headline).toBe(
      `No Ingress rule matches ${host}${path}: 404`,
    );
    expect(curl(action)).toMatchObject([{ status: 404, len: 146 }]);
    expect(upstreamSyns(action)).toEqual([]);
  });
});

describe.skipIf(!hasTshark)('[ING30] tshark reads the same requests and answers', () => {
  it('the laptop’s requests, the one upstream request to storefront, and two 404s', () => {
    const pcap = sim.exportPcap();
    const requests = tsharkFields(
      pcap,
      ['ip.dst', 'http.host', 'http.request.uri'],
      'http.request',
    )!;
    const upstream = requests.filter(([dst]) => dst === ipOf('storefront'));
    expect(upstream).toEqual([[ipOf('storefront'), 'shop.example:30437', '/checkout']]);
    const codes = tsharkFields(pcap, ['ip.dst', 'http.response.code'], 'http.response')!
      .filter(([dst]) => dst === '192.168.1.50')
      .map(([, code]) => code);
    expect(codes).toEqual(['200', '200', '404', '404']);
  });
});

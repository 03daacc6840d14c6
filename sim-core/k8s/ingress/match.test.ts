/**
 * The Ingress matching table (SPEC ING4–ING7). Each row restates, in our own
 * words, a scenario of kubernetes-sigs/ingress-controller-conformance
 * (features/path_rules.feature, host_rules.feature, default_backend.feature,
 * ingress_class.feature) or of ingress-nginx's e2e suite
 * (test/e2e/ingress/pathtype_mixed.go, pathtype_prefix.go,
 * multiple_rules.go), with the Ingress manifests of the feature's
 * Background. The expected backend is the one the feature names.
 */
import { describe, expect, it } from 'vitest';
import { CLUSTER, loadOk } from '../../scenario/testing.ts';
import { createIngressModel } from './model.ts';
import type { IngressModel } from './model.ts';
import { routeRequest, tlsFor } from './match.ts';

const backend = (name: string, port = 'number: 8080') =>
  `backend: {service: {name: ${name}, port: {${port}}}}`;

/** Manifests → the controller's model, through the loader as a user's file would go. */
function modelOf(...docs: string[]): IngressModel {
  const s = loadOk([CLUSTER, ...docs].join('---\n'));
  return createIngressModel(s);
}

/** "service" for a routed request, "404", "301 <location>" — what the feature's client observes first. */
function served(model: IngressModel, host: string, path: string): string {
  const r = routeRequest(model, { host, path });
  if (r.kind === 'rule' || r.kind === 'default') return r.backend.service.split('/')[1];
  if (r.kind === 'redirect') return `301 ${r.redirect}`;
  return '404';
}

// features/path_rules.feature, Background.
const pathRules = modelOf(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: path-rules}
spec:
  ingressClassName: nginx
  rules:
    - host: exact-path-rules
      http:
        paths:
          - {path: /foo, pathType: Exact, ${backend('foo-exact')}}
    - host: prefix-path-rules
      http:
        paths:
          - {path: /foo, pathType: Prefix, ${backend('foo-prefix')}}
          - {path: /aaa/bbb, pathType: Prefix, ${backend('aaa-slash-bbb-prefix')}}
          - {path: /aaa, pathType: Prefix, ${backend('aaa-prefix')}}
    - host: mixed-path-rules
      http:
        paths:
          - {path: /foo, pathType: Prefix, ${backend('foo-prefix')}}
          - {path: /foo, pathType: Exact, ${backend('foo-exact')}}
    - host: trailing-slash-path-rules
      http:
        paths:
          - {path: /aaa/bbb/, pathType: Prefix, ${backend('aaa-slash-bbb-slash-prefix')}}
          - {path: /foo/, pathType: Exact, ${backend('foo-slash-exact')}}
`);

describe('ING4 path rules (path_rules.feature)', () => {
  it.each([
    ['exact /foo matches request /foo', 'exact-path-rules', '/foo', 'foo-exact'],
    ['exact /foo does not match request /foo/', 'exact-path-rules', '/foo/', '404'],
    ['exact /foo does not match request /FOO (case sensitive)', 'exact-path-rules', '/FOO', '404'],
    ['exact /foo does not match request /bar', 'exact-path-rules', '/bar', '404'],
    ['prefix /foo matches request /foo', 'prefix-path-rules', '/foo', 'foo-prefix'],
    [
      'prefix /foo matches request /foo/ (trailing slash ignored)',
      'prefix-path-rules',
      '/foo/',
      'foo-prefix',
    ],
    ['prefix /foo does not match request /FOO', 'prefix-path-rules', '/FOO', '404'],
    [
      'prefix /aaa/bbb matches request /aaa/bbb (longest)',
      'prefix-path-rules',
      '/aaa/bbb',
      'aaa-slash-bbb-prefix',
    ],
    [
      'prefix /aaa/bbb matches request /aaa/bbb/ccc',
      'prefix-path-rules',
      '/aaa/bbb/ccc',
      'aaa-slash-bbb-prefix',
    ],
    ['prefix /aaa matches request /aaa/ccc', 'prefix-path-rules', '/aaa/ccc', 'aaa-prefix'],
    [
      'prefix /aaa does not match request /aaaccc (by element)',
      'prefix-path-rules',
      '/aaaccc',
      '404',
    ],
    ['mixed: exact /foo is preferred for request /foo', 'mixed-path-rules', '/foo', 'foo-exact'],
    [
      'prefix /aaa/bbb/ matches request /aaa/bbb/',
      'trailing-slash-path-rules',
      '/aaa/bbb/',
      'aaa-slash-bbb-slash-prefix',
    ],
  ])('%s', (_, host, path, want) => {
    expect(served(pathRules, host, path)).toBe(want);
  });

  it('prefix /aaa/bbb/ matches request /aaa/bbb: through nginx 301 to /aaa/bbb/, which the client follows', () => {
    // The feature's Go client follows redirects; nginx's auto_redirect answers first.
    const r = routeRequest(pathRules, { host: 'trailing-slash-path-rules', path: '/aaa/bbb?x=1' });
    expect(r).toMatchObject({
      kind: 'redirect',
      status: 301,
      redirect: '/aaa/bbb/?x=1',
      location: '/aaa/bbb/',
    });
    expect(served(pathRules, 'trailing-slash-path-rules', '/aaa/bbb/')).toBe(
      'aaa-slash-bbb-slash-prefix',
    );
  });

  it('exact /foo/ and request /foo: the feature expects 404, ingress-nginx answers 301 to /foo/', () => {
    // A divergence of ingress-nginx from the conformance suite, kept because it is what
    // ingress-nginx does: proxy_pass sets auto_redirect on `location = "/foo/"` too, so
    // nginx redirects /foo to /foo/, and a client that follows gets foo-slash-exact.
    expect(served(pathRules, 'trailing-slash-path-rules', '/foo')).toBe('301 /foo/');
    expect(served(pathRules, 'trailing-slash-path-rules', '/foo/')).toBe('foo-slash-exact');
  });

  it('the winner names its Ingress, rule, path and why', () => {
    const r = routeRequest(pathRules, { host: 'prefix-path-rules', path: '/aaa/bbb/ccc' });
    expect(r).toMatchObject({
      kind: 'rule',
      ingress: 'default/path-rules',
      ruleIndex: 1,
      pathIndex: 1,
      host: 'prefix-path-rules',
      path: '/aaa/bbb',
      pathType: 'Prefix',
      location: '/aaa/bbb/',
      backend: { service: 'default/aaa-slash-bbb-prefix', port: 8080 },
    });
    expect(r.why).toMatch(/longest of 3 matching prefixes/);
    const miss = routeRequest(pathRules, { host: 'prefix-path-rules', path: '/aaaccc' });
    expect(miss.why).toMatch(
      /Prefix \/aaa does not match \/aaaccc: a prefix matches whole path elements/,
    );
  });

  it('nginx normalizes the URI first: query dropped, // merged, dot segments resolved, %XX decoded', () => {
    expect(served(pathRules, 'prefix-path-rules', '/aaa//bbb/./ccc?q=/x')).toBe(
      'aaa-slash-bbb-prefix',
    );
    expect(served(pathRules, 'prefix-path-rules', '/aaa/bbb/../ccc')).toBe('aaa-prefix');
    expect(served(pathRules, 'exact-path-rules', '/%66oo')).toBe('foo-exact');
  });
});

// features/host_rules.feature, Background (the TLS Secret stated as ours).
const hostRules = modelOf(
  `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: host-rules}
spec:
  ingressClassName: nginx
  tls: [{hosts: [foo.bar.com], secretName: conformance-tls}]
  rules:
    - host: "*.foo.com"
      http: {paths: [{path: /, pathType: Prefix, ${backend('wildcard-foo-com')}}]}
    - host: foo.bar.com
      http: {paths: [{path: /, pathType: Prefix, ${backend('foo-bar-com', 'name: http')}}]}
`,
  `apiVersion: v1
kind: Secret
metadata: {name: conformance-tls}
type: kubernetes.io/tls
stringData: {tls.crt: "-----BEGIN CERTIFICATE-----", tls.key: "-----BEGIN PRIVATE KEY-----"}
`,
);

describe('ING5 host rules (host_rules.feature)', () => {
  it.each([
    ['host foo.bar.com matches request foo.bar.com', 'foo.bar.com', 'foo-bar-com'],
    ['host foo.bar.com does not match request subdomain.bar.com', 'subdomain.bar.com', '404'],
    [
      'wildcard *.foo.com matches request bar.foo.com (shared suffix)',
      'bar.foo.com',
      'wildcard-foo-com',
    ],
    [
      'wildcard *.foo.com does not match baz.bar.foo.com (one label only)',
      'baz.bar.foo.com',
      '404',
    ],
    ['wildcard *.foo.com does not match foo.com (no label)', 'foo.com', '404'],
    [
      'the Host is case-insensitive and its port is not part of it',
      'FOO.Bar.com:30443',
      'foo-bar-com',
    ],
  ])('%s', (_, host, want) => {
    expect(served(hostRules, host, '/')).toBe(want);
  });

  it('a port name in the backend is kept for the controller to resolve', () => {
    const r = routeRequest(hostRules, { host: 'foo.bar.com', path: '/' });
    expect(r).toMatchObject({
      kind: 'rule',
      backend: { service: 'default/foo-bar-com', port: 'http' },
    });
  });

  it('TLS: the SNI foo.bar.com gets conformance-tls; another name the fake certificate', () => {
    expect(tlsFor(hostRules, 'foo.bar.com')).toMatchObject({
      fake: false,
      secret: 'default/conformance-tls',
    });
    expect(tlsFor(hostRules, 'bar.foo.com')).toMatchObject({
      fake: true,
      commonName: 'Kubernetes Ingress Controller Fake Certificate',
    });
    expect(tlsFor(hostRules, undefined).fake).toBe(true);
  });

  it('TLS: a wildcard server with a Secret covers one label; a missing Secret is the fake certificate', () => {
    const m = modelOf(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: w}
spec:
  ingressClassName: nginx
  tls: [{hosts: ["*.example.com"], secretName: wild}, {hosts: [gone.test], secretName: nothing}]
  rules:
    - {host: "*.example.com", http: {paths: [{path: /, pathType: Prefix, ${backend('web')}}]}}
    - {host: gone.test, http: {paths: [{path: /, pathType: Prefix, ${backend('web')}}]}}
---
apiVersion: v1
kind: Secret
metadata: {name: wild}
type: kubernetes.io/tls
stringData: {tls.crt: c, tls.key: k}
`);
    expect(tlsFor(m, 'shop.example.com')).toMatchObject({
      fake: false,
      secret: 'default/wild',
      host: '*.example.com',
    });
    expect(tlsFor(m, 'a.b.example.com').fake).toBe(true);
    expect(tlsFor(m, 'gone.test')).toMatchObject({
      fake: true,
      why: expect.stringMatching(/Secret default\/nothing does not exist/),
    });
  });
});

describe('ING6 default backend (default_backend.feature) and the 404', () => {
  const defaultBackend = modelOf(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: default-backend}
spec:
  ingressClassName: nginx
  defaultBackend: {service: {name: echo-service, port: {number: 8080}}}
`);
  it.each([
    ['my-host', '/'],
    ['my-host', '/sub-path'],
    ['some-host', '/'],
    ['', '/resource'],
    ['192.168.1.10:30080', '/resource'],
  ])('an Ingress with no rules sends %s%s to the default backend', (host, path) => {
    const r = routeRequest(defaultBackend, { host, path });
    expect(r).toMatchObject({ kind: 'default', ingress: 'default/default-backend', server: '_' });
    expect(served(defaultBackend, host, path)).toBe('echo-service');
  });

  it('without any defaultBackend, no match is ingress-nginx’s own 404', () => {
    const r = routeRequest(pathRules, { host: 'unknown.test', path: '/' });
    expect(r).toMatchObject({ kind: 'not-found', server: '_', location: '/' });
    expect(r.why).toMatch(/default server _.*404 Not Found/);
  });

  it('a defaultBackend beside rules is the default of that Ingress’s hosts only', () => {
    const m = modelOf(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop}
spec:
  ingressClassName: nginx
  defaultBackend: {service: {name: shop-fallback, port: {number: 80}}}
  rules:
    - {host: shop.test, http: {paths: [{path: /api, pathType: Prefix, ${backend('api')}}]}}
`);
    expect(routeRequest(m, { host: 'shop.test', path: '/nope' })).toMatchObject({
      kind: 'default',
      backend: { service: 'default/shop-fallback', port: 80 },
    });
    expect(served(m, 'other.test', '/nope')).toBe('404');
  });
});

describe('ING7 several Ingresses, classes and pathTypes as ingress-nginx merges them', () => {
  it('two Ingresses for one host become one server; the first keeps a path both write (multiple_rules.go)', () => {
    const ing = (name: string, paths: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}}
spec:
  ingressClassName: nginx
  rules: [{host: shop.test, http: {paths: [${paths}]}}]
`;
    const m = modelOf(
      ing('first', `{path: /api, pathType: Prefix, ${backend('api-v1')}}`),
      ing(
        'second',
        `{path: /cart, pathType: Prefix, ${backend('cart')}}, {path: /api, pathType: Prefix, ${backend('api-v2')}}`,
      ),
    );
    expect(m.servers.map((s) => s.hostname)).toEqual(['_', 'shop.test']);
    expect(served(m, 'shop.test', '/api/x')).toBe('api-v1');
    expect(routeRequest(m, { host: 'shop.test', path: '/cart' })).toMatchObject({
      kind: 'rule',
      ingress: 'default/second',
      ruleIndex: 0,
      pathIndex: 0,
    });
  });

  it('Exact and Prefix on / and /foo (pathtype_mixed.go): /foo exact, /foo/bar prefix, /foobar the / prefix', () => {
    const m = modelOf(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: mixed}
spec:
  ingressClassName: nginx
  rules:
    - host: mixed.path
      http:
        paths:
          - {path: /foo, pathType: Exact, ${backend('exact')}}
          - {path: /foo, pathType: Prefix, ${backend('prefix-foo')}}
          - {path: /, pathType: Prefix, ${backend('prefix-root')}}
`);
    expect(served(m, 'mixed.path', '/foo')).toBe('exact');
    expect(served(m, 'mixed.path', '/foo/bar')).toBe('prefix-foo');
    expect(served(m, 'mixed.path', '/foobar')).toBe('prefix-root');
  });

  it('ImplementationSpecific is a Prefix to ingress-nginx: /aaa serves /aaa, /aaa/ and /aaa/cccc, not /aaacccc (pathtype_prefix.go)', () => {
    const m = modelOf(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: impl}
spec:
  ingressClassName: nginx
  rules: [{host: prefix.path, http: {paths: [{path: /aaa, pathType: ImplementationSpecific, ${backend('echo')}}]}}]
`);
    for (const p of ['/aaa', '/aaa/', '/aaa/cccc'])
      expect(served(m, 'prefix.path', p)).toBe('echo');
    expect(served(m, 'prefix.path', '/aaacccc')).toBe('404');
    const r = routeRequest(m, { host: 'prefix.path', path: '/aaa/cccc' });
    expect(r).toMatchObject({ pathType: 'ImplementationSpecific' });
    expect(r.why).toMatch(/reads ImplementationSpecific as Prefix/);
  });

  it('an Ingress of another class, or of none, is not served (ingress_class.feature)', () => {
    const m = modelOf(
      `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: test-ingress-class}
spec:
  ingressClassName: some-invalid-class-name
  rules: [{host: ingress-class, http: {paths: [{path: /, pathType: Prefix, ${backend('ingress-class-prefix')}}]}}]
`,
      `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: classless}
spec:
  rules: [{host: classless, http: {paths: [{path: /, pathType: Prefix, ${backend('x')}}]}}]
`,
      `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: legacy, annotations: {kubernetes.io/ingress.class: nginx}}
spec:
  rules: [{host: legacy, http: {paths: [{path: /, pathType: Prefix, ${backend('legacy')}}]}}]
`,
    );
    expect(served(m, 'ingress-class', '/')).toBe('404');
    expect(served(m, 'classless', '/')).toBe('404');
    expect(served(m, 'legacy', '/')).toBe('legacy');
    expect(m.skipped).toEqual([
      {
        ingress: 'default/test-ingress-class',
        why: 'its ingressClassName some-invalid-class-name names no IngressClass',
      },
      { ingress: 'default/classless', why: expect.stringMatching(/^it has no class/) },
    ]);
  });

  it('a resource backend is skipped, as ingress-nginx skips non-service backends', () => {
    const m = modelOf(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: bucket}
spec:
  ingressClassName: nginx
  rules: [{host: static.test, http: {paths: [{path: /img, pathType: Prefix, backend: {resource: {kind: StorageBucket, name: b}}}]}}]
`);
    expect(served(m, 'static.test', '/img/a.png')).toBe('404');
  });
});

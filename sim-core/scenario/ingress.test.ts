/**
 * Ingress, IngressClass and Secret manifests (SPEC ING1–ING3). The refusals
 * are the API server's, restated from pkg/apis/networking/validation's
 * validation_test.go (TestValidateIngressCreate, TestValidateIngress path and
 * host cases) and pkg/apis/core/validation (TestValidateSecret for
 * kubernetes.io/tls), each at the line and column of the offending value.
 */
import { describe, expect, it } from 'vitest';
import { CLUSTER, errorsOf, loadOk, y } from './testing.ts';

const ingress = (spec: string, meta = 'name: web') =>
  CLUSTER +
  y`
  ---
  apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata: {${meta}}
  spec:
  ` +
  spec
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n') +
  '\n';

const paths = (host: string, p: string) =>
  y`
  ingressClassName: nginx
  rules:
    - host: ${host}
      http:
        paths:
  ` +
  p
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');

describe('ING1 Ingress manifests are read and refused as the API server does', () => {
  it('reads rules, hosts incl. a wildcard, the three pathTypes, port number and name, tls and defaultBackend', () => {
    const s = loadOk(
      ingress(y`
        ingressClassName: nginx
        defaultBackend: {service: {name: fallback, port: {number: 80}}}
        tls: [{hosts: [shop.example.com, "*.example.com"], secretName: shop-tls}]
        rules:
          - host: "*.example.com"
            http:
              paths:
                - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {name: http}}}}
                - {path: /healthz, pathType: Exact, backend: {service: {name: api, port: {number: 8080}}}}
                - {pathType: ImplementationSpecific, backend: {service: {name: web, port: {number: 80}}}}
          - http:
              paths:
                - {path: /, pathType: Prefix, backend: {resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: static}}}
      `),
    );
    expect(s.ingresses).toEqual([
      {
        metadata: { namespace: 'default', name: 'web' },
        spec: {
          ingressClassName: 'nginx',
          defaultBackend: { service: { name: 'fallback', port: { number: 80 } } },
          rules: [
            {
              host: '*.example.com',
              http: {
                paths: [
                  {
                    path: '/api',
                    pathType: 'Prefix',
                    backend: { service: { name: 'api', port: { name: 'http' } } },
                  },
                  {
                    path: '/healthz',
                    pathType: 'Exact',
                    backend: { service: { name: 'api', port: { number: 8080 } } },
                  },
                  {
                    path: '',
                    pathType: 'ImplementationSpecific',
                    backend: { service: { name: 'web', port: { number: 80 } } },
                  },
                ],
              },
            },
            {
              host: '',
              http: {
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: {
                      resource: {
                        apiGroup: 'k8s.example.com',
                        kind: 'StorageBucket',
                        name: 'static',
                      },
                    },
                  },
                ],
              },
            },
          ],
          tls: [{ hosts: ['shop.example.com', '*.example.com'], secretName: 'shop-tls' }],
        },
      },
    ]);
  });

  it('refuses a relative path, "//", "/./", a "/.." ending, a missing pathType, an unknown one', () => {
    const text = ingress(
      paths(
        'a.example.com',
        y`
        - {path: foo, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
        - {path: /a//b, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}
        - {path: /a/./b, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
        - {path: /a/.., pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
        - {path: /a, backend: {service: {name: web, port: {number: 80}}}}
        - {path: /a, pathType: Regex, backend: {service: {name: web, port: {number: 80}}}}
        - {path: x, pathType: ImplementationSpecific, backend: {service: {name: web, port: {number: 80}}}}
      `,
      ),
    );
    const p = (i: number) => `spec.rules[0].http.paths[${i}]`;
    expect(errorsOf(text)).toEqual([
      `16:18 ${p(0)}.path: Invalid value: "foo": must be an absolute path`,
      `17:18 ${p(1)}.path: Invalid value: "/a//b": must not contain '//'`,
      `18:18 ${p(2)}.path: Invalid value: "/a/./b": must not contain '/./'`,
      `19:18 ${p(3)}.path: Invalid value: "/a/..": cannot end with '/..'`,
      `20:11 ${p(4)}.pathType: Required value: pathType must be specified`,
      `21:32 ${p(5)}.pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"`,
      `22:18 ${p(6)}.path: Invalid value: "x": must be an absolute path`,
    ]);
  });

  it('refuses an IP as host, a wildcard that is not one leading label, an upper-case host', () => {
    const text = ingress(y`
      rules:
        - host: 10.0.0.1
        - host: "foo.*.bar.com"
        - host: Foo.com
    `);
    const errors = errorsOf(text);
    expect(errors[0]).toBe(
      '12:13 spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
    );
    expect(errors[1]).toBe(
      `13:13 spec.rules[1].host: Invalid value: "foo.*.bar.com": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
    expect(errors[2]).toMatch(
      /^14:13 spec.rules\[2\].host: Invalid value: "Foo.com": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters/,
    );
  });

  it('refuses a backend with both service and resource, both port name and number, neither, a bad service name', () => {
    const text = ingress(
      paths(
        'a.example.com',
        y`
        - {path: /a, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}, resource: {kind: B, name: b}}}
        - {path: /b, pathType: Prefix, backend: {service: {name: web, port: {number: 80, name: http}}}}
        - {path: /c, pathType: Prefix, backend: {service: {name: web, port: {}}}}
        - {path: /d, pathType: Prefix, backend: {service: {name: 1web, port: {number: 70000}}}}
        - {path: /e, pathType: Prefix, backend: {}}
      `,
      ),
    );
    const p = (i: number) => `spec.rules[0].http.paths[${i}].backend`;
    const errors = errorsOf(text);
    expect(errors).toContain(
      `16:49 ${p(0)}: Invalid value: "": cannot set both resource and service backends`,
    );
    expect(errors).toContain(
      `17:77 ${p(1)}: Invalid value: "": cannot set both port name & port number`,
    );
    expect(errors).toContain(`18:77 ${p(2)}: Required value: port name or number is required`);
    expect(errors).toContain(
      `19:66 ${p(3)}.service.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    );
    expect(errors).toContain(
      `19:87 ${p(3)}.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive`,
    );
    expect(errors).toContain(
      `20:49 ${p(4)}: Invalid value: "": resource or service backend is required`,
    );
  });

  it('refuses an Ingress with neither rules nor defaultBackend, and a class annotation that disagrees', () => {
    expect(errorsOf(ingress('tls: []'))).toEqual([
      '11:3 spec: Invalid value: "null": either `defaultBackend` or `rules` must be specified',
    ]);
    const text = ingress(
      'ingressClassName: nginx\ndefaultBackend: {service: {name: web, port: {number: 80}}}',
      'name: web, annotations: {kubernetes.io/ingress.class: traefik}',
    );
    expect(errorsOf(text)).toEqual([
      '9:66 annotations.kubernetes.io/ingress.class: Invalid value: "traefik": must match `ingressClassName` when both are specified',
    ]);
  });

  it('refuses the regex annotations ingress-nginx would turn every location of the host into ~* for', () => {
    const text = ingress(
      'ingressClassName: nginx\ndefaultBackend: {service: {name: web, port: {number: 80}}}',
      'name: web, annotations: {nginx.ingress.kubernetes.io/rewrite-target: /}',
    );
    expect(errorsOf(text)[0]).toMatch(
      /^9:37 nginx.ingress.kubernetes.io\/rewrite-target is not simulated/,
    );
  });

  it('a second Ingress of the same name is AlreadyExists, at its name', () => {
    const one = ingress('defaultBackend: {service: {name: web, port: {number: 80}}}');
    const text = one + one.slice(CLUSTER.length);
    expect(errorsOf(text)).toEqual([
      '15:18 Error from server (AlreadyExists): ingresses.networking.k8s.io "web" already exists (defined at line 9)',
    ]);
  });
});

describe('ING2 IngressClass, the default class, and the ingress-nginx add-on', () => {
  const cls = (name: string, dflt: boolean, controller = 'k8s.io/ingress-nginx') => y`
    ---
    apiVersion: networking.k8s.io/v1
    kind: IngressClass
    metadata:
      name: ${name}
      annotations: {ingressclass.kubernetes.io/is-default-class: "${dflt}"}
    spec: {controller: ${controller}}
  `;
  const classless = ingress('defaultBackend: {service: {name: web, port: {number: 80}}}');

  it('an Ingress brings the baremetal manifests: namespace, Deployment, NodePort Service, IngressClass nginx', () => {
    const s = loadOk(classless);
    expect(s.namespaces).toContain('ingress-nginx');
    expect(s.cluster.ingressNginx).toEqual({ service: 'NodePort', replicas: 1 });
    expect(s.deployments.map((d) => `${d.namespace}/${d.name}`)).toEqual([
      'ingress-nginx/ingress-nginx-controller',
    ]);
    const pod = s.pods.find((p) => p.namespace === 'ingress-nginx')!;
    expect(pod.name).toMatch(/^ingress-nginx-controller-[a-z0-9]+-[a-z0-9]{5}$/);
    expect(pod.labels).toMatchObject({
      'app.kubernetes.io/name': 'ingress-nginx',
      'app.kubernetes.io/component': 'controller',
    });
    expect(
      pod.containers[0].ports.map((p) => `${p.name}:${p.containerPort}/${p.protocol}`),
    ).toEqual(['http:80/TCP', 'https:443/TCP', 'webhook:8443/TCP']);
    const svc = s.services.find((v) => v.metadata.name === 'ingress-nginx-controller')!;
    expect(svc.metadata.namespace).toBe('ingress-nginx');
    expect(svc.spec.type).toBe('NodePort');
    expect(svc.spec.ports.map((p) => `${p.name} ${p.port}→${p.targetPort}`)).toEqual([
      'http 80→http',
      'https 443→https',
    ]);
    expect(svc.spec.ports.every((p) => p.nodePort! >= 30000 && p.nodePort! <= 32767)).toBe(true);
    expect(s.ingressClasses).toEqual([
      expect.objectContaining({
        metadata: expect.objectContaining({ name: 'nginx' }),
        spec: { controller: 'k8s.io/ingress-nginx' },
      }),
    ]);
    // No default class in the official manifests: the Ingress keeps no class.
    expect(s.ingresses[0].spec.ingressClassName).toBeUndefined();
  });

  it('a file without Ingresses or spec.ingressNginx gets no add-on', () => {
    const s = loadOk(CLUSTER);
    expect(s.cluster.ingressNginx).toBeUndefined();
    expect(s.services.map((v) => v.metadata.name)).toEqual(['kubernetes']);
    expect(s.ingressClasses).toEqual([]);
  });

  it('spec.ingressNginx: LoadBalancer as provider/cloud (externalTrafficPolicy Local), 2 replicas', () => {
    const text = CLUSTER.replace(
      '  nodes:',
      '  ingressNginx: {service: LoadBalancer, replicas: 2, loadBalancerIP: 192.168.1.240}\n  nodes:',
    );
    const s = loadOk(text);
    const svc = s.services.find((v) => v.metadata.name === 'ingress-nginx-controller')!;
    expect(svc.spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    expect(svc.loadBalancerIngress).toEqual(['192.168.1.240']);
    expect(s.pods.filter((p) => p.namespace === 'ingress-nginx')).toHaveLength(2);
  });

  it('the DefaultIngressClass admission plugin gives a classless Ingress the one default class', () => {
    const s = loadOk(classless + cls('nginx', true));
    expect(s.ingresses[0].spec.ingressClassName).toBe('nginx');
    expect(s.ingressClasses).toHaveLength(1);
  });

  it('two default classes: a classless Ingress is Forbidden, as the admission plugin refuses it', () => {
    const errors = errorsOf(
      classless + cls('nginx', true) + cls('other', true, 'example.com/other'),
    );
    expect(errors).toEqual([
      '9:18 Error from server (Forbidden): ingresses.networking.k8s.io "web" is forbidden: Internal error occurred: 2 default IngressClasses were found, only 1 allowed',
    ]);
  });

  it('refuses an IngressClass controller that is not a domain-prefixed path', () => {
    const errors = errorsOf(CLUSTER + cls('x', false, 'nginx'));
    expect(errors).toEqual([
      '12:20 spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
    ]);
  });
});

describe('ING3 kubernetes.io/tls Secrets', () => {
  const secret = (body: string) =>
    CLUSTER +
    y`
    ---
    apiVersion: v1
    kind: Secret
    metadata: {name: shop-tls}
    type: kubernetes.io/tls
    ` +
    body;

  it('stringData is merged into data as base64, as the API server stores it', () => {
    const s = loadOk(
      secret('stringData: {tls.crt: "-----BEGIN CERTIFICATE-----\\n", tls.key: k}\n'),
    );
    expect(s.secrets[0]).toEqual({
      metadata: { namespace: 'default', name: 'shop-tls' },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==', 'tls.key': 'aw==' },
    });
  });

  it('a TLS Secret without tls.key is refused; data that is not base64 too, at its byte', () => {
    expect(errorsOf(secret('data: {tls.crt: aGk=}\n'))).toEqual([
      '11:7 data[tls.key]: Required value',
    ]);
    expect(errorsOf(secret('data: {tls.crt: aGk=, tls.key: "ab$d"}\n'))).toEqual([
      '11:32 Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 2 (data[tls.key] is base64; put PEM text under stringData instead)',
    ]);
  });

  it('refuses a key that is not a config key', () => {
    // Go's RegexError puts two spaces before each "or".
    expect(errorsOf(secret('stringData: {tls.crt: a, tls.key: b, "a b": c}\n'))[0]).toBe(
      `11:38 data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    );
  });
});

/**
 * The Ingress facts' words (NAR1 for facts no built-in emits yet): a
 * headline of at most 12 words, and the step says that ingress-nginx
 * connects to the endpoint itself, not through the ClusterIP (DESIGN.md).
 */
import { describe, expect, it } from 'vitest';
import type { Fact } from './facts.ts';
import { narrate } from './narrate.ts';

const facts: Fact[] = [
  {
    type: 'ingress.route',
    controller: 'ingress-nginx/ingress-nginx-controller-5c8d66c76d-x2f9q',
    host: 'shop.example.com',
    path: '/api/v1/items',
    result: 'rule',
    ingress: 'default/shop-with-a-long-name',
    ruleIndex: 0,
    pathIndex: 1,
    ruleHost: '*.example.com',
    rulePath: '/api',
    pathType: 'Prefix',
    service: 'default/api-backend-service',
    port: 'http',
    upstream: '10.244.1.3:8080',
    why: 'Prefix /api matches /api/v1/items element by element, the longest matching prefix',
  },
  {
    type: 'ingress.route',
    host: 'nowhere.test',
    path: '/',
    result: 'default',
    ingress: 'default/fallback',
    service: 'default/catch-all',
    port: 80,
    why: 'no rule has host nowhere.test',
  },
  { type: 'ingress.route', host: 'x.test', path: '/a', result: 'not-found', why: 'no rule' },
  {
    type: 'ingress.certificate',
    sni: 'shop.example.com',
    secret: 'default/shop-tls',
    host: '*.example.com',
    fake: false,
    why: 'a wildcard covers one label',
  },
  { type: 'ingress.certificate', fake: true, why: 'no SNI' },
];

describe('NAR1 Ingress facts', () => {
  it.each(facts.map((f, i) => [i, f] as const))(
    'fact %i: headline ≤ 12 words, a full sentence',
    (_, f) => {
      const { headline, explanation } = narrate(f);
      expect(headline.split(/\s+/).length).toBeLessThanOrEqual(12);
      expect(explanation).toMatch(/[.)"]$/);
    },
  );

  it('a routed request says the controller bypasses the ClusterIP and kube-proxy', () => {
    const { explanation } = narrate(facts[0]);
    expect(explanation).toContain('10.244.1.3:8080');
    expect(explanation).toMatch(/not to the ClusterIP, so kube-proxy is not on this hop/);
  });

  it('no rule and no defaultBackend is a 404 from ingress-nginx itself', () => {
    expect(narrate(facts[2]).headline).toMatch(/404$/);
  });
});

/**
 * [ING8] The Ingress side of the CLI as a user runs it: `ingress --host H
 * --path P` prints the backend (service:port, 404 or nginx's 301) and the
 * rule that won; `ingress --nginx-conf` the server blocks, whose location
 * lines are the strings ingress-nginx's own e2e tests wait for
 * (`location "/aaa/"`, `location = "/foo"`); `get ingress` kubectl's
 * printIngress columns, with the node address ingress-nginx reports without
 * --publish-service.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubewire, repoRoot } from './test/cli.ts';

const shop = join(repoRoot, 'sim-core/test/fixtures/ingress/shop.yaml');
const same = join(repoRoot, 'public/scenarios/same-node.yaml');

describe('ING8 kubewire ingress and get ingress', () => {
  it('routes a request: the backend first, then the winning rule with its reason', () => {
    const r = kubewire(
      'ingress',
      shop,
      '--host',
      'Shop.Example.com:443',
      '--path',
      '/api/v1/items?page=2',
    );
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('default/api:http');
    expect(lines[1]).toBe('  ingress   default/shop (rule 0, path 0)');
    expect(lines[3]).toBe('  path      /api (Prefix)');
    expect(lines[4]).toBe('  nginx     server shop.example.com, location "/api/"');
    expect(lines[5]).toMatch(/^ {2}why {7}Host shop\.example\.com is server_name/);
  });

  it('an Exact path beats the / prefix; no host rule falls to the catch-all Ingress; --at is accepted', () => {
    expect(
      kubewire('ingress', shop, '--host', 'shop.example.com', '--path', '/healthz').out,
    ).toMatch(/^default\/api:80\n.*\n.*\n {2}path {6}\/healthz \(Exact\)/);
    const other = kubewire('ingress', shop, '--host', 'www.other.test', '--path', '/', '--at', '3');
    expect(other.code).toBe(0);
    expect(other.out).toMatch(
      /^default\/web:80\n {2}ingress {3}default\/fallback \(its defaultBackend\)/,
    );
  });

  it('prints the nginx server blocks as ingress-nginx writes them', () => {
    const conf = kubewire('ingress', shop, '--nginx-conf').out;
    expect(conf).toContain('        server_name "shop.example.com" ;');
    expect(conf).toContain('        listen 80 default_server reuseport backlog=4096 ;');
    expect(conf).toContain('        location = "/healthz" {');
    expect(conf).toContain('        location "/api/" {');
    expect(conf).toContain('        location = "/api" {');
    expect(conf).toContain('            set $service_port   "http";');
    expect(conf).toContain('            proxy_pass http://upstream_balancer;');
    expect(conf).toContain('        # certificate: Secret default/shop-tls');
  });

  it('get ingress: NAME CLASS HOSTS ADDRESS PORTS AGE', () => {
    const r = kubewire('get', 'ingress', shop);
    expect(r.out.split('\n')[0].split(/\s+/)).toEqual([
      'NAME',
      'CLASS',
      'HOSTS',
      'ADDRESS',
      'PORTS',
      'AGE',
    ]);
    expect(r.out).toMatch(/\nfallback +nginx +\* +192\.168\.1\.1[01] +80 +\d+s\n/);
    expect(r.out).toMatch(/\nshop +nginx +shop\.example\.com +192\.168\.1\.1[01] +80, 443 +\d+s\n/);
    expect(kubewire('get', 'ing', shop, '-n', 'kube-system').err).toBe(
      'No resources found in kube-system namespace.\n',
    );
  });

  it('refuses ingress on a scenario without Ingresses, and a --path that is not a path', () => {
    const none = kubewire('ingress', same, '--host', 'x', '--path', '/');
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/this scenario has no Ingress/);
    const bad = kubewire('ingress', shop, '--host', 'x', '--path', 'api');
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('kubewire: --path must start with /, not "api"\n');
  });
});

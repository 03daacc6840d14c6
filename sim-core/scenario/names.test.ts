import { describe, expect, it } from 'vitest';
import {
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  labelKeyProblem,
  labelValueProblem,
  portNameProblem,
} from './names.ts';
import { closest, didYouMean, editDistance } from './suggest.ts';

describe('Kubernetes names', () => {
  it('DNS-1123 labels', () => {
    for (const ok of ['a', 'node-1', '0abc', 'x'.repeat(63)])
      expect(dns1123LabelProblem(ok)).toBeUndefined();
    for (const bad of ['', 'Node', 'node_1', '-a', 'a-', 'a.b', 'x'.repeat(64)]) {
      expect(dns1123LabelProblem(bad)).toBeDefined();
    }
  });
  it('DNS-1123 subdomains', () => {
    for (const ok of ['web', 'web-0.v1', 'cluster.local'])
      expect(dns1123SubdomainProblem(ok)).toBeUndefined();
    for (const bad of ['Web', 'a..b', '.a', 'a.', 'x'.repeat(254)])
      expect(dns1123SubdomainProblem(bad)).toBeDefined();
  });
  it('label keys and values', () => {
    for (const ok of ['app', 'app.kubernetes.io/name', 'A_b.c'])
      expect(labelKeyProblem(ok)).toBeUndefined();
    for (const bad of ['-a', 'Bad_Prefix/x', 'a/', 'x'.repeat(64)])
      expect(labelKeyProblem(bad)).toBeDefined();
    for (const ok of ['', 'v1', 'a-b_c.d']) expect(labelValueProblem(ok)).toBeUndefined();
    for (const bad of ['-a', 'a b', 'x'.repeat(64)]) expect(labelValueProblem(bad)).toBeDefined();
  });
  it('port names', () => {
    for (const ok of ['http', 'dns-tcp', 'h2c']) expect(portNameProblem(ok)).toBeUndefined();
    expect(portNameProblem('8080')).toBe('must contain at least one letter');
    expect(portNameProblem('a--b')).toBe("must not contain two '-' in a row");
    expect(portNameProblem('x'.repeat(16))).toBe('must be no more than 15 characters');
    expect(portNameProblem('Web')).toBeDefined();
  });
});

describe('suggestions', () => {
  it('counts a swap of neighbours as one edit, ignoring case', () => {
    expect(editDistance('spce', 'spec')).toBe(1);
    expect(editDistance('nodename', 'nodeName')).toBe(0);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
  it('suggests only plausible typos', () => {
    expect(closest('contianers', ['containers', 'nodeName'])).toBe('containers');
    expect(closest('x', ['ip', 'name'])).toBeUndefined();
    expect(didYouMean('pnig', ['ping', 'connect'])).toBe("; did you mean 'ping'?");
    expect(didYouMean('curl', ['ping', 'connect'])).toBe('');
  });
});

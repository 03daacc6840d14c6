import { describe, expect, it } from 'vitest';
import { createRng } from '../../engine/rng';
import { computeHash, fnv32a, podsFor, replicaSetFor, type DeploymentView } from './deployment';
import { labelSelectorMatches } from './labels';

const web: DeploymentView = {
  namespace: 'default',
  name: 'web',
  replicas: 3,
  selector: { matchLabels: { app: 'web' } },
  template: {
    labels: { app: 'web' },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
  },
};

describe('Deployment → ReplicaSet → Pod names', () => {
  // FNV-1a 32-bit reference values (the published FNV test vectors): "" → 0x811c9dc5, "a" → 0xe40c292c.
  it('fnv32a is FNV-1a', () => {
    expect(fnv32a(new Uint8Array())).toBe(0x811c9dc5);
    expect(fnv32a(new TextEncoder().encode('a'))).toBe(0xe40c292c);
    expect(fnv32a(new TextEncoder().encode('foobar'))).toBe(0xbf9cf968);
  });

  it('the pod-template-hash has the real shape: SafeEncodeString of a decimal uint32', () => {
    const h = computeHash(web.template);
    expect(h).toMatch(/^[456789bcdf]{1,10}$/);
  });

  // Upstream: TestComputeHash (pkg/controller/controller_utils_test.go): the same template
  // with collision counts 1 and 2, or nil and MaxInt32, hashes differently.
  it('the collision count changes the hash', () => {
    expect(computeHash(web.template, 1)).not.toBe(computeHash(web.template, 2));
    expect(computeHash(web.template)).not.toBe(computeHash(web.template, 2147483647));
  });

  it('the hash follows the template, not the key order it was written in', () => {
    const reordered = { spec: web.template.spec, labels: { app: 'web' } };
    expect(computeHash(reordered)).toBe(computeHash(web.template));
    const changed = { ...web.template, labels: { app: 'web', v: '2' } };
    expect(computeHash(changed)).not.toBe(computeHash(web.template));
  });

  it('the ReplicaSet is <deployment>-<hash>, labelled and selecting with pod-template-hash', () => {
    const rs = replicaSetFor(web);
    expect(rs.name).toBe(`web-${rs.podTemplateHash}`);
    expect(rs.replicas).toBe(3);
    expect(rs.templateLabels).toEqual({ app: 'web', 'pod-template-hash': rs.podTemplateHash });
    expect(labelSelectorMatches(rs.selector, rs.templateLabels)).toBe(true);
    expect(labelSelectorMatches(rs.selector, { app: 'web', 'pod-template-hash': 'other' })).toBe(
      false,
    );
    expect(replicaSetFor({ ...web, replicas: undefined }).replicas).toBe(1);
  });

  it('pods are <replicaset>-<5 random characters>, distinct, from the seed', () => {
    const rs = replicaSetFor(web);
    const pods = podsFor(rs, createRng(4).fork('rs'));
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.name).toMatch(new RegExp(`^${rs.name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.labels['pod-template-hash']).toBe(rs.podTemplateHash);
    }
    expect(new Set(pods.map((p) => p.name)).size).toBe(3);
    expect(podsFor(rs, createRng(4).fork('rs')).map((p) => p.name)).toEqual(
      pods.map((p) => p.name),
    );
  });
});

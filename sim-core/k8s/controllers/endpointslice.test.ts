/**
 * Cases from k8s.io/endpointslice reconciler_test.go (v0.33), restated. Their
 * fixtures: Service "foo" in namespace "test" (UID "test-foo", selector
 * foo=bar, one TCP port named "foo" with targetPort 80, no ClusterIP);
 * newPod(n) is "pod<n>" on node-1 with IP 1.2.3.<4+n>, labels foo=bar;
 * newEmptyEndpointSlice(n) is "foo-<n>" owned by the Service, with the
 * Service's port and no endpoints or labels.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../engine/rng';
import type { EndpointSlice, Service } from '../api-types';
import { reconcileEndpointSlices, type ReconcileResult } from './endpointslice';
import { podToEndpoint, serviceOwnerReference } from './endpointslice-utils';
import type { PodView } from './pod-view';

const NS = 'test';

function newService(
  overrides: Partial<Service['spec']> = {},
  labels?: Record<string, string>,
): Service {
  return {
    metadata: { namespace: NS, name: 'foo', uid: 'test-foo', ...(labels ? { labels } : {}) },
    spec: {
      type: 'ClusterIP',
      selector: { foo: 'bar' },
      ports: [{ name: 'foo', protocol: 'TCP', port: 80, targetPort: 80 }],
      sessionAffinity: 'None',
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      ...overrides,
    },
  };
}

function newPod(n: number, ready: boolean, extra: Partial<PodView> = {}): PodView {
  return {
    namespace: NS,
    name: `pod${n}`,
    labels: { foo: 'bar' },
    ip: `1.2.3.${4 + n}`,
    nodeName: 'node-1',
    ready,
    terminating: false,
    containerPorts: [],
    ...extra,
  };
}

/** The upstream tests' 1/3-unready population: pod i is ready unless i % 3 == 0. */
function pods(count: number): PodView[] {
  return Array.from({ length: count }, (_, i) => newPod(i, i % 3 !== 0));
}

function newEmptyEndpointSlice(n: number, svc: Service): EndpointSlice {
  return {
    metadata: { namespace: NS, name: `foo-${n}`, ownerReferences: [serviceOwnerReference(svc)] },
    addressType: 'IPv4',
    ports: [{ name: 'foo', protocol: 'TCP', port: 80 }],
    endpoints: [],
  };
}

function withEndpoints(slice: EndpointSlice, ps: readonly PodView[], svc: Service): EndpointSlice {
  return { ...slice, endpoints: ps.map((p) => podToEndpoint(p, svc)) };
}

function run(svc: Service, ps: readonly PodView[], existing: EndpointSlice[] = [], max?: number) {
  return reconcileEndpointSlices({
    service: svc,
    pods: ps,
    existing,
    rng: createRng(42).fork('endpointslice'),
    ...(max !== undefined ? { maxEndpointsPerSlice: max } : {}),
  });
}

const actions = (r: ReconcileResult) => r.changes.map((c) => c.action);
const lengths = (r: ReconcileResult) =>
  r.slices.map((s) => s.endpoints.length).sort((a, b) => a - b);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

describe('EndpointSlice reconciler', () => {
  // TestReconcileEmpty
  it('creates a placeholder slice for a Service with no pods', () => {
    const r = run(newService(), []);
    expect(actions(r)).toEqual(['create']);
    const s = r.slices[0];
    expect(s.metadata.name).toMatch(/^foo-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(s.metadata.labels?.['kubernetes.io/service-name']).toBe('foo');
    expect(s.ports).toEqual([]);
    expect(s.endpoints).toEqual([]);
  });

  // TestReconcile1Pod: "ipv4", "ipv4-clusterip", "ipv4-labels", "ipv4-bad-labels".
  describe('one pod, no slices', () => {
    const pod1 = newPod(1, true, { hostname: 'example-hostname', zone: 'us-central1-a' });
    const endpoint = {
      addresses: ['1.2.3.5'],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: 'node-1',
      zone: 'us-central1-a',
      targetRef: { kind: 'Pod', namespace: NS, name: 'pod1' },
    };

    it('a Service without a ClusterIP: the endpoint, and the headless label', () => {
      const r = run(newService(), [pod1]);
      expect(actions(r)).toEqual(['create']);
      expect(r.slices[0].endpoints).toEqual([endpoint]);
      expect(r.slices[0].addressType).toBe('IPv4');
      expect(r.slices[0].metadata.labels).toEqual({
        'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
        'kubernetes.io/service-name': 'foo',
        'service.kubernetes.io/headless': '',
      });
    });

    it('with ClusterIP 1.1.1.1: no headless label', () => {
      const r = run(newService({ clusterIP: '1.1.1.1' }), [pod1]);
      expect(r.slices[0].metadata.labels).toEqual({
        'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
        'kubernetes.io/service-name': 'foo',
      });
    });

    it("the Service's labels are copied; reserved ones it carries are ignored", () => {
      const labelled = run(newService({}, { foo: 'bar' }), [pod1]);
      expect(labelled.slices[0].metadata.labels?.foo).toBe('bar');
      const bad = run(
        newService(
          {},
          {
            'kubernetes.io/service-name': 'bad',
            'endpointslice.kubernetes.io/managed-by': 'actor',
            'service.kubernetes.io/headless': 'invalid',
          },
        ),
        [pod1],
      );
      expect(bad.slices[0].metadata.labels).toEqual({
        'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
        'kubernetes.io/service-name': 'foo',
        'service.kubernetes.io/headless': '',
      });
    });
  });

  // TestReconcile1EndpointSlice
  describe('no pods, one existing slice', () => {
    const svc = newService();
    it('an identical placeholder is left alone', () => {
      const placeholder = run(svc, []).slices[0];
      const r = run(svc, [], [placeholder]);
      expect(r.changes).toEqual([]);
      expect(r.slices).toHaveLength(1);
    });
    it('a different empty slice is turned into the placeholder by one update', () => {
      const empty: EndpointSlice = {
        ...newEmptyEndpointSlice(1, svc),
        metadata: { ...newEmptyEndpointSlice(1, svc).metadata, labels: { bar: 'baz' } },
      };
      const r = run(svc, [], [empty]);
      expect(actions(r)).toEqual(['update']);
      expect(r.slices).toHaveLength(1);
      expect(r.slices[0].metadata.name).toBe('foo-1');
      expect(r.slices[0].ports).toEqual([]);
    });
  });

  // TestReconcileManyPods
  it('250 pods make 3 new slices of 100, 100 and 50', () => {
    const r = run(newService(), pods(250));
    expect(actions(r)).toEqual(['create', 'create', 'create']);
    expect(lengths(r)).toEqual([50, 100, 100]);
  });

  // TestReconcileEndpointSlicesSomePreexisting
  it('62 and 61 already placed: 100 go to a new slice, the 27 left top up the first (89)', () => {
    const svc = newService();
    const all = pods(250);
    const s1 = withEndpoints(
      newEmptyEndpointSlice(1, svc),
      all.filter((_, i) => i % 4 === 1 && i < 246),
      svc,
    );
    const s2 = withEndpoints(
      newEmptyEndpointSlice(2, svc),
      all.filter((_, i) => i % 4 === 3 && i < 246),
      svc,
    );
    expect([s1.endpoints.length, s2.endpoints.length]).toEqual([62, 61]);
    const r = run(svc, all, [s1, s2]);
    expect(actions(r)).toEqual(['create', 'update']);
    expect(lengths(r)).toEqual(sorted([89, 61, 100]));
    expect(r.changes[1].slice.metadata.name).toBe('foo-1');
    expect(r.unchanged).toEqual(['foo-2']);
  });

  // TestReconcileEndpointSlicesSomePreexistingWorseAllocation
  it('74 and 74 placed of 300: the 52 left fit neither, so two creates (100, 52)', () => {
    const svc = newService();
    const all = pods(300);
    const s1 = withEndpoints(
      newEmptyEndpointSlice(1, svc),
      all.filter((_, i) => i % 4 === 1 && i < 296),
      svc,
    );
    const s2 = withEndpoints(
      newEmptyEndpointSlice(2, svc),
      all.filter((_, i) => i % 4 === 3 && i < 296),
      svc,
    );
    const r = run(svc, all, [s1, s2]);
    expect(actions(r)).toEqual(['create', 'create']);
    expect(lengths(r)).toEqual(sorted([74, 74, 100, 52]));
  });

  // TestReconcileEndpointSlicesUpdating
  it('a targetPort change rewrites the 3 slices as 3 updates, not creates and deletes', () => {
    const first = run(newService(), pods(250));
    const svc = newService({ ports: [{ name: 'foo', protocol: 'TCP', port: 80, targetPort: 81 }] });
    const r = run(svc, pods(250), [...first.slices]);
    expect(actions(r)).toEqual(['update', 'update', 'update']);
    expect(lengths(r)).toEqual([50, 100, 100]);
    for (const s of r.slices) expect(s.ports).toEqual([{ name: 'foo', protocol: 'TCP', port: 81 }]);
  });

  // TestReconcileEndpointSlicesServicesLabelsUpdating, ...ServicesReservedLabels
  it('new Service labels update every slice; reserved labels on the Service change nothing', () => {
    const first = run(newService(), pods(250));
    const relabelled = run(newService({}, { foo: 'bar' }), pods(250), [...first.slices]);
    expect(actions(relabelled)).toEqual(['update', 'update', 'update']);
    for (const s of relabelled.slices) expect(s.metadata.labels?.foo).toBe('bar');
    const reserved = run(
      newService(
        {},
        {
          'kubernetes.io/service-name': 'bad',
          'endpointslice.kubernetes.io/managed-by': 'actor',
          'service.kubernetes.io/headless': 'invalid',
        },
      ),
      pods(250),
      [...first.slices],
    );
    expect(reserved.changes).toEqual([]);
  });

  // TestReconcileEndpointSlicesRecycling
  it('10 slices of 30: no-op sync, then a port change repacks into 3 updates + 7 deletes', () => {
    const svc = newService();
    const all = pods(300);
    const existing = Array.from({ length: 10 }, (_, n) =>
      withEndpoints(newEmptyEndpointSlice(n, svc), all.slice(n * 30, n * 30 + 30), svc),
    );
    expect(run(svc, all, existing).changes).toEqual([]);
    const moved = newService({
      ports: [{ name: 'foo', protocol: 'TCP', port: 80, targetPort: 81 }],
    });
    const r = run(moved, all, existing);
    expect(actions(r).filter((a) => a === 'update')).toHaveLength(3);
    expect(actions(r).filter((a) => a === 'delete')).toHaveLength(7);
    expect(r.changes).toHaveLength(10);
    expect(lengths(r)).toEqual([100, 100, 100]);
  });

  // TestReconcileEndpointSlicesUpdatePacking
  it('new endpoints go to the fuller of the slices already being updated (80+15=95, 20)', () => {
    const svc = newService();
    const inFirst = Array.from({ length: 80 }, (_, i) => newPod(i, true));
    const inSecond = Array.from({ length: 20 }, (_, i) => newPod(100 + i, true));
    const s1 = withEndpoints(newEmptyEndpointSlice(1, svc), inFirst, svc);
    const s2 = withEndpoints(newEmptyEndpointSlice(2, svc), inSecond, svc);
    // Every 10th pod (by position) turns unready, so both slices are updated.
    const now = [...inFirst, ...inSecond].map((p, i) =>
      i % 10 === 0 ? { ...p, ready: false } : p,
    );
    const extra = Array.from({ length: 15 }, (_, i) => newPod(200 + i, true));
    const r = run(svc, [...now, ...extra], [s1, s2]);
    expect(actions(r)).toEqual(['update', 'update']);
    expect(lengths(r)).toEqual([20, 95]);
  });

  // TestReconcileEndpointSlicesRecreation
  it('a slice of an older Service with the same name is replaced; our own is kept', () => {
    const svc = newService();
    const pod = newPod(1, true);
    const ours = withEndpoints(newEmptyEndpointSlice(1, svc), [pod], svc);
    expect(run(svc, [pod], [ours]).changes).toEqual([]);
    const theirs: EndpointSlice = {
      ...ours,
      metadata: {
        ...ours.metadata,
        ownerReferences: [{ ...serviceOwnerReference(svc), uid: 'different' }],
      },
    };
    const r = run(svc, [pod], [theirs]);
    expect(actions(r)).toEqual(['create', 'delete']);
    expect(r.slices).toHaveLength(1);
    expect(r.slices[0].metadata.name).not.toBe('foo-1');
  });

  // TestReconcileEndpointSlicesNamedPorts
  it('a named targetPort resolving to 5 numbers splits 300 pods into 5 slices of 60', () => {
    const svc: Service = {
      ...newService({ ports: [{ protocol: 'TCP', port: 80, targetPort: 'http' }] }),
      metadata: { namespace: NS, name: 'named-port-example', uid: 'u' },
    };
    const all = Array.from({ length: 300 }, (_, i) =>
      newPod(i, i % 3 !== 0, {
        containerPorts: [{ name: 'http', containerPort: 8080 + (i % 5), protocol: 'TCP' }],
      }),
    );
    const r = run(svc, all);
    expect(actions(r)).toEqual(['create', 'create', 'create', 'create', 'create']);
    expect(lengths(r)).toEqual([60, 60, 60, 60, 60]);
    const ports = r.slices.map((s) => s.ports).sort((a, b) => a[0].port - b[0].port);
    expect(ports).toEqual(
      [8080, 8081, 8082, 8083, 8084].map((port) => [{ name: '', protocol: 'TCP', port }]),
    );
  });

  // TestReconcileMaxEndpointsPerSlice
  it.each([
    [50, [50, 50, 50, 50, 50]],
    [80, [80, 80, 80, 10]],
    [150, [150, 100]],
    [250, [250]],
    [500, [250]],
  ])('maxEndpointsPerSlice %i splits 250 pods as %j', (max, want) => {
    expect(lengths(run(newService(), pods(250), [], max))).toEqual(sorted(want));
  });
});

describe('EndpointSlice reconciler, incremental updates', () => {
  const svc = newService({ clusterIP: '10.96.0.20' });

  it('a pod turning unready updates only its slice, in place, with ready/serving false', () => {
    const first = run(svc, pods(150));
    const [a, b] = first.slices;
    const victim = b.endpoints[0].targetRef?.name;
    const now = pods(150).map((p) => (p.name === victim ? { ...p, ready: false } : p));
    const r = run(svc, now, [...first.slices]);
    expect(actions(r)).toEqual(['update']);
    expect(r.changes[0].slice.metadata.name).toBe(b.metadata.name);
    expect(r.unchanged).toEqual([a.metadata.name]);
    const ep = r.changes[0].slice.endpoints.find((e) => e.targetRef?.name === victim);
    expect(ep?.conditions).toEqual({ ready: false, serving: false, terminating: false });
  });

  it('a terminating pod stays listed, terminating and not ready', () => {
    const first = run(svc, [newPod(1, true)]);
    const r = run(svc, [newPod(1, true, { terminating: true })], [...first.slices]);
    expect(actions(r)).toEqual(['update']);
    expect(r.slices[0].endpoints[0].conditions).toEqual({
      ready: false,
      serving: true,
      terminating: true,
    });
  });

  it('a deleted pod leaves its slice; an emptied slice is deleted; Failed pods are dropped', () => {
    const first = run(svc, pods(101));
    const small = first.slices.find((s) => s.endpoints.length === 1) as EndpointSlice;
    const gone = small.endpoints[0].targetRef?.name;
    const r = run(
      svc,
      pods(101).filter((p) => p.name !== gone),
      [...first.slices],
    );
    expect(actions(r)).toEqual(['delete']);
    expect(r.changes[0].slice.metadata.name).toBe(small.metadata.name);
    expect(lengths(r)).toEqual([100]);
    const failed = run(
      svc,
      pods(101).map((p) => (p.name === gone ? { ...p, phase: 'Failed' as const } : p)),
      [...first.slices],
    );
    expect(actions(failed)).toEqual(['delete']);
  });

  it('a new pod joins an unchanged slice that has room rather than a new one', () => {
    const first = run(svc, pods(150));
    const r = run(svc, [...pods(150), newPod(500, true)], [...first.slices]);
    expect(actions(r)).toEqual(['update']);
    expect(lengths(r)).toEqual([51, 100]);
  });

  it('only pods the selector picks, in the Service namespace, become endpoints', () => {
    const r = run(svc, [
      newPod(1, true),
      newPod(2, true, { labels: { foo: 'baz' } }),
      newPod(3, true, { namespace: 'other' }),
      newPod(4, true, { ip: undefined }),
    ]);
    expect(r.slices[0].endpoints.map((e) => e.targetRef?.name)).toEqual(['pod1']);
  });

  it('names new slices from the seed, the same every run', () => {
    const names = (seed: number) =>
      reconcileEndpointSlices({
        service: svc,
        pods: pods(250),
        existing: [],
        rng: createRng(seed),
      }).slices.map((s) => s.metadata.name);
    expect(names(1)).toEqual(names(1));
    expect(new Set(names(1)).size).toBe(3);
  });
});

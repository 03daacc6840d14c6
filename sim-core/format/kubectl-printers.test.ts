/**
 * kubectl get's rows against the API server's own printer tests
 * (kubernetes pkg/printers/internalversion/printers_test.go), the upstream
 * inputs restated as Kubewire's objects; rows printed without headers through
 * kubectl's table writer, as the upstream tests print them.
 */
import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Service, ServiceSpec } from '../k8s/api-types.ts';
import {
  printEndpointSlice,
  printPod,
  printReplicaSet,
  printService,
  type PodView,
} from './kubectl-printers.ts';
import { KUBECTL_GET, tabwrite } from './tabwriter.ts';

const s = 1_000_000;
const NOW = 1_000_000 * s;
const opts = { wide: false, nowUs: NOW };
const noHeaders = (cells: readonly string[]) => tabwrite(`${cells.join('\t')}\n`, KUBECTL_GET);

const spec = (over: Partial<ServiceSpec>): ServiceSpec => ({
  type: 'ClusterIP',
  ports: [],
  sessionAffinity: 'None',
  externalTrafficPolicy: 'Cluster',
  internalTrafficPolicy: 'Cluster',
  ...over,
});
const svc = (name: string, over: Partial<ServiceSpec>, ingress?: string[]): Service => ({
  metadata: { namespace: 'default', name },
  spec: spec(over),
  ...(ingress ? { loadBalancerIngress: ingress } : {}),
});
const tcp = (port: number, nodePort?: number) => ({
  protocol: 'TCP' as const,
  port,
  targetPort: port,
  ...(nodePort ? { nodePort } : {}),
});

describe('printService (TestPrintService)', () => {
  // Upstream's services have no creationTimestamp: AGE is <unknown>. Upstream writes the
  // protocol "tcp"; the API server only stores TCP/UDP/SCTP, so ours print /TCP.
  const cases: [Service, string][] = [
    [
      svc('test1', { ports: [tcp(2233)], clusterIP: '10.9.8.7' }),
      'test1   ClusterIP   10.9.8.7   <none>   2233/TCP   <unknown>\n',
    ],
    [
      svc('test2', { type: 'NodePort', ports: [tcp(8888, 9999)], clusterIP: '10.9.8.7' }),
      'test2   NodePort   10.9.8.7   <none>   8888:9999/TCP   <unknown>\n',
    ],
    [
      svc('test3', { type: 'LoadBalancer', ports: [tcp(8888)], clusterIP: '10.9.8.7' }),
      'test3   LoadBalancer   10.9.8.7   <pending>   8888/TCP   <unknown>\n',
    ],
    [
      svc('test4', {
        type: 'LoadBalancer',
        ports: [tcp(8888)],
        clusterIP: '10.9.8.7',
        externalIPs: ['80.11.12.10'],
      }),
      'test4   LoadBalancer   10.9.8.7   80.11.12.10   8888/TCP   <unknown>\n',
    ],
    [
      svc(
        'test5',
        {
          type: 'LoadBalancer',
          ports: [tcp(8888)],
          clusterIP: '10.9.8.7',
          externalIPs: ['80.11.12.10'],
        },
        ['3.4.5.6'],
      ),
      'test5   LoadBalancer   10.9.8.7   3.4.5.6,80.11.12.10   8888/TCP   <unknown>\n',
    ],
    [
      svc(
        'test6',
        {
          type: 'LoadBalancer',
          ports: [tcp(8888)],
          clusterIP: '10.9.8.7',
          externalIPs: ['80.11.12.10', '80.11.12.11'],
        },
        ['2.3.4.5', '3.4.5.6'],
      ),
      'test6   LoadBalancer   10.9.8.7   2.3.4.5,3.4.5.6,80.11.12.10,80.11.12.11   8888/TCP   <unknown>\n',
    ],
    [
      svc('test7', { type: 'ExternalName', externalName: 'my.database.example.com' }),
      'test7   ExternalName   <none>   my.database.example.com   <none>   <unknown>\n',
    ],
  ];
  for (const [service, want] of cases)
    it(service.metadata.name, () =>
      expect(noHeaders(printService(service, undefined, opts))).toBe(want),
    );

  it('-o wide adds the selector as labels.FormatLabels prints it', () => {
    const web = svc('web', {
      ports: [tcp(80)],
      clusterIP: '10.96.0.50',
      selector: { tier: 'f', app: 'web' },
    });
    expect(printService(web, NOW - 3 * s, { ...opts, wide: true })).toEqual([
      'web',
      'ClusterIP',
      '10.96.0.50',
      '<none>',
      '80/TCP',
      '3s',
      'app=web,tier=f',
    ]);
    expect(
      printService(svc('x', { ports: [tcp(80)], clusterIP: 'None' }), NOW, { ...opts, wide: true }),
    ).toEqual(['x', 'ClusterIP', 'None', '<none>', '80/TCP', '0s', '<none>']);
  });
});

describe('printEndpointSlice (TestPrintEndpointSlice)', () => {
  const slice = (name: string, ports: [string, number][], addrs: string[][]): EndpointSlice => ({
    metadata: { namespace: 'default', name },
    addressType: 'IPv4',
    ports: ports.map(([n, port]) => ({ name: n, protocol: 'TCP', port })),
    endpoints: addrs.map((addresses) => ({
      addresses,
      conditions: { ready: true, serving: true, terminating: false },
    })),
  });
  // Upstream's address type is "IP" and its addresses mix families; ours are IPv4 slices.
  it('one port, one endpoint, created 1.9 s in the future: 0s', () => {
    const row = printEndpointSlice(
      slice('abcslice.123', [['http', 80]], [['10.1.2.3', '10.1.2.4']]),
      NOW + 1.9 * s,
      opts,
    );
    expect(row).toEqual(['abcslice.123', 'IPv4', '80', '10.1.2.3,10.1.2.4', '0s']);
  });
  it('four addresses: the first three and "+ 1 more..."; 5 minutes old', () => {
    const row = printEndpointSlice(
      slice(
        'longerslicename.123',
        [
          ['http', 80],
          ['https', 443],
        ],
        [
          ['10.1.2.3', '10.1.2.4'],
          ['10.2.3.4', '10.2.3.5'],
        ],
      ),
      NOW - 300 * s,
      opts,
    );
    expect(noHeaders(row)).toBe(
      'longerslicename.123   IPv4   80,443   10.1.2.3,10.1.2.4,10.2.3.4 + 1 more...   5m\n',
    );
  });
  it('four ports: "80,443,3000 + 1 more..."', () => {
    const row = printEndpointSlice(
      slice(
        'multiportslice.123',
        [
          ['http', 80],
          ['https', 443],
          ['extra1', 3000],
          ['extra2', 3001],
        ],
        [
          ['10.1.2.3', '10.1.2.4'],
          ['10.2.3.4', '10.2.3.5'],
        ],
      ),
      NOW - 300 * s,
      opts,
    );
    expect(row.slice(2, 4)).toEqual([
      '80,443,3000 + 1 more...',
      '10.1.2.3,10.1.2.4,10.2.3.4 + 1 more...',
    ]);
  });
  it('no endpoints: <unset> (listWithMoreString)', () => {
    expect(printEndpointSlice(slice('empty', [['http', 80]], []), NOW, opts)[3]).toBe('<unset>');
  });
});

describe('printPod (TestPrintPod, TestPrintPodwide, TestPrintNonTerminatedPod)', () => {
  const running = { ready: true, restartCount: 3, state: 'running' as const };
  const pod = (over: Partial<PodView>): PodView => ({
    namespace: 'default',
    name: 'test1',
    phase: 'Running',
    specContainers: 2,
    containers: [running, { ready: false, restartCount: 3, state: 'running' }],
    podReady: false,
    ...over,
  });
  it('one of two containers ready, restarts summed, no creation time', () => {
    expect(printPod(pod({ phase: 'Pending', name: 'test2' }), opts)).toEqual([
      'test2',
      '1/2',
      'Pending',
      '6',
      '<unknown>',
    ]);
    expect(printPod(pod({}), opts)).toEqual(['test1', '1/2', 'Running', '6', '<unknown>']);
  });
  it('a waiting container’s reason is the status; -o wide with no IP or node prints <none>', () => {
    const p = pod({
      name: 'test2',
      phase: 'Pending',
      containers: [
        running,
        { ready: false, restartCount: 3, state: 'waiting', reason: 'ContainerWaitingReason' },
      ],
    });
    expect(printPod(p, { ...opts, wide: true })).toEqual([
      'test2',
      '1/2',
      'ContainerWaitingReason',
      '6',
      '<unknown>',
      '<none>',
      '<none>',
      '<none>',
      '<none>',
    ]);
  });
  it('-o wide: IP and node', () => {
    const p = pod({ podIP: '1.1.1.1', nodeName: 'test1' });
    expect(printPod(p, { ...opts, wide: true }).slice(5, 7)).toEqual(['1.1.1.1', 'test1']);
  });
  it('restarts with a last termination: "N (AGE ago)"', () => {
    const p = pod({
      createdUs: NOW - 3600 * s,
      containers: [
        { ready: true, restartCount: 3, state: 'running', lastTerminatedUs: NOW - 10 * s },
      ],
      specContainers: 1,
    });
    expect(printPod(p, opts)).toEqual(['test1', '1/1', 'Running', '3 (10s ago)', '60m']);
  });
});

describe('printReplicaSet (TestPrintReplicaSet)', () => {
  it('desired 5, current 5, ready 2, created 1.9 s ahead; wide adds containers, images, selector', () => {
    const rs = {
      name: 'test1',
      createdUs: NOW + 1.9 * s,
      replicas: 5,
      current: 5,
      ready: 2,
      containers: [
        { name: 'fake-container1', image: 'fake-image1' },
        { name: 'fake-container2', image: 'fake-image2' },
      ],
      selector: 'foo=bar',
    };
    expect(noHeaders(printReplicaSet(rs, opts))).toBe('test1   5     5     2     0s\n');
    expect(noHeaders(printReplicaSet(rs, { ...opts, wide: true }))).toBe(
      'test1   5     5     2     0s    fake-container1,fake-container2   fake-image1,fake-image2   foo=bar\n',
    );
  });
});

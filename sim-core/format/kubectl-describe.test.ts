/**
 * `kubectl describe endpointslice` against kubectl's own
 * describe_test.go TestDescribeEndpointSlice: slice foo.123 in bar, IPv4,
 * one unnamed port 80/TCP, two endpoints (1.2.3.4+1.2.3.5 on node-1, zone
 * us-central1-a, pod test-123; 1.2.3.6+1.2.3.7 on node-2, no zone, pod
 * test-124), both ready; the expected text is upstream's.
 */
import { describe, expect, it } from 'vitest';
import type { EndpointSlice } from '../k8s/api-types.ts';
import { describeEndpointSlice, describeEndpointSlices } from './kubectl-describe.ts';

const ready = { ready: true, serving: true, terminating: false };
const slice: EndpointSlice = {
  metadata: { namespace: 'bar', name: 'foo.123' },
  addressType: 'IPv4',
  endpoints: [
    {
      addresses: ['1.2.3.4', '1.2.3.5'],
      conditions: ready,
      targetRef: { kind: 'Pod', namespace: 'bar', name: 'test-123' },
      zone: 'us-central1-a',
      nodeName: 'node-1',
    },
    {
      addresses: ['1.2.3.6', '1.2.3.7'],
      conditions: ready,
      targetRef: { kind: 'Pod', namespace: 'bar', name: 'test-124' },
      nodeName: 'node-2',
    },
  ],
  ports: [{ name: '', protocol: 'TCP', port: 80 }],
};

const UPSTREAM = `Name:         foo.123
Namespace:    bar
Labels:       <none>
Annotations:  <none>
AddressType:  IPv4
Ports:
  Name     Port  Protocol
  ----     ----  --------
  <unset>  80    TCP
Endpoints:
  - Addresses:  1.2.3.4, 1.2.3.5
    Conditions:
      Ready:    true
    Hostname:   <unset>
    TargetRef:  Pod/test-123
    NodeName:   node-1
    Zone:       us-central1-a
  - Addresses:  1.2.3.6, 1.2.3.7
    Conditions:
      Ready:    true
    Hostname:   <unset>
    TargetRef:  Pod/test-124
    NodeName:   node-2
    Zone:       <unset>
Events:         <none>
`;

describe('describeEndpointSlice', () => {
  it('TestDescribeEndpointSlice', () => {
    expect(describeEndpointSlice(slice)).toBe(UPSTREAM);
  });

  it('labels one a line under each other, sorted (printLabelsMultiline); no endpoints: <none>', () => {
    const out = describeEndpointSlice({
      ...slice,
      metadata: { ...slice.metadata, labels: { 'kubernetes.io/service-name': 'web', a: 'b' } },
      endpoints: [],
    });
    expect(out).toContain('Labels:       a=b\n              kubernetes.io/service-name=web\n');
    expect(out).toContain('\nEndpoints: <none>\nEvents:  <none>\n');
  });

  it('several slices are separated by a blank line, as kubectl describe separates objects', () => {
    expect(describeEndpointSlices([slice, slice])).toBe(`${UPSTREAM}\n\n${UPSTREAM}`);
  });
});

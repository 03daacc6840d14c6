import { describe, expect, it } from 'vitest';
import { createRng } from '../../engine/rng';
import type { Service, ServiceSpec } from '../api-types';
import { ClusterIPAllocator } from './cluster-ip';
import { DEFAULT_NODE_PORT_RANGE, NodePortAllocator } from './node-port';
import { allocateServiceCreate, releaseService } from './service-alloc';
import { ServiceStatusError, kubectlErrorMessage } from './service-errors';

function allocators() {
  const rng = createRng(9);
  return {
    clusterIPs: new ClusterIPAllocator('10.96.0.0/12', rng.fork('ip')),
    nodePorts: new NodePortAllocator(DEFAULT_NODE_PORT_RANGE, rng.fork('port')),
  };
}

function svc(name: string, spec: Partial<ServiceSpec>): Service {
  return {
    metadata: { namespace: 'default', name },
    spec: {
      type: 'ClusterIP',
      selector: { app: name },
      ports: [{ protocol: 'TCP', port: 80, targetPort: 8080 }],
      sessionAffinity: 'None',
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      ...spec,
    },
  };
}

function refusal(f: () => unknown): ServiceStatusError {
  try {
    f();
  } catch (e) {
    if (e instanceof ServiceStatusError) return e;
    throw e;
  }
  throw new Error('expected the API server to refuse');
}

describe('allocateServiceCreate', () => {
  it('allocates a ClusterIP; honours an explicit one; headless and ExternalName get none', () => {
    const a = allocators();
    const web = allocateServiceCreate(svc('web', {}), a);
    expect(web.spec.clusterIP).toMatch(/^10\.(9[6-9]|10\d|11[01])\./);
    expect(allocateServiceCreate(svc('dns', { clusterIP: '10.96.0.10' }), a).spec.clusterIP).toBe(
      '10.96.0.10',
    );
    expect(allocateServiceCreate(svc('db', { clusterIP: 'None' }), a).spec.clusterIP).toBe('None');
    const ext = allocateServiceCreate(
      svc('ext', { type: 'ExternalName', externalName: 'example.com' }),
      a,
    );
    expect(ext.spec.clusterIP).toBeUndefined();
    expect(a.clusterIPs.used()).toBe(2);
  });

  // The kubectl text from the task brief, as the storage's allocIPs words it.
  it('refuses a taken ClusterIP with the API server and kubectl texts', () => {
    const a = allocators();
    allocateServiceCreate(svc('other', { clusterIP: '10.97.0.1' }), a);
    const err = refusal(() => allocateServiceCreate(svc('web', { clusterIP: '10.97.0.1' }), a));
    expect(err.reason).toBe('Invalid');
    expect(err.code).toBe(422);
    expect(err.message).toBe(
      'Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.97.0.1"}: failed to allocate IP 10.97.0.1: provided IP is already allocated',
    );
    expect(kubectlErrorMessage(err)).toBe(
      'The Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.97.0.1"}: failed to allocate IP 10.97.0.1: provided IP is already allocated',
    );
  });

  // With the ServiceCIDR allocator (1.33's default) an address outside the CIDR has no allocator.
  it('refuses an address outside the service CIDR', () => {
    const err = refusal(() =>
      allocateServiceCreate(svc('web', { clusterIP: '192.168.0.1' }), allocators()),
    );
    expect(err.message).toBe(
      'Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"192.168.0.1"}: failed to allocate IP 192.168.0.1: the provided network does not match the current range',
    );
  });

  it('NodePort: allocates from the dynamic band, honours a requested port, refuses a taken one', () => {
    const a = allocators();
    const np = allocateServiceCreate(svc('web', { type: 'NodePort' }), a);
    expect(np.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30086);
    const fixed = allocateServiceCreate(
      svc('fixed', {
        type: 'NodePort',
        ports: [{ protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }],
      }),
      a,
    );
    expect(fixed.spec.ports[0].nodePort).toBe(30080);
    const usedIPs = a.clusterIPs.used();
    const err = refusal(() =>
      allocateServiceCreate(
        svc('again', {
          type: 'NodePort',
          ports: [
            { name: 'a', protocol: 'TCP', port: 81, targetPort: 81 },
            { name: 'b', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 },
          ],
        }),
        a,
      ),
    );
    expect(err.message).toBe(
      'Service "again" is invalid: spec.ports[1].nodePort: Invalid value: 30080: provided port is already allocated',
    );
    // The refused create gave back its ClusterIP and the nodePort of ports[0].
    expect(a.clusterIPs.used()).toBe(usedIPs);
    expect(a.nodePorts.used()).toBe(2);
  });

  it('refuses a nodePort outside 30000-32767 with the range in the text', () => {
    const err = refusal(() =>
      allocateServiceCreate(
        svc('web', {
          type: 'NodePort',
          ports: [{ protocol: 'TCP', port: 80, targetPort: 80, nodePort: 8080 }],
        }),
        allocators(),
      ),
    );
    expect(err.message).toBe(
      'Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
  });

  it('ports sharing a port number (DNS over TCP and UDP) share one nodePort', () => {
    const dns = allocateServiceCreate(
      svc('dns', {
        type: 'NodePort',
        ports: [
          { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
          { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
        ],
      }),
      allocators(),
    );
    expect(dns.spec.ports[0].nodePort).toBe(dns.spec.ports[1].nodePort);
  });

  it('healthCheckNodePort only for LoadBalancer with externalTrafficPolicy Local', () => {
    const a = allocators();
    const lb = allocateServiceCreate(
      svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }),
      a,
    );
    expect(lb.spec.healthCheckNodePort).toBeGreaterThanOrEqual(30086);
    expect(lb.spec.healthCheckNodePort).not.toBe(lb.spec.ports[0].nodePort);
    const np = allocateServiceCreate(
      svc('np', { type: 'NodePort', externalTrafficPolicy: 'Local' }),
      a,
    );
    expect(np.spec.healthCheckNodePort).toBeUndefined();
    releaseService(lb, a);
    releaseService(np, a);
    expect(a.nodePorts.used()).toBe(0);
    expect(a.clusterIPs.used()).toBe(0);
  });
});

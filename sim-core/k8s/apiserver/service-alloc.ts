/**
 * What the API server's Service storage fills in on create
 * (pkg/registry/core/service/storage/alloc.go, single-stack IPv4):
 *
 * 1. ClusterIP: none for ExternalName or `clusterIP: None` (headless); a
 *    requested address is reserved or refused with
 *    `spec.clusterIPs: Invalid value: []string{"<ip>"}: failed to allocate IP <ip>: <why>`;
 *    otherwise one is allocated (an empty range is an InternalError,
 *    `failed to allocate a serviceIP: range is full`).
 * 2. NodePorts, for NodePort and LoadBalancer Services (allocateLoadBalancerNodePorts
 *    is taken as its default, true): ports sharing one `port` number (e.g. DNS
 *    on TCP and UDP 53) share one nodePort; a requested port is reserved or
 *    refused with `spec.ports[i].nodePort: Invalid value: <port>: <why>`.
 * 3. healthCheckNodePort, only when apiservice.NeedsHealthCheck: type
 *    LoadBalancer *and* externalTrafficPolicy Local (a NodePort Service with
 *    Local gets none).
 *
 * It is one transaction: when a later step fails, what earlier steps took is
 * given back.
 */
import type { Service, ServicePort } from '../api-types';
import { AllocatorError } from './allocator-errors';
import type { ClusterIPAllocator } from './cluster-ip';
import type { NodePortAllocator } from './node-port';
import { fieldInvalid, newInternalError, newInvalid } from './service-errors';

export interface ServiceAllocators {
  readonly clusterIPs: ClusterIPAllocator;
  readonly nodePorts: NodePortAllocator;
}

/** apiservice.NeedsHealthCheck. */
export function needsHealthCheck(svc: Service): boolean {
  return svc.spec.type === 'LoadBalancer' && svc.spec.externalTrafficPolicy === 'Local';
}

function needsNodePorts(svc: Service): boolean {
  return svc.spec.type === 'NodePort' || svc.spec.type === 'LoadBalancer';
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The Service as stored after create: clusterIP, nodePorts and
 * healthCheckNodePort filled in. Throws a ServiceStatusError (the API
 * server's words) and leaves the allocators as they were.
 */
export function allocateServiceCreate(svc: Service, alloc: ServiceAllocators): Service {
  const undo: (() => void)[] = [];
  const rollback = () => {
    for (const u of undo.reverse()) u();
  };
  const name = svc.metadata.name;
  try {
    let clusterIP = svc.spec.clusterIP;
    if (svc.spec.type !== 'ExternalName' && clusterIP !== 'None') {
      if (clusterIP === undefined || clusterIP === '') {
        try {
          clusterIP = alloc.clusterIPs.allocateNext();
        } catch (e) {
          throw newInternalError(name, `failed to allocate a serviceIP: ${message(e)}`);
        }
      } else {
        const requested = clusterIP;
        try {
          alloc.clusterIPs.allocate(requested);
        } catch (e) {
          if (!(e instanceof AllocatorError)) throw e;
          throw newInvalid(name, [
            fieldInvalid(
              'spec.clusterIPs',
              { kind: 'string-slice', value: [requested] },
              `failed to allocate IP ${requested}: ${e.message}`,
            ),
          ]);
        }
      }
      const taken = clusterIP;
      undo.push(() => alloc.clusterIPs.release(taken));
    }

    let ports: readonly ServicePort[] = svc.spec.ports;
    if (needsNodePorts(svc)) ports = allocateNodePorts(svc, alloc.nodePorts, undo);

    let healthCheckNodePort = svc.spec.healthCheckNodePort;
    if (needsHealthCheck(svc)) {
      if (healthCheckNodePort !== undefined && healthCheckNodePort !== 0) {
        const requested = healthCheckNodePort;
        try {
          alloc.nodePorts.allocate(requested);
        } catch (e) {
          throw newInternalError(
            name,
            `failed to allocate requested HealthCheck NodePort ${requested}: ${message(e)}`,
          );
        }
        undo.push(() => alloc.nodePorts.release(requested));
      } else {
        let port: number;
        try {
          port = alloc.nodePorts.allocateNext();
        } catch (e) {
          throw newInternalError(
            name,
            `failed to allocate a HealthCheck NodePort 0: ${message(e)}`,
          );
        }
        undo.push(() => alloc.nodePorts.release(port));
        healthCheckNodePort = port;
      }
    }

    return {
      ...svc,
      spec: {
        ...svc.spec,
        ...(clusterIP !== undefined ? { clusterIP } : {}),
        ports,
        ...(healthCheckNodePort !== undefined ? { healthCheckNodePort } : {}),
      },
    };
  } catch (e) {
    rollback();
    throw e;
  }
}

/** initNodePorts: one nodePort per distinct `port` number, a requested one honoured. */
function allocateNodePorts(
  svc: Service,
  nodePorts: NodePortAllocator,
  undo: (() => void)[],
): ServicePort[] {
  const byServicePort = new Map<number, number>();
  const out: ServicePort[] = [];
  const refuse = (i: number, port: number, e: unknown): never => {
    if (!(e instanceof AllocatorError)) throw e;
    throw newInvalid(svc.metadata.name, [
      fieldInvalid(`spec.ports[${i}].nodePort`, { kind: 'int', value: port }, e.message),
    ]);
  };
  svc.spec.ports.forEach((sp, i) => {
    const already = byServicePort.get(sp.port);
    if (already === undefined) {
      // Look forward for a port with the same number that asks for a nodePort.
      const requested = svc.spec.ports
        .slice(i)
        .find((p) => p.port === sp.port && p.nodePort)?.nodePort;
      let np: number;
      if (requested) {
        try {
          nodePorts.allocate(requested);
        } catch (e) {
          refuse(i, requested, e);
        }
        np = requested;
      } else {
        try {
          np = nodePorts.allocateNext();
        } catch (e) {
          throw newInternalError(svc.metadata.name, `failed to allocate a nodePort: ${message(e)}`);
        }
      }
      undo.push(() => nodePorts.release(np));
      byServicePort.set(sp.port, np);
      out.push({ ...sp, nodePort: np });
    } else if (sp.nodePort && sp.nodePort !== already) {
      const requested = sp.nodePort;
      try {
        nodePorts.allocate(requested);
      } catch (e) {
        refuse(i, requested, e);
      }
      undo.push(() => nodePorts.release(requested));
      out.push(sp);
    } else {
      out.push({ ...sp, nodePort: already });
    }
  });
  return out;
}

/** On Service delete: its ClusterIP, nodePorts and healthCheckNodePort go back. */
export function releaseService(svc: Service, alloc: ServiceAllocators): void {
  const ip = svc.spec.clusterIP;
  if (ip && ip !== 'None') alloc.clusterIPs.release(ip);
  for (const p of svc.spec.ports) if (p.nodePort) alloc.nodePorts.release(p.nodePort);
  if (svc.spec.healthCheckNodePort) alloc.nodePorts.release(svc.spec.healthCheckNodePort);
}

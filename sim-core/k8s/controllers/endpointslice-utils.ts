/**
 * The EndpointSlice controller's per-pod and per-slice helpers
 * (k8s.io/endpointslice utils.go and util/, v0.33): a pod's endpoint, its
 * ports, slice labels, which slice to top up.
 */
import type { Endpoint, EndpointPort, EndpointSlice, OwnerReference, Service } from '../api-types';
import type { PodView } from './pod-view';

/** discovery.LabelServiceName. */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
/** discovery.LabelManagedBy. */
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
/** v1.IsHeadlessService: set on the slices of a Service without a ClusterIP. */
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';
/** The kube-controller-manager's EndpointSlice controller name (the managed-by value). */
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** v1.EndpointsLastChangeTriggerTime. */
export const ANNOTATION_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
/** --max-endpoints-per-slice default. */
export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;

/**
 * ShouldPodBeInEndpoints(pod, includeTerminating=true): not Succeeded or
 * Failed, and it has an IP. Terminating pods stay, with terminating=true.
 */
export function shouldPodBeInEndpoints(pod: PodView): boolean {
  if (pod.phase === 'Succeeded' || pod.phase === 'Failed') return false;
  return pod.ip !== undefined && pod.ip !== '';
}

/** isServiceIPSet: the Service has a ClusterIP that is not None. */
export function isServiceIPSet(svc: Service): boolean {
  return (
    svc.spec.clusterIP !== undefined && svc.spec.clusterIP !== '' && svc.spec.clusterIP !== 'None'
  );
}

/**
 * podToEndpoint: serving = the pod is Ready; terminating = it is being
 * deleted; ready = serving and not terminating (publishNotReadyAddresses is
 * not modelled). The hostname is published only when the pod's subdomain is
 * this Service.
 */
export function podToEndpoint(pod: PodView, svc: Service): Endpoint {
  const serving = pod.ready;
  const terminating = pod.terminating;
  const hostname =
    pod.hostname && pod.subdomain === svc.metadata.name && pod.namespace === svc.metadata.namespace
      ? pod.hostname
      : undefined;
  return {
    addresses: pod.ip ? [pod.ip] : [],
    conditions: { ready: serving && !terminating, serving, terminating },
    ...(hostname !== undefined ? { hostname } : {}),
    ...(pod.nodeName ? { nodeName: pod.nodeName } : {}),
    ...(pod.zone ? { zone: pod.zone } : {}),
    targetRef: { kind: 'Pod', namespace: pod.namespace, name: pod.name },
  };
}

/**
 * findPort: a numeric targetPort is used as is; a named one is looked up
 * among the pod's container ports with the same name and protocol. A port
 * the pod cannot resolve is left out of its slice.
 */
export function findPort(
  pod: PodView,
  targetPort: number | string,
  protocol: string,
): number | undefined {
  if (typeof targetPort === 'number') return targetPort;
  return pod.containerPorts.find((p) => p.name === targetPort && p.protocol === protocol)
    ?.containerPort;
}

/** getEndpointPorts: the Service's ports resolved for this pod (a headless Service may have none). */
export function getEndpointPorts(svc: Service, pod: PodView): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of svc.spec.ports) {
    const port = findPort(pod, sp.targetPort, sp.protocol);
    if (port === undefined) continue;
    out.push({ name: sp.name ?? '', protocol: sp.protocol, port });
  }
  return out;
}

/** A key for a set of ports, independent of their order (NewPortMapKey sorts before hashing). */
export function portMapKey(ports: readonly EndpointPort[]): string {
  return ports
    .map((p) => `${p.name}/${p.protocol}/${p.port}`)
    .sort()
    .join(',');
}

/**
 * The endpoint's identity (util/endpointset.go hashEndpoint): its addresses,
 * hostname and target pod. Conditions, node and zone can change in place.
 */
export function endpointKey(ep: Endpoint): string {
  return JSON.stringify([
    [...ep.addresses].sort(),
    ep.hostname ?? '',
    ep.targetRef?.namespace ?? '',
    ep.targetRef?.name ?? '',
  ]);
}

/** EndpointsEqualBeyondHash: node, zone, the three conditions and the target. */
export function endpointsEqualBeyondHash(a: Endpoint, b: Endpoint): boolean {
  return (
    a.nodeName === b.nodeName &&
    a.zone === b.zone &&
    a.conditions.ready === b.conditions.ready &&
    a.conditions.serving === b.conditions.serving &&
    a.conditions.terminating === b.conditions.terminating &&
    a.targetRef?.kind === b.targetRef?.kind &&
    a.targetRef?.namespace === b.targetRef?.namespace &&
    a.targetRef?.name === b.targetRef?.name
  );
}

function isReservedLabelKey(key: string): boolean {
  return key === LABEL_SERVICE_NAME || key === LABEL_MANAGED_BY || key === LABEL_HEADLESS;
}

/**
 * setEndpointSliceLabels: the Service's own labels (reserved keys skipped),
 * the headless label when the Service has no ClusterIP, then service-name and
 * managed-by. `changed` says whether the non-reserved labels differed.
 */
export function endpointSliceLabels(
  current: Readonly<Record<string, string>> | undefined,
  svc: Service,
  controllerName: string,
): { labels: Record<string, string>; changed: boolean } {
  const mine: Record<string, string> = {};
  for (const [k, v] of Object.entries(current ?? {})) if (!isReservedLabelKey(k)) mine[k] = v;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) {
    if (!isReservedLabelKey(k)) labels[k] = v;
  }
  const keys = new Set([...Object.keys(mine), ...Object.keys(labels)]);
  const changed = [...keys].some((k) => mine[k] !== labels[k]);
  if (!isServiceIPSet(svc)) labels[LABEL_HEADLESS] = '';
  labels[LABEL_SERVICE_NAME] = svc.metadata.name;
  labels[LABEL_MANAGED_BY] = controllerName;
  return { labels, changed };
}

/** The controller reference a new slice carries (metav1.NewControllerRef). */
export function serviceOwnerReference(svc: Service): OwnerReference {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    name: svc.metadata.name,
    uid: svc.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** ownedBy: a slice belongs to this Service when an owner reference carries its UID. */
export function ownedBy(slice: EndpointSlice, svc: Service): boolean {
  const uid = svc.metadata.uid ?? '';
  return (slice.metadata.ownerReferences ?? []).some(
    (o) => o.uid === uid && o.kind === 'Service' && o.apiVersion === 'v1',
  );
}

/**
 * getSliceToFill: of the slices given, the one that ends closest to full
 * when `numEndpoints` are added without overflowing; undefined if none fits.
 */
export function getSliceToFill<T extends { readonly endpoints: readonly unknown[] }>(
  slices: readonly T[],
  numEndpoints: number,
  maxEndpoints: number,
): T | undefined {
  let closestDiff = maxEndpoints;
  let closest: T | undefined;
  for (const s of slices) {
    const diff = maxEndpoints - (numEndpoints + s.endpoints.length);
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = s;
      if (closestDiff === 0) return closest;
    }
  }
  return closest;
}

/**
 * The EndpointSlice controller's reconciler (k8s.io/endpointslice
 * reconciler.go, v0.33) for one IPv4 Service: given the pods its selector
 * picks and the slices that exist, the slices to create, update and delete.
 *
 * Its packing rules, which decide which slices change on an update:
 *
 * 1. Pods are grouped by the ports they resolve to (a named targetPort can be
 *    a different number on different pods); each group has its own slices.
 * 2. Each existing slice keeps the endpoints still desired (refreshed when
 *    conditions, node or zone changed) and drops the rest; a slice left empty
 *    is deleted, a changed one is updated, an untouched one stays unchanged.
 * 3. New endpoints first fill the slices already being updated, fullest first.
 * 4. What remains goes into new slices of maxEndpointsPerSlice; a remainder
 *    smaller than that may go into one unchanged slice, the one it would leave
 *    closest to full — only if it fits, to write as few slices as possible.
 * 5. A Service with no endpoints keeps one empty placeholder slice.
 * 6. Before writing, each create that coincides with a delete becomes an
 *    update of the slice that would have been deleted (same name reused).
 *
 * New slices are named by the API server from generateName "<service>-"
 * plus five random characters (Kubewire's seeded generator).
 *
 * Go iterates maps where Kubewire keeps an order: endpoints are placed in the
 * order of the pods given, slices in the order given. Real Kubernetes also
 * orders a slice's ports by a hash of each port; Kubewire keeps the Service's
 * port order.
 */
import type { Rng } from '../../engine/rng';
import type { Endpoint, EndpointPort, EndpointSlice, OwnerReference, Service } from '../api-types';
import { generateName } from '../apiserver/names';
import {
  ANNOTATION_TRIGGER_TIME,
  CONTROLLER_NAME,
  DEFAULT_MAX_ENDPOINTS_PER_SLICE,
  endpointKey,
  endpointSliceLabels,
  endpointsEqualBeyondHash,
  getEndpointPorts,
  getSliceToFill,
  ownedBy,
  podToEndpoint,
  portMapKey,
  serviceOwnerReference,
  shouldPodBeInEndpoints,
} from './endpointslice-utils';
import { serviceSelects } from './labels';
import type { PodView } from './pod-view';

export interface ReconcileInput {
  readonly service: Service;
  /** Pods of the cluster; those in the Service's namespace its selector picks are used. */
  readonly pods: readonly PodView[];
  /** The slices that exist for this Service (by the kubernetes.io/service-name label). */
  readonly existing: readonly EndpointSlice[];
  /** Draws the names of new slices. */
  readonly rng: Rng;
  /** --max-endpoints-per-slice; 100 by default. */
  readonly maxEndpointsPerSlice?: number;
  /** endpoints.kubernetes.io/last-change-trigger-time on written slices (RFC 3339); absent clears it. */
  readonly triggerTime?: string;
  readonly controllerName?: string;
}

export type SliceAction = 'create' | 'update' | 'delete';

export interface SliceChange {
  readonly action: SliceAction;
  readonly slice: EndpointSlice;
}

export interface ReconcileResult {
  /** The slices after the sync: existing ones in their order (updated in place), then new ones. */
  readonly slices: readonly EndpointSlice[];
  /** The API writes, in the order the controller sends them: creates, updates, deletes. */
  readonly changes: readonly SliceChange[];
  /** Names of existing slices left as they were. */
  readonly unchanged: readonly string[];
}

/** A slice being worked on: the same fields, mutable. */
interface Draft {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  ownerReferences: readonly OwnerReference[];
  ports: readonly EndpointPort[];
  endpoints: Endpoint[];
}

function draftOf(slice: EndpointSlice): Draft {
  return {
    name: slice.metadata.name,
    labels: { ...(slice.metadata.labels ?? {}) },
    annotations: { ...(slice.metadata.annotations ?? {}) },
    ownerReferences: slice.metadata.ownerReferences ?? [],
    ports: slice.ports,
    endpoints: [...slice.endpoints],
  };
}

function newDraft(svc: Service, ports: readonly EndpointPort[], controllerName: string): Draft {
  return {
    name: '',
    labels: endpointSliceLabels({}, svc, controllerName).labels,
    annotations: {},
    ownerReferences: [serviceOwnerReference(svc)],
    ports,
    endpoints: [],
  };
}

function sliceOf(namespace: string, d: Draft): EndpointSlice {
  return {
    metadata: {
      namespace,
      name: d.name,
      labels: d.labels,
      ...(Object.keys(d.annotations).length > 0 ? { annotations: d.annotations } : {}),
      ownerReferences: d.ownerReferences,
    },
    addressType: 'IPv4',
    endpoints: d.endpoints,
    ports: d.ports,
  };
}

/** Pop the first endpoint of the ordered desired set. */
function popFirst(set: Map<string, Endpoint>): Endpoint {
  const [key, ep] = set.entries().next().value as [string, Endpoint];
  set.delete(key);
  return ep;
}

interface PortMapPlan {
  create: Draft[];
  update: Draft[];
  delete: Draft[];
}

/** reconcileByPortMapping: steps 2–4 for the slices of one port group. */
function reconcileByPortMapping(
  svc: Service,
  existing: readonly EndpointSlice[],
  desired: Map<string, Endpoint>,
  ports: readonly EndpointPort[],
  max: number,
  controllerName: string,
): PortMapPlan {
  const byName = new Map<string, Draft>();
  const unchanged = new Set<string>();
  const toUpdate = new Set<string>();
  const toDelete = new Set<string>();

  for (const slice of existing) {
    const d = draftOf(slice);
    byName.set(d.name, d);
    const kept: Endpoint[] = [];
    let endpointUpdated = false;
    for (const ep of slice.endpoints) {
      const key = endpointKey(ep);
      const want = desired.get(key);
      if (want === undefined) continue;
      kept.push(want);
      if (!endpointsEqualBeyondHash(want, ep)) endpointUpdated = true;
      desired.delete(key);
    }
    const { labels, changed } = endpointSliceLabels(slice.metadata.labels, svc, controllerName);
    if (endpointUpdated || kept.length !== slice.endpoints.length) {
      if (kept.length === 0) {
        toDelete.add(d.name);
      } else {
        d.endpoints = kept;
        d.labels = labels;
        toUpdate.add(d.name);
      }
    } else if (changed) {
      d.labels = labels;
      toUpdate.add(d.name);
    } else {
      unchanged.add(d.name);
    }
  }

  // Fill the slices already being written, fullest first.
  if (desired.size > 0 && toUpdate.size > 0) {
    const slices = [...toUpdate].map((n) => byName.get(n) as Draft);
    slices.sort((a, b) => b.endpoints.length - a.endpoints.length);
    for (const s of slices) {
      while (desired.size > 0 && s.endpoints.length < max) s.endpoints.push(popFirst(desired));
    }
  }

  const create: Draft[] = [];
  while (desired.size > 0) {
    let fill: Draft | undefined;
    if (desired.size < max && unchanged.size > 0) {
      const candidates = [...unchanged].map((n) => byName.get(n) as Draft);
      fill = getSliceToFill(candidates, desired.size, max);
    }
    fill ??= newDraft(svc, ports, controllerName);
    while (desired.size > 0 && fill.endpoints.length < max) fill.endpoints.push(popFirst(desired));
    if (fill.name !== '') {
      toUpdate.add(fill.name);
      unchanged.delete(fill.name);
    } else {
      create.push(fill);
    }
  }

  return {
    create,
    update: [...toUpdate].map((n) => byName.get(n) as Draft),
    delete: [...toDelete].map((n) => byName.get(n) as Draft),
  };
}

/** placeholderSliceCompare: same namespace (implied), labels, owners, and both empty. */
function isSamePlaceholder(d: Draft, placeholder: Draft): boolean {
  const sameLabels =
    Object.keys(d.labels).length === Object.keys(placeholder.labels).length &&
    Object.entries(placeholder.labels).every(([k, v]) => d.labels[k] === v);
  const sameOwners =
    JSON.stringify(d.ownerReferences) === JSON.stringify(placeholder.ownerReferences);
  return sameLabels && sameOwners && d.ports.length === 0 && d.endpoints.length === 0;
}

/**
 * One sync of the EndpointSlice controller for a Service with a selector. A
 * Service without a selector is left alone (its slices are the user's).
 */
export function reconcileEndpointSlices(input: ReconcileInput): ReconcileResult {
  const { service: svc, existing, rng } = input;
  const max = input.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE;
  const controllerName = input.controllerName ?? CONTROLLER_NAME;
  const ns = svc.metadata.namespace;
  if (svc.spec.selector === undefined || svc.spec.type === 'ExternalName') {
    return { slices: existing, changes: [], unchanged: existing.map((s) => s.metadata.name) };
  }

  const toCreate: Draft[] = [];
  const toUpdate: Draft[] = [];
  const toDelete: Draft[] = [];

  // Existing slices by port group; slices of another owner (an older Service of
  // the same name) or of another address type are deleted.
  const existingByPorts = new Map<string, EndpointSlice[]>();
  for (const slice of existing) {
    if (slice.addressType !== 'IPv4' || !ownedBy(slice, svc)) {
      toDelete.push(draftOf(slice));
      continue;
    }
    const key = portMapKey(slice.ports);
    existingByPorts.set(key, [...(existingByPorts.get(key) ?? []), slice]);
  }

  // Desired endpoints by port group, in pod order.
  const desiredByPorts = new Map<
    string,
    { ports: EndpointPort[]; endpoints: Map<string, Endpoint> }
  >();
  for (const pod of input.pods) {
    if (pod.namespace !== ns || !serviceSelects(svc.spec.selector, pod.labels)) continue;
    if (!shouldPodBeInEndpoints(pod)) continue;
    const ports = getEndpointPorts(svc, pod);
    const key = portMapKey(ports);
    let group = desiredByPorts.get(key);
    if (group === undefined) {
      group = { ports, endpoints: new Map() };
      desiredByPorts.set(key, group);
    }
    const ep = podToEndpoint(pod, svc);
    if (ep.addresses.length > 0) group.endpoints.set(endpointKey(ep), ep);
  }

  for (const [key, group] of desiredByPorts) {
    const plan = reconcileByPortMapping(
      svc,
      existingByPorts.get(key) ?? [],
      group.endpoints,
      group.ports,
      max,
      controllerName,
    );
    toCreate.push(...plan.create);
    toUpdate.push(...plan.update);
    toDelete.push(...plan.delete);
  }
  for (const [key, slices] of existingByPorts) {
    if (!desiredByPorts.has(key)) toDelete.push(...slices.map(draftOf));
  }

  // A Service with no endpoints keeps one empty placeholder slice.
  if (existing.length === toDelete.length && toCreate.length === 0) {
    const placeholder = newDraft(svc, [], controllerName);
    if (toDelete.length === 1 && isSamePlaceholder(toDelete[0], placeholder)) {
      toDelete.length = 0;
    } else {
      toCreate.push(placeholder);
    }
  }

  // finalize: turn a create into an update of a slice that would be deleted.
  const existingByName = new Map(existing.map((s) => [s.metadata.name, s]));
  for (let i = 0; i < toDelete.length;) {
    if (toCreate.length === 0) break;
    const del = toDelete[i];
    const old = existingByName.get(del.name);
    if (old !== undefined && old.addressType === 'IPv4' && ownedBy(old, svc)) {
      const reuse = toCreate.pop() as Draft;
      reuse.name = del.name;
      toUpdate.push(reuse);
      toDelete.splice(i, 1);
    } else {
      i++;
    }
  }

  const stamp = (d: Draft) => {
    if (input.triggerTime !== undefined) d.annotations[ANNOTATION_TRIGGER_TIME] = input.triggerTime;
    else delete d.annotations[ANNOTATION_TRIGGER_TIME];
  };
  for (const d of toCreate) {
    d.name = generateName(rng, `${svc.metadata.name}-`);
    stamp(d);
  }
  for (const d of toUpdate) stamp(d);

  const changes: SliceChange[] = [
    ...toCreate.map((d) => ({ action: 'create' as const, slice: sliceOf(ns, d) })),
    ...toUpdate.map((d) => ({ action: 'update' as const, slice: sliceOf(ns, d) })),
    ...toDelete.map((d) => ({ action: 'delete' as const, slice: sliceOf(ns, d) })),
  ];
  const updatedByName = new Map(
    changes.filter((c) => c.action === 'update').map((c) => [c.slice.metadata.name, c.slice]),
  );
  const deleted = new Set(toDelete.map((d) => d.name));
  const slices: EndpointSlice[] = [];
  const unchanged: string[] = [];
  for (const s of existing) {
    const name = s.metadata.name;
    if (deleted.has(name)) continue;
    const updated = updatedByName.get(name);
    if (updated) slices.push(updated);
    else {
      slices.push(s);
      unchanged.push(name);
    }
  }
  for (const c of changes) if (c.action === 'create') slices.push(c.slice);
  return { slices, changes, unchanged };
}

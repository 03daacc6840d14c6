/**
 * kubectl get's rows, as the API server's table convertor builds them
 * (pkg/printers/internalversion/printers.go: printPod, printService,
 * printEndpointSlice, printDeployment, printReplicaSet and their helpers),
 * for the objects Kubewire models. Each printer returns the row's cells; the
 * table (header, NAMESPACE column, padding) is kubectl's printTable in
 * kubectl-table.ts.
 */
import type { EndpointSlice, Service } from '../k8s/api-types.ts';
import { translateTimestampSince } from './human-duration.ts';

export interface PrintOptions {
  /** -o wide: the Priority 1 columns too. */
  readonly wide: boolean;
  /** The time kubectl runs at, in simulated µs. */
  readonly nowUs: number;
}

/** A table's columns: names as the column definitions spell them, and which are wide-only. */
export interface Columns {
  readonly names: readonly string[];
  /** How many of `names` are shown without -o wide (the rest have Priority 1). */
  readonly normal: number;
}

export const POD_COLUMNS: Columns = {
  names: [
    'Name',
    'Ready',
    'Status',
    'Restarts',
    'Age',
    'IP',
    'Node',
    'Nominated Node',
    'Readiness Gates',
  ],
  normal: 5,
};
export const SERVICE_COLUMNS: Columns = {
  names: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector'],
  normal: 6,
};
export const ENDPOINT_SLICE_COLUMNS: Columns = {
  names: ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'],
  normal: 5,
};
export const DEPLOYMENT_COLUMNS: Columns = {
  names: ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector'],
  normal: 5,
};
export const REPLICA_SET_COLUMNS: Columns = {
  names: ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector'],
  normal: 5,
};

/** A container's status as printPod reads it. */
export interface ContainerView {
  readonly ready: boolean;
  readonly restartCount: number;
  readonly state: 'running' | 'waiting' | 'terminated';
  /** State.Waiting.Reason or State.Terminated.Reason. */
  readonly reason?: string;
  readonly exitCode?: number;
  /** LastTerminationState.Terminated.FinishedAt, µs. */
  readonly lastTerminatedUs?: number;
}

/** The fields of a v1 Pod printPod reads. */
export interface PodView {
  readonly namespace: string;
  readonly name: string;
  readonly createdUs?: number;
  readonly nodeName?: string;
  readonly phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  /** status.reason (Evicted, NodeLost, …). */
  readonly reason?: string;
  readonly podIP?: string;
  /** spec.containers, by count. */
  readonly specContainers: number;
  readonly containers: readonly ContainerView[];
  /** The PodReady condition is True. */
  readonly podReady: boolean;
  /** metadata.deletionTimestamp is set. */
  readonly deleting?: boolean;
}

/** printPod, without init containers or readiness gates (Kubewire has none). */
export function printPod(pod: PodView, opts: PrintOptions): string[] {
  let reason: string = pod.reason || pod.phase;
  let restarts = 0;
  let ready = 0;
  let lastRestart: number | undefined;
  let hasRunning = false;
  // printPod walks the container statuses from the last to the first: the first one's reason wins.
  for (let i = pod.containers.length - 1; i >= 0; i--) {
    const c = pod.containers[i];
    restarts += c.restartCount;
    if (c.lastTerminatedUs !== undefined && (lastRestart ?? -Infinity) < c.lastTerminatedUs)
      lastRestart = c.lastTerminatedUs;
    if (c.state === 'waiting' && c.reason) reason = c.reason;
    else if (c.state === 'terminated' && c.reason) reason = c.reason;
    else if (c.state === 'terminated') reason = `ExitCode:${c.exitCode ?? 0}`;
    else if (c.ready && c.state === 'running') {
      hasRunning = true;
      ready++;
    }
  }
  if (reason === 'Completed' && hasRunning) reason = pod.podReady ? 'Running' : 'NotReady';
  // A pod with a deletionTimestamp that has not reached Succeeded or Failed.
  if (pod.deleting && pod.phase !== 'Succeeded' && pod.phase !== 'Failed') reason = 'Terminating';
  const restartsText =
    restarts !== 0 && lastRestart !== undefined
      ? `${restarts} (${translateTimestampSince(lastRestart, opts.nowUs)} ago)`
      : String(restarts);
  const row = [
    pod.name,
    `${ready}/${pod.specContainers}`,
    reason,
    restartsText,
    translateTimestampSince(pod.createdUs, opts.nowUs),
  ];
  if (opts.wide) row.push(pod.podIP || '<none>', pod.nodeName || '<none>', '<none>', '<none>');
  return row;
}

/** labels.FormatLabels: `k=v` sorted by key, comma-joined, `<none>` when empty. */
export function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}

/** makePortString: `80/TCP`, `80:31234/TCP` when a nodePort is allocated. */
export function makePortString(svc: Service): string {
  return svc.spec.ports
    .map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`))
    .join(',');
}

/** loadBalancerWidth: a LoadBalancer's ingress list is cut to 16 characters without -o wide. */
const LOAD_BALANCER_WIDTH = 16;

/** loadBalancerStatusStringer: the ingress IPs, deduplicated and sorted (sets.String.List). */
function loadBalancerStatus(svc: Service, wide: boolean): string {
  const ips = [...new Set(svc.loadBalancerIngress ?? [])].sort();
  const r = ips.join(',');
  return !wide && r.length > LOAD_BALANCER_WIDTH ? `${r.slice(0, LOAD_BALANCER_WIDTH - 3)}...` : r;
}

/** getServiceExternalIP. */
export function serviceExternalIP(svc: Service, wide: boolean): string {
  const external = svc.spec.externalIPs ?? [];
  switch (svc.spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerStatus(svc, wide);
      if (external.length) return [...(lb ? lb.split(',') : []), ...external].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec.externalName ?? '';
  }
}

/** printService. */
export function printService(svc: Service, createdUs: number | undefined, opts: PrintOptions) {
  const ports = makePortString(svc);
  const row = [
    svc.metadata.name,
    svc.spec.type,
    svc.spec.clusterIP || '<none>',
    serviceExternalIP(svc, opts.wide),
    ports || '<none>',
    translateTimestampSince(createdUs, opts.nowUs),
  ];
  if (opts.wide) row.push(formatLabels(svc.spec.selector));
  return row;
}

/** listWithMoreString: the first three, then ` + N more...`; `<unset>` when empty. */
function listWithMore(items: readonly string[]): string {
  const max = 3;
  const ret = items.slice(0, max).join(',');
  if (items.length > max) return `${ret} + ${items.length - max} more...`;
  return ret || '<unset>';
}

/** printEndpointSlice: formatDiscoveryPorts (numbers only) and formatDiscoveryEndpoints. */
export function printEndpointSlice(
  slice: EndpointSlice,
  createdUs: number | undefined,
  opts: PrintOptions,
): string[] {
  return [
    slice.metadata.name,
    slice.addressType,
    listWithMore(slice.ports.map((p) => String(p.port))),
    listWithMore(slice.endpoints.flatMap((e) => e.addresses)),
    translateTimestampSince(createdUs, opts.nowUs),
  ];
}

/** What printDeployment and printReplicaSet read of a workload and its pods. */
export interface WorkloadView {
  readonly name: string;
  readonly createdUs?: number;
  /** spec.replicas */
  readonly replicas: number;
  /** status.replicas (the ReplicaSet's pods that exist); for a Deployment, updatedReplicas. */
  readonly current: number;
  /** status.readyReplicas; availableReplicas too (minReadySeconds 0). */
  readonly ready: number;
  readonly containers: readonly { readonly name: string; readonly image: string }[];
  /** metav1.FormatLabelSelector of spec.selector (only -o wide prints it). */
  readonly selector?: string;
}

/** layoutContainerCells: names and images, comma-joined. */
function containerCells(w: WorkloadView): string[] {
  return [w.containers.map((c) => c.name).join(','), w.containers.map((c) => c.image).join(',')];
}

/** printDeployment: READY is ready/desired, then UP-TO-DATE and AVAILABLE. */
export function printDeployment(d: WorkloadView, opts: PrintOptions): string[] {
  const row = [
    d.name,
    `${d.ready}/${d.replicas}`,
    String(d.current),
    String(d.ready),
    translateTimestampSince(d.createdUs, opts.nowUs),
  ];
  if (opts.wide) row.push(...containerCells(d), d.selector ?? '<none>');
  return row;
}

/** printReplicaSet: DESIRED, CURRENT, READY. */
export function printReplicaSet(rs: WorkloadView, opts: PrintOptions): string[] {
  const row = [
    rs.name,
    String(rs.replicas),
    String(rs.current),
    String(rs.ready),
    translateTimestampSince(rs.createdUs, opts.nowUs),
  ];
  if (opts.wide) row.push(...containerCells(rs), rs.selector ?? '<none>');
  return row;
}

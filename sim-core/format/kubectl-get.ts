/**
 * `kubectl get RESOURCE [-n NS | -A] [-o wide]` over a step's objects: the
 * resource names and short names the API server's discovery offers for the
 * kinds Kubewire models (EndpointSlice has no short name), the namespace
 * filter, and kubectl's "No resources found" on stderr for an empty list.
 */
import type { ClusterObjects } from './cluster-objects.ts';
import {
  DEPLOYMENT_COLUMNS,
  ENDPOINT_SLICE_COLUMNS,
  POD_COLUMNS,
  printDeployment,
  printEndpointSlice,
  printPod,
  printReplicaSet,
  printService,
  REPLICA_SET_COLUMNS,
  SERVICE_COLUMNS,
  type Columns,
} from './kubectl-printers.ts';
import { INGRESS_COLUMNS, printIngress } from './ingress-printer.ts';
import { noResourcesFound, printTable, type TableRow } from './kubectl-table.ts';

export type Resource =
  'pods' | 'services' | 'endpointslices' | 'deployments' | 'replicasets' | 'ingresses';

/** Plural, singular, short names and the group-qualified forms kubectl accepts. */
const NAMES: Record<Resource, readonly string[]> = {
  pods: ['pods', 'pod', 'po'],
  services: ['services', 'service', 'svc'],
  endpointslices: [
    'endpointslices',
    'endpointslice',
    'endpointslices.discovery.k8s.io',
    'endpointslice.discovery.k8s.io',
  ],
  deployments: ['deployments', 'deployment', 'deploy', 'deployments.apps', 'deployment.apps'],
  replicasets: ['replicasets', 'replicaset', 'rs', 'replicasets.apps', 'replicaset.apps'],
  ingresses: [
    'ingresses',
    'ingress',
    'ing',
    'ingresses.networking.k8s.io',
    'ingress.networking.k8s.io',
  ],
};

/** The resource a name on the command line means (kubectl matches case-insensitively). */
export function resolveResource(arg: string): Resource | undefined {
  const a = arg.toLowerCase();
  return (Object.keys(NAMES) as Resource[]).find((r) => NAMES[r].includes(a));
}

/** kubectl's message for a name discovery does not know. */
export const unknownResource = (arg: string) =>
  `error: the server doesn't have a resource type "${arg}"`;

export interface GetOptions {
  readonly wide: boolean;
  /** The namespace to list; undefined for -A. */
  readonly namespace: string | undefined;
}

function rows(objs: ClusterObjects, resource: Resource, wide: boolean): [Columns, TableRow[]] {
  const o = { wide, nowUs: objs.nowUs };
  switch (resource) {
    case 'pods':
      return [
        POD_COLUMNS,
        objs.pods.map((p) => ({ namespace: p.namespace, cells: printPod(p, o) })),
      ];
    case 'services':
      return [
        SERVICE_COLUMNS,
        objs.services.map((s) => ({
          namespace: s.object.metadata.namespace,
          cells: printService(s.object, s.createdUs, o),
        })),
      ];
    case 'endpointslices':
      return [
        ENDPOINT_SLICE_COLUMNS,
        objs.endpointSlices.map((s) => ({
          namespace: s.object.metadata.namespace,
          cells: printEndpointSlice(s.object, s.createdUs, o),
        })),
      ];
    case 'deployments':
      return [
        DEPLOYMENT_COLUMNS,
        objs.deployments.map((d) => ({ namespace: d.namespace, cells: printDeployment(d, o) })),
      ];
    case 'replicasets':
      return [
        REPLICA_SET_COLUMNS,
        objs.replicaSets.map((r) => ({ namespace: r.namespace, cells: printReplicaSet(r, o) })),
      ];
    case 'ingresses':
      return [
        INGRESS_COLUMNS,
        objs.ingresses.map((i) => ({
          namespace: i.object.metadata.namespace,
          cells: printIngress(i.object, i.address, i.createdUs, o),
        })),
      ];
  }
}

/** What kubectl get writes: the table on stdout, or the empty-list notice on stderr. */
export function kubectlGet(
  objs: ClusterObjects,
  resource: Resource,
  opts: GetOptions,
): { readonly out: string; readonly err: string } {
  const [columns, all] = rows(objs, resource, opts.wide);
  const mine =
    opts.namespace === undefined ? all : all.filter((r) => r.namespace === opts.namespace);
  if (!mine.length) return { out: '', err: `${noResourcesFound(opts.namespace)}\n` };
  const table = printTable(columns, mine, {
    wide: opts.wide,
    withNamespace: opts.namespace === undefined,
  });
  return { out: table, err: '' };
}

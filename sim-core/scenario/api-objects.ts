/**
 * What the control plane does with the manifests before any pod starts, so
 * that `validate` can refuse what `kubectl apply` would refuse without
 * simulating anything:
 *  - the API server creates the `kubernetes` Service at the first address of
 *    the service CIDR, then each Service in file order, allocating its
 *    ClusterIP and node ports (refusals in its own words, at the value);
 *  - the Deployment controller creates a ReplicaSet per Deployment, and the
 *    ReplicaSet controller its pods, with names of the real shape.
 * Everything random comes from the Cluster's seed.
 */
import { createRng } from '../engine/rng.ts';
import type { Service } from '../k8s/api-types.ts';
import {
  ClusterIPAllocator,
  DEFAULT_NODE_PORT_RANGE,
  NodePortAllocator,
  ServiceStatusError,
  allocateServiceCreate,
  kubectlErrorMessage,
  kubernetesServiceIP,
} from '../k8s/apiserver/index.ts';
import { podsFor, replicaSetFor } from '../k8s/controllers/index.ts';
import { generateName } from '../k8s/apiserver/names.ts';
import type { DeploymentDraft } from './deployments.ts';
import type { PodDraft } from './pods.ts';
import type { ServiceDraft } from './services.ts';
import type { ClusterSpec, DeploymentSpec, PodSpec, WorkloadSpec } from './types.ts';
import {
  COREDNS_CONTAINER,
  DNS_DEPLOYMENT,
  DNS_LABELS,
  DNS_NAMESPACE,
  kubeDnsService,
} from '../k8s/coredns-addon.ts';

/** The `kubernetes` Service the API server keeps for itself (port 443 → the API server's 6443). */
export function kubernetesService(serviceCIDR: string): Service {
  return {
    metadata: {
      namespace: 'default',
      name: 'kubernetes',
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      type: 'ClusterIP',
      ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }],
      clusterIP: kubernetesServiceIP(serviceCIDR),
      sessionAffinity: 'None',
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
    },
  };
}

/** Create every Service as the API server would; refusals are reported where the file asked for them. */
export function createServices(drafts: readonly ServiceDraft[], cluster: ClusterSpec): Service[] {
  const rng = createRng(cluster.seed).fork('apiserver');
  const clusterIPs = new ClusterIPAllocator(cluster.serviceCIDR, rng.fork('cluster-ip'));
  const nodePorts = new NodePortAllocator(DEFAULT_NODE_PORT_RANGE, rng.fork('node-port'));
  const kubernetes = kubernetesService(cluster.serviceCIDR);
  clusterIPs.allocate(kubernetes.spec.clusterIP!);
  const out: Service[] = [kubernetes];
  // kubeadm creates kube-dns at `kubeadm init`, before anything a user applies.
  if (cluster.dns) {
    const dns = kubeDnsService(cluster.serviceCIDR);
    clusterIPs.allocate(dns.spec.clusterIP!);
    out.push(dns);
  }
  const reserved = new Set(out.map((s) => `${s.metadata.namespace}/${s.metadata.name}`));
  const seen = new Map<string, ServiceDraft>();
  for (const d of drafts) {
    const key = `${d.service.metadata.namespace}/${d.service.metadata.name}`;
    const first = seen.get(key);
    if (!first && reserved.has(key)) {
      // `kubectl get svc -o yaml` prints these two: what the cluster makes itself, not a conflict (MAN5).
      d.ctx.warn(
        d.nameAt,
        'metadata.name',
        key === 'default/kubernetes'
          ? 'the API server makes the kubernetes Service itself (443 → 6443 at the first address of the service CIDR); this copy is ignored'
          : "kube-dns is the CoreDNS add-on's Service, made with the cluster; this copy is ignored",
      );
      continue;
    }
    if (first) {
      d.ctx.error(
        d.nameAt,
        'metadata.name',
        `Error from server (AlreadyExists): services "${d.service.metadata.name}" already exists (defined at line ${first.pos.line})`,
      );
      continue;
    }
    seen.set(key, d);
    try {
      out.push(allocateServiceCreate(d.service, { clusterIPs, nodePorts }));
    } catch (e) {
      if (!(e instanceof ServiceStatusError)) throw e;
      const field = e.causes[0]?.field ?? '';
      const port = /^spec\.ports\[(\d+)\]\.nodePort/.exec(field);
      const at =
        (port ? d.nodePortAt[Number(port[1])] : undefined) ??
        (field.startsWith('spec.clusterIP') ? d.clusterIPAt : undefined) ??
        d.nameAt;
      d.ctx.error(at, field || 'spec', kubectlErrorMessage(e));
    }
  }
  return out;
}

/** The ReplicaSet and pods of each Deployment, as pod drafts the scheduler places like any other. */
export function deploymentPods(
  drafts: readonly DeploymentDraft[],
  seed: number,
): { deployments: DeploymentSpec[]; pods: PodDraft[] } {
  const rng = createRng(seed).fork('replicaset-controller');
  const deployments: DeploymentSpec[] = [];
  const pods: PodDraft[] = [];
  for (const d of drafts) {
    const rs = replicaSetFor({
      namespace: d.namespace,
      name: d.name,
      replicas: d.replicas,
      selector: { matchLabels: d.selector },
      template: {
        labels: d.templateLabels,
        // Only what was written is hashed: a template without the field keeps its old hash.
        spec:
          d.terminationGracePeriodSeconds === undefined
            ? { containers: d.containers, ...d.dns }
            : {
                containers: d.containers,
                ...d.dns,
                terminationGracePeriodSeconds: d.terminationGracePeriodSeconds,
              },
      },
    });
    const names = podsFor(rs, rng.fork(`${d.namespace}/${rs.name}`));
    deployments.push({
      namespace: d.namespace,
      name: d.name,
      replicas: d.replicas,
      replicaSet: rs.name,
      podTemplateHash: rs.podTemplateHash,
      pods: names.map((p) => p.name),
      pos: d.pos,
      ...(d.replicasAt ? { replicasPos: d.ctx.pos(d.replicasAt) } : {}),
      template: {
        labels: rs.templateLabels,
        containers: d.containers,
        ...d.dns,
        ...(d.terminationGracePeriodSeconds !== undefined
          ? { terminationGracePeriodSeconds: d.terminationGracePeriodSeconds }
          : {}),
      },
    });
    for (const p of names)
      pods.push({
        namespace: p.namespace,
        name: p.name,
        labels: p.labels,
        containers: d.containers,
        ...d.dns,
        ...(d.terminationGracePeriodSeconds !== undefined
          ? { terminationGracePeriodSeconds: d.terminationGracePeriodSeconds }
          : {}),
        ...(d.nodeName !== undefined ? { nodeName: d.nodeName, nodeNameAt: d.nodeNameAt } : {}),
        pos: d.pos,
        nameAt: d.nameAt,
        complete: true,
        ctx: d.ctx,
      });
  }
  return { deployments, pods };
}

/**
 * The pods of ReplicaSets, StatefulSets and DaemonSets written in the file,
 * named as their controllers name them (MAN1-MAN3):
 *  - ReplicaSet: generateName "<name>-", five characters from the API
 *    server's alphabet, seeded (the Deployment path's stream, forked by the
 *    ReplicaSet's own name);
 *  - StatefulSet: "<name>-0", "<name>-1", … (getPodName), hostname the pod's
 *    name and subdomain spec.serviceName (initIdentity), with the labels
 *    statefulset.kubernetes.io/pod-name and apps.kubernetes.io/pod-index;
 *  - DaemonSet: one pod per node in node order, generateName "<name>-", its
 *    nodeName set, label pod-template-generation "1".
 * controller-revision-hash (a hash of the ControllerRevision) is not set.
 */
export function workloadPods(
  drafts: readonly DeploymentDraft[],
  cluster: ClusterSpec | undefined,
): { workloads: WorkloadSpec[]; pods: PodDraft[] } {
  const seed = cluster?.seed ?? 1;
  const rsRng = createRng(seed).fork('replicaset-controller');
  const dsRng = createRng(seed).fork('daemonset-controller');
  const workloads: WorkloadSpec[] = [];
  const pods: PodDraft[] = [];
  for (const d of drafts) {
    const made: { name: string; labels: Record<string, string>; extra?: Partial<PodDraft> }[] = [];
    if (d.kind === 'ReplicaSet') {
      const rng = rsRng.fork(`${d.namespace}/${d.name}`);
      const taken = new Set<string>();
      while (made.length < d.replicas) {
        const name = generateName(rng, `${d.name}-`);
        if (taken.has(name)) continue;
        taken.add(name);
        made.push({ name, labels: { ...d.templateLabels } });
      }
    } else if (d.kind === 'StatefulSet') {
      for (let i = 0; i < d.replicas; i++) {
        const name = `${d.name}-${i}`;
        made.push({
          name,
          labels: {
            ...d.templateLabels,
            'statefulset.kubernetes.io/pod-name': name,
            'apps.kubernetes.io/pod-index': String(i),
          },
          extra: { hostname: name, ...(d.serviceName ? { subdomain: d.serviceName } : {}) },
        });
      }
    } else if (d.kind === 'DaemonSet') {
      const rng = dsRng.fork(`${d.namespace}/${d.name}`);
      const taken = new Set<string>();
      for (const node of cluster?.nodes ?? []) {
        let name = generateName(rng, `${d.name}-`);
        while (taken.has(name)) name = generateName(rng, `${d.name}-`);
        taken.add(name);
        made.push({
          name,
          labels: { ...d.templateLabels, 'pod-template-generation': '1' },
          extra: { nodeName: node.name },
        });
      }
    }
    workloads.push({
      kind: d.kind,
      namespace: d.namespace,
      name: d.name,
      pods: made.map((m) => m.name),
      ...(d.serviceName ? { serviceName: d.serviceName } : {}),
      pos: d.pos,
    });
    for (const m of made)
      pods.push({
        namespace: d.namespace,
        name: m.name,
        labels: m.labels,
        containers: d.containers,
        ...d.dns,
        ...(d.terminationGracePeriodSeconds !== undefined
          ? { terminationGracePeriodSeconds: d.terminationGracePeriodSeconds }
          : {}),
        ...(d.nodeName !== undefined ? { nodeName: d.nodeName, nodeNameAt: d.nodeNameAt } : {}),
        ...m.extra,
        pos: d.pos,
        nameAt: d.nameAt,
        complete: true,
        ctx: d.ctx,
      });
  }
  return { workloads, pods };
}

/**
 * The coredns Deployment of spec.dns: its ReplicaSet and pods, named like any
 * Deployment's, all on the first node (the control plane; see
 * k8s/coredns-addon.ts for why), with dnsPolicy Default.
 */
export function dnsAddonPods(
  cluster: ClusterSpec,
): { deployment: DeploymentSpec; pods: PodSpec[] } | undefined {
  if (!cluster.dns) return undefined;
  const rs = replicaSetFor({
    namespace: DNS_NAMESPACE,
    name: DNS_DEPLOYMENT,
    replicas: cluster.dns.replicas,
    selector: { matchLabels: DNS_LABELS },
    template: {
      labels: DNS_LABELS,
      spec: { containers: [COREDNS_CONTAINER], dnsPolicy: 'Default' },
    },
  });
  const rng = createRng(cluster.seed)
    .fork('replicaset-controller')
    .fork(`${DNS_NAMESPACE}/${rs.name}`);
  const names = podsFor(rs, rng);
  const pos = cluster.dns.pos;
  return {
    deployment: {
      namespace: DNS_NAMESPACE,
      name: DNS_DEPLOYMENT,
      replicas: cluster.dns.replicas,
      replicaSet: rs.name,
      podTemplateHash: rs.podTemplateHash,
      pods: names.map((p) => p.name),
      pos,
      template: {
        labels: rs.templateLabels,
        dnsPolicy: 'Default',
        containers: [COREDNS_CONTAINER],
      },
    },
    pods: names.map((p) => ({
      namespace: p.namespace,
      name: p.name,
      nodeName: cluster.nodes[0].name,
      labels: p.labels,
      dnsPolicy: 'Default',
      containers: [COREDNS_CONTAINER],
      pos,
    })),
  };
}

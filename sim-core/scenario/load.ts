/**
 * loadScenario: YAML text → a validated LoadedScenario, or every error in
 * the file with its line and column. Cross-document rules (one Cluster, at
 * most one Scenario, pods on real nodes, actions naming real pods) live here;
 * each document kind is read by its own module.
 */
import { LineCounter } from 'yaml';
import { readScenario } from './actions.ts';
import { readCluster } from './cluster.ts';
import type { ClusterResult } from './cluster.ts';
import { Reporter } from './context.ts';
import type { ClassifiedDoc, SupportedKind } from './documents.ts';
import { splitDocuments } from './documents.ts';
import { collectNamespaces, indexPods, placePods } from './pod-placement.ts';
import { readNamespace, readPod } from './pods.ts';
import { createServices, deploymentPods, dnsAddonPods, workloadPods } from './api-objects.ts';
import { readDeployment, readWorkload } from './deployments.ts';
import { DEFAULT_CLUSTER_NOTICE, defaultCluster } from './cluster-default.ts';
import { readConfigMap } from './configmaps.ts';
import type { ConfigMapSpec } from './types.ts';
import type { DeploymentDraft } from './deployments.ts';
import { readService } from './services.ts';
import { readEndpointSlice } from './endpointslices.ts';
import type { EndpointSliceDraft } from './endpointslices.ts';
import type { ServiceDraft } from './services.ts';
import type { NamespaceDraft, PodDraft } from './pods.ts';
import type { LoadResult, ScenarioSpec } from './types.ts';
import { readIngress, readIngressClass } from './ingress.ts';
import type { IngressClassDraft, IngressDraft } from './ingress.ts';
import { DEFAULT_INGRESS_NGINX } from './cluster-ingress-nginx.ts';
import { ingressNginxDrafts } from './ingress-nginx.ts';
import { ingressObjects } from './ingress-objects.ts';
import { readSecret } from './secrets.ts';
import { fileTooLarge, limitPods, limitServices } from './limits.ts';
import type { SecretDraft } from './secrets.ts';

/** Documents of one kind; reports the extras where only one is allowed. */
function only(docs: ClassifiedDoc[], kind: SupportedKind, unique: boolean): ClassifiedDoc[] {
  const found = docs.filter((d) => d.kind === kind);
  if (!unique) return found;
  for (const extra of found.slice(1)) {
    const firstLine = found[0].top.ctx.pos(found[0].kindAt).line;
    extra.top.ctx.error(
      extra.kindAt,
      'kind',
      `a scenario file has only one ${kind} document (the first is at line ${firstLine})`,
    );
  }
  return found.slice(0, 1);
}

export function loadScenario(source: string): LoadResult {
  // Old Mac line ends (a lone CR) are line ends to every editor; YAML alone would see one long line.
  const text = lineEnds(source);
  const tooLarge = fileTooLarge(text);
  if (tooLarge) return { ok: false, errors: [tooLarge], warnings: [] };
  const lineCounter = new LineCounter();
  const reporter = new Reporter(lineCounter, text);
  const { docs, incomplete } = splitDocuments(text, lineCounter, reporter);

  const [clusterDoc] = only(docs, 'Cluster', true);
  const [scenarioDoc] = only(docs, 'Scenario', true);
  // No Cluster: kubeadm and flannel's defaults on three nodes, said as a warning (MAN8).
  if (!clusterDoc && !incomplete) {
    if (docs.length === 0)
      reporter.add(
        0,
        'this file has nothing Kubewire reads: paste Kubernetes manifests (Pod, Deployment, Service, …) or start with a kubewire/v1 Cluster document',
      );
    else reporter.warn(0, DEFAULT_CLUSTER_NOTICE);
  }
  let cluster: ClusterResult = clusterDoc ? readCluster(clusterDoc.top) : defaultCluster();
  // A pod's nodeName may be "unknown" only because its node was in a broken document.
  if (incomplete) cluster = { ...cluster, nodeNames: undefined };

  const declared = only(docs, 'Namespace', false)
    .map((d) => readNamespace(d.top))
    .filter((n): n is NamespaceDraft => n !== undefined);
  const podDocs = only(docs, 'Pod', false);
  const written = podDocs.map((d) => readPod(d.top)).filter((p): p is PodDraft => p !== undefined);
  const deploymentDrafts = only(docs, 'Deployment', false)
    .map((d) => readDeployment(d.top))
    .filter((d): d is DeploymentDraft => d !== undefined);
  const ingressDrafts = only(docs, 'Ingress', false)
    .map((d) => readIngress(d.top))
    .filter((d): d is IngressDraft => d !== undefined);
  // The add-on, when asked for or implied by an Ingress, after the file's own objects.
  const nginx =
    cluster.spec?.ingressNginx ??
    (only(docs, 'Ingress', false).length > 0 ? DEFAULT_INGRESS_NGINX : undefined);
  if (cluster.spec && nginx)
    cluster = { ...cluster, spec: { ...cluster.spec, ingressNginx: nginx } };
  const addonDoc = clusterDoc ?? only(docs, 'Ingress', false)[0];
  const nginxAddon =
    nginx && addonDoc
      ? ingressNginxDrafts(
          nginx,
          clusterDoc?.top.ctx ?? ingressDrafts[0]?.ctx ?? addonDoc.top.ctx,
          ingressDrafts[0]?.nameAt ?? addonDoc.kindAt,
        )
      : undefined;
  if (nginxAddon) deploymentDrafts.push(nginxAddon.deployment);
  const expanded = limitPods(cluster.spec?.dns?.replicas ?? 0, written, deploymentDrafts);
  const made = deploymentPods(expanded, cluster.spec?.seed ?? 1);
  const workloadDrafts = (['ReplicaSet', 'StatefulSet', 'DaemonSet'] as const).flatMap((kind) =>
    only(docs, kind, false)
      .map((d) => readWorkload(d.top, kind))
      .filter((d): d is DeploymentDraft => d !== undefined),
  );
  // In file order, so pods are placed in the order their controllers are written.
  workloadDrafts.sort((a, b) => a.pos.line - b.pos.line || a.pos.column - b.pos.column);
  const controlled = workloadPods(workloadDrafts, cluster.spec);
  const drafts = [...written, ...made.pods, ...controlled.pods];
  const configMaps = only(docs, 'ConfigMap', false)
    .map((d) => readConfigMap(d.top))
    .filter((c): c is ConfigMapSpec => c !== undefined);
  const serviceDrafts = only(docs, 'Service', false)
    .map((d) => readService(d.top))
    .filter((s): s is ServiceDraft => s !== undefined);
  if (nginxAddon) serviceDrafts.push(nginxAddon.service);
  const services = cluster.spec ? createServices(limitServices(serviceDrafts), cluster.spec) : [];
  const sliceDrafts = only(docs, 'EndpointSlice', false)
    .map((d) => readEndpointSlice(d.top))
    .filter((s): s is EndpointSliceDraft => s !== undefined);
  const ingress = ingressObjects(
    ingressDrafts,
    only(docs, 'IngressClass', false)
      .map((d) => readIngressClass(d.top))
      .filter((d): d is IngressClassDraft => d !== undefined),
    only(docs, 'Secret', false)
      .map((d) => readSecret(d.top))
      .filter((d): d is SecretDraft => d !== undefined),
    nginxAddon !== undefined,
  );
  // A pod whose name or namespace is unreadable may be the one an action names.
  const allPodsNamed = written.length === podDocs.length;
  const namespaces = collectNamespaces(declared, drafts);
  const podIndex = indexPods(drafts);
  const placed = placePods(drafts, cluster);
  const addon = cluster.spec ? dnsAddonPods(cluster.spec) : undefined;
  // The add-on's pods started at `kubeadm init`, before anything in the file.
  const pods = placed && addon ? [...addon.pods, ...placed] : placed;

  const clusterName = cluster.name ?? '';
  const scenario: ScenarioSpec = scenarioDoc
    ? readScenario(
        scenarioDoc.top,
        {
          pods: podIndex,
          hosts: cluster.hostNames ?? new Set(),
          ...(cluster.spec ? { nodes: new Set(cluster.spec.nodes.map((n) => n.name)) } : {}),
          // A Deployment whose document did not parse may be the one a scale names.
          ...(incomplete
            ? {}
            : {
                deployments: new Set([
                  ...(addon ? [`${addon.deployment.namespace}/${addon.deployment.name}`] : []),
                  ...made.deployments.map((d) => `${d.namespace}/${d.name}`),
                ]),
              }),
          dns: cluster.spec ? cluster.spec.dns !== undefined : true,
          services: new Set(
            serviceDrafts.map((s) => `${s.service.metadata.namespace}/${s.service.metadata.name}`),
          ),
          checkRefs: !incomplete && allPodsNamed,
        },
        clusterName,
      )
    : { name: clusterName, title: clusterName, goal: '', actions: [] };

  const warnings = reporter.sortedWarnings();
  if (reporter.errors.length > 0 || !cluster.spec || !pods) {
    return { ok: false, errors: reporter.sorted(), warnings };
  }
  return {
    ok: true,
    warnings,
    ignored: reporter.ignored(),
    scenario: {
      cluster: cluster.spec,
      namespaces,
      pods,
      services,
      deployments: addon ? [addon.deployment, ...made.deployments] : made.deployments,
      endpointSlices: sliceDrafts.map((d) => d.slice),
      ...ingress,
      ...(controlled.workloads.length ? { workloads: controlled.workloads } : {}),
      ...(configMaps.length ? { configMaps } : {}),
      scenario,
    },
  };
}

/** A lone CR (not part of CRLF) becomes LF: the same lines, so positions match what the user sees. */
export function lineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

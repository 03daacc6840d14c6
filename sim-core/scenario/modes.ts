/**
 * Re-targeting one scenario to another CNI or kube-proxy mode, for compare
 * mode: both sides come from the same text, only the Cluster's `cni` or
 * `kubeProxy` differs. A comparison is written `cni:flannel/host-gw` or
 * `kube-proxy:ipvs` (the app's URL holds it as `compare=`).
 */
import { CNI_MODES } from './cni-modes.ts';
import type { ClusterSpec, CniPlugin, LoadedScenario } from './types.ts';

export type ModeTarget =
  | { readonly layer: 'cni'; readonly plugin: CniPlugin; readonly mode: string }
  | { readonly layer: 'kube-proxy'; readonly mode: 'iptables' | 'ipvs' };

/** A comparison value that cannot be used: why, and the 1-based column in the value. */
export interface ModeError {
  readonly message: string;
  readonly column: number;
}

const KUBE_PROXY_MODES = ['iptables', 'ipvs'] as const;

/** `cni:flannel/host-gw` or `kube-proxy:ipvs` → a target, or what is wrong and where. */
export function parseModeTarget(value: string): ModeTarget | ModeError {
  const colon = value.indexOf(':');
  const layer = colon < 0 ? value : value.slice(0, colon);
  if (layer !== 'cni' && layer !== 'kube-proxy')
    return {
      column: 1,
      message: `"${layer}" is not cni or kube-proxy (write cni:flannel/host-gw or kube-proxy:ipvs)`,
    };
  if (colon < 0)
    return { column: value.length + 1, message: `a mode is missing after "${layer}:"` };
  const rest = value.slice(colon + 1);
  const at = colon + 2;
  if (layer === 'kube-proxy') {
    if ((KUBE_PROXY_MODES as readonly string[]).includes(rest))
      return { layer, mode: rest as 'iptables' | 'ipvs' };
    return { column: at, message: `kube-proxy mode "${rest}" is not one of iptables, ipvs` };
  }
  const slash = rest.indexOf('/');
  const plugin = slash < 0 ? rest : rest.slice(0, slash);
  if (!Object.hasOwn(CNI_MODES, plugin))
    return {
      column: at,
      message: `cni plugin "${plugin}" is not one of ${Object.keys(CNI_MODES).join(', ')}`,
    };
  const modes = CNI_MODES[plugin as CniPlugin];
  const mode = slash < 0 ? modes[0] : rest.slice(slash + 1);
  if (!modes.includes(mode))
    return {
      column: at + slash + 1,
      message: `${plugin} mode "${mode}" is not one of ${modes.join(', ')}`,
    };
  return { layer, plugin: plugin as CniPlugin, mode };
}

export function isModeError(t: ModeTarget | ModeError): t is ModeError {
  return 'message' in t;
}

export function formatModeTarget(t: ModeTarget): string {
  return t.layer === 'cni' ? `cni:${t.plugin}/${t.mode}` : `kube-proxy:${t.mode}`;
}

/** How a side is named on screen: "flannel host-gw", "kube-proxy ipvs". */
export function modeLabel(
  cluster: Pick<ClusterSpec, 'cni' | 'kubeProxy'>,
  layer: ModeTarget['layer'],
): string {
  return layer === 'cni'
    ? `${cluster.cni.plugin} ${cluster.cni.mode}`
    : `kube-proxy ${cluster.kubeProxy.mode}`;
}

/** The scenario's own side of a comparison on `layer` (what the other side is compared with). */
export function currentTarget(cluster: ClusterSpec, layer: ModeTarget['layer']): ModeTarget {
  return layer === 'cni'
    ? { layer, plugin: cluster.cni.plugin, mode: cluster.cni.mode }
    : { layer, mode: cluster.kubeProxy.mode };
}

/** Every target a scenario can be compared with: each other CNI {plugin, mode}, the other kube-proxy mode. */
export function compareTargets(cluster: ClusterSpec): ModeTarget[] {
  const out: ModeTarget[] = [];
  for (const [plugin, modes] of Object.entries(CNI_MODES) as [CniPlugin, readonly string[]][])
    for (const mode of modes)
      if (plugin !== cluster.cni.plugin || mode !== cluster.cni.mode)
        out.push({ layer: 'cni', plugin, mode });
  // With Cilium's kube-proxy replacement no kube-proxy runs: its modes are not the thing to compare.
  if (!cluster.cni.kubeProxyReplacement)
    for (const mode of KUBE_PROXY_MODES)
      if (mode !== cluster.kubeProxy.mode) out.push({ layer: 'kube-proxy', mode });
  return out;
}

/**
 * The same scenario under another mode: a new LoadedScenario whose Cluster
 * differs only in `cni` (or `kubeProxy`); pods, Services, actions and the seed
 * are the same objects. A plugin's own settings stay only while the plugin
 * does (flannel's hairpinMode means nothing to Calico, which has no bridge).
 */
export function withModes(loaded: LoadedScenario, target: ModeTarget): LoadedScenario {
  const cluster = loaded.cluster;
  let next: ClusterSpec;
  if (target.layer === 'cni') {
    const same = cluster.cni.plugin === target.plugin;
    const cni = same
      ? { ...cluster.cni, mode: target.mode }
      : { plugin: target.plugin, mode: target.mode };
    next = { ...cluster, cni };
  } else {
    // kube-proxy's --ipvs-scheduler defaults to rr, the one scheduler Kubewire models.
    const kubeProxy =
      target.mode === 'ipvs'
        ? { mode: 'ipvs' as const, scheduler: cluster.kubeProxy.scheduler ?? 'rr' }
        : { mode: 'iptables' as const };
    next = { ...cluster, kubeProxy };
  }
  return { ...loaded, cluster: next };
}

/**
 * Which modes a scenario can be compared with, how a side is named, and the
 * URL's `compare=` value: sim-core's `cni:flannel/host-gw` or
 * `kube-proxy:ipvs` (CMP2), or a short form a person would type — `host-gw`
 * (a mode of the scenario's own plugin), `calico` or `calico/vxlan` (a
 * plugin), `ipvs` (a kube-proxy mode).
 */
import {
  CNI_MODES,
  compareTargets,
  currentTarget,
  formatModeTarget,
  isModeError,
  parseModeTarget,
  type LoadedScenario,
  type ModeError,
  type ModeTarget,
} from '@kubewire/sim-core';

/**
 * Every mode the scenario can be re-targeted to. kube-proxy's modes differ only
 * where a Service is on the path, so they are offered only when the scenario
 * has a Service of its own (the API server's `kubernetes` Service aside).
 */
export function offeredTargets(scenario: LoadedScenario): ModeTarget[] {
  const services = scenario.services.some(
    (s) => !(s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes'),
  );
  return compareTargets(scenario.cluster).filter((t) => t.layer === 'cni' || services);
}

/** "flannel host-gw", "calico bgp", "kube-proxy ipvs": how a side is labelled. */
export function targetLabel(t: ModeTarget): string {
  return t.layer === 'cni' ? `${t.plugin} ${t.mode}` : `kube-proxy ${t.mode}`;
}

/** The scenario's own side, on the layer the comparison changes. */
export function ownLabel(scenario: LoadedScenario, layer: ModeTarget['layer']): string {
  const c = scenario.cluster;
  return layer === 'cni' ? `${c.cni.plugin} ${c.cni.mode}` : `kube-proxy ${c.kubeProxy.mode}`;
}

export const sameTarget = (a: ModeTarget, b: ModeTarget) =>
  formatModeTarget(a) === formatModeTarget(b);

/** A `compare=` value (long or short form) → a target, or what is wrong with it. */
export function parseCompare(value: string, scenario: LoadedScenario): ModeTarget | ModeError {
  if (value.includes(':')) return parseModeTarget(value);
  if (value === 'iptables' || value === 'ipvs') return parseModeTarget(`kube-proxy:${value}`);
  const plugin = scenario.cluster.cni.plugin;
  if (!value.includes('/') && !Object.hasOwn(CNI_MODES, value)) {
    if (CNI_MODES[plugin].includes(value)) return parseModeTarget(`cni:${plugin}/${value}`);
    return {
      column: 1,
      message: `"${value}" is not a mode of ${plugin} (${CNI_MODES[plugin].join(', ')}), a CNI plugin (${Object.keys(CNI_MODES).join(', ')}) or a kube-proxy mode (iptables, ipvs)`,
    };
  }
  const parsed = parseModeTarget(`cni:${value}`);
  // Columns count in the value as written, not in the "cni:" sim-core was given.
  return isModeError(parsed) ? { ...parsed, column: Math.max(1, parsed.column - 4) } : parsed;
}

/**
 * Why `target` cannot be compared with `scenario`, or undefined when it can:
 * it is the scenario's own mode, or a kube-proxy mode without a Service.
 */
export function refusal(target: ModeTarget, scenario: LoadedScenario): string | undefined {
  const label = targetLabel(target);
  if (sameTarget(target, currentTarget(scenario.cluster, target.layer)))
    return `the scenario already runs ${label}`;
  if (!offeredTargets(scenario).some((t) => sameTarget(t, target)))
    return `the scenario has no Service, so ${label} would look the same as kube-proxy ${scenario.cluster.kubeProxy.mode}`;
  return undefined;
}

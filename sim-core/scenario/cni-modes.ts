/**
 * The CNI plugins and their modes, on their own: the page's compare picker needs them at
 * first paint, and importing them from cluster.ts put the Cluster reader and the YAML
 * parser it uses into the page's first chunk (~30 KiB gzip).
 */
import type { CniPlugin } from './types.ts';

/** Modes per CNI plugin; the first is the plugin's own default. */
export const CNI_MODES: Readonly<Record<CniPlugin, readonly string[]>> = {
  flannel: ['vxlan', 'host-gw'],
  // calico.yaml ships CALICO_IPV4POOL_IPIP=Always, so IP-in-IP is its default.
  calico: ['ipip', 'bgp', 'vxlan'],
  // Cilium's default routing mode is tunnel with VXLAN.
  cilium: ['vxlan', 'native'],
};

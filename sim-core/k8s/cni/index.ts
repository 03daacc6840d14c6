/** The CNI plugin a Cluster document names (spec.cni.plugin), for one simulation. */
import type { ClusterSpec } from '../../scenario/types.ts';
import { calicoPlugin } from './calico.ts';
import { ciliumPlugin } from './cilium.ts';
import { flannelPlugin } from './flannel.ts';
import type { CniPlugin } from './plugin.ts';

export type { CniPlugin } from './plugin.ts';

export function createCni(cluster: ClusterSpec): CniPlugin {
  switch (cluster.cni.plugin) {
    case 'calico':
      return calicoPlugin(cluster);
    case 'cilium':
      return ciliumPlugin(cluster);
    default:
      return flannelPlugin(cluster);
  }
}

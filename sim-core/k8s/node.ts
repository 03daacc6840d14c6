/**
 * What every network namespace of a node starts with. The rest of a node's
 * host namespace is its CNI plugin's (k8s/cni/: flannel.ts and the others).
 */
import type { Iface } from '../model.ts';

/** Every network namespace starts with lo: 127.0.0.1/8, MTU 65536, ifindex 1. */
export const LOOPBACK: Iface = {
  name: 'lo',
  kind: 'loopback',
  mac: '00:00:00:00:00:00',
  ip: '127.0.0.1',
  prefixLength: 8,
  mtu: 65536,
  ifindex: 1,
};

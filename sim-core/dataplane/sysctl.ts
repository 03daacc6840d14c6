/**
 * The net.* sysctls we model, with the values a kubeadm + flannel node and a
 * pod start with. kubeadm's preflight requires net.ipv4.ip_forward = 1 and
 * net.bridge.bridge-nf-call-iptables = 1 on nodes (br_netfilter loaded); a
 * pod's namespace gets the kernel defaults (no forwarding). A scenario can
 * override any of them per node.
 */
import type { Netns } from '../model.ts';

export const SYSCTL_DEFAULTS: Readonly<Record<Netns['kind'], Readonly<Record<string, string>>>> = {
  host: {
    'net.ipv4.ip_forward': '1',
    'net.bridge.bridge-nf-call-iptables': '1',
    'net.ipv4.conf.all.proxy_arp': '0',
    'net.ipv4.conf.all.rp_filter': '0',
    'net.ipv4.tcp_syn_linear_timeouts': '4',
    'net.ipv4.ip_local_port_range': '32768\t60999',
    // The kernel's default in every namespace: echo requests to a broadcast or multicast address are ignored.
    'net.ipv4.icmp_echo_ignore_broadcasts': '1',
  },
  pod: {
    'net.ipv4.ip_forward': '0',
    'net.ipv4.conf.all.proxy_arp': '0',
    'net.ipv4.conf.all.rp_filter': '0',
    'net.ipv4.tcp_syn_linear_timeouts': '4',
    'net.ipv4.ip_local_port_range': '32768\t60999',
    // The kernel's default in every namespace: echo requests to a broadcast or multicast address are ignored.
    'net.ipv4.icmp_echo_ignore_broadcasts': '1',
  },
  network: {},
  // A laptop or server on the node network: a plain Linux host that does not route.
  external: {
    'net.ipv4.ip_forward': '0',
    'net.ipv4.conf.all.proxy_arp': '0',
    'net.ipv4.conf.all.rp_filter': '0',
    'net.ipv4.tcp_syn_linear_timeouts': '4',
    'net.ipv4.ip_local_port_range': '32768\t60999',
    // The kernel's default in every namespace: echo requests to a broadcast or multicast address are ignored.
    'net.ipv4.icmp_echo_ignore_broadcasts': '1',
  },
};

export const SYSCTL_KEYS = Object.keys(SYSCTL_DEFAULTS.host);

/** The value in effect, as `sysctl -n KEY` prints it. */
export function sysctl(ns: Netns, key: string): string | undefined {
  return ns.sysctls?.[key] ?? SYSCTL_DEFAULTS[ns.kind][key];
}

export function sysctlOn(ns: Netns, key: string): boolean {
  return sysctl(ns, key) === '1';
}

/** Every modelled key with its value, sorted as `sysctl -a` prints them. */
export function sysctlAll(ns: Netns): [string, string][] {
  const keys = new Set([
    ...Object.keys(SYSCTL_DEFAULTS[ns.kind]),
    ...Object.keys(ns.sysctls ?? {}),
  ]);
  return [...keys].sort().map((k) => [k, sysctl(ns, k)!]);
}

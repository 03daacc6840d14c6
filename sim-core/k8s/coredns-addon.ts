/**
 * The CoreDNS add-on as kubeadm installs it (cmd/kubeadm/app/phases/addons/dns):
 * Deployment `coredns` in kube-system (label k8s-app: kube-dns, kubeadm's 2
 * replicas, dnsPolicy Default), behind Service `kube-dns` at the service
 * CIDR's tenth address with ports dns 53/UDP, dns-tcp 53/TCP, metrics 9153/TCP.
 *
 * Scheduling: kubeadm creates the Deployment at `kubeadm init`, when the
 * control-plane node is the only node; the pods tolerate its NoSchedule taint
 * but not node.kubernetes.io/not-ready, so they wait for the CNI and, on a
 * cluster brought up the usual way (init, apply flannel, then join), both
 * start on the control-plane node — the first node here — before any
 * workload, taking its first pod addresses (.2 and .3). Their preferred
 * anti-affinity does not move running pods when workers join later.
 */
import type { Service } from './api-types.ts';
import { hostAddress } from '../net/cidr.ts';
import type { ContainerSpec } from '../scenario/types.ts';

export const DNS_NAMESPACE = 'kube-system';
export const DNS_SERVICE = 'kube-dns';
export const DNS_DEPLOYMENT = 'coredns';
export const DNS_LABELS: Readonly<Record<string, string>> = { 'k8s-app': 'kube-dns' };
/** kubeadm's CoreDNS image for Kubernetes 1.31–1.32 (constants.CoreDNSVersion). */
export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.11.3';

/** kubeadm's DNS IP: the tenth address of the service CIDR (GetDNSIP, index 10). */
export function dnsServiceIP(serviceCIDR: string): string {
  return hostAddress(serviceCIDR, 10);
}

export const COREDNS_CONTAINER: ContainerSpec = {
  name: 'coredns',
  image: COREDNS_IMAGE,
  ports: [
    { containerPort: 53, protocol: 'UDP', name: 'dns' },
    { containerPort: 53, protocol: 'TCP', name: 'dns-tcp' },
    { containerPort: 9153, protocol: 'TCP', name: 'metrics' },
    { containerPort: 8080, protocol: 'TCP', name: 'liveness-probe' },
    { containerPort: 8181, protocol: 'TCP', name: 'readiness-probe' },
  ],
};

export function kubeDnsService(serviceCIDR: string): Service {
  return {
    metadata: {
      namespace: DNS_NAMESPACE,
      name: DNS_SERVICE,
      labels: {
        'k8s-app': 'kube-dns',
        'kubernetes.io/cluster-service': 'true',
        'kubernetes.io/name': 'CoreDNS',
      },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      type: 'ClusterIP',
      selector: DNS_LABELS,
      ports: [
        { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
        { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
        { name: 'metrics', protocol: 'TCP', port: 9153, targetPort: 9153 },
      ],
      clusterIP: dnsServiceIP(serviceCIDR),
      sessionAffinity: 'None',
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
    },
  };
}

/**
 * kube-proxy's per-service and per-endpoint chain names (proxier.go
 * portProtoHash, servicePortEndpointChainName): a prefix and the first 16
 * characters of base32(sha256(s)), where s is ServicePortName.String(), then
 * the protocol in lower case ("tcp"), then, for KUBE-SEP-, the endpoint
 * "ip:port" — concatenated with no separator. iptables chain names must stay
 * within 28 characters.
 */
import { sha256 } from '@noble/hashes/sha256';
import { base32StdEncode } from './base32.ts';

const encoder = new TextEncoder();

function hash16(s: string): string {
  return base32StdEncode(sha256(encoder.encode(s))).slice(0, 16);
}

/** portProtoHash(servicePortName, protocol). */
export function portProtoHash(servicePortName: string, protocol: string): string {
  return hash16(servicePortName + protocol);
}

export interface ServiceChainNames {
  /** KUBE-SVC-: the endpoints for Cluster traffic policy. */
  readonly clusterPolicy: string;
  /** KUBE-SVL-: the endpoints for Local traffic policy. */
  readonly localPolicy: string;
  /** KUBE-FW-: loadBalancerSourceRanges. */
  readonly firewall: string;
  /** KUBE-EXT-: external destinations (NodePort, LoadBalancer, externalIPs). */
  readonly external: string;
}

/** The four chains newServiceInfo names for a service port; `protocol` is lower case. */
export function serviceChainNames(servicePortName: string, protocol: string): ServiceChainNames {
  const h = portProtoHash(servicePortName, protocol);
  return {
    clusterPolicy: `KUBE-SVC-${h}`,
    localPolicy: `KUBE-SVL-${h}`,
    firewall: `KUBE-FW-${h}`,
    external: `KUBE-EXT-${h}`,
  };
}

/** servicePortEndpointChainName: KUBE-SEP- for endpoint "ip:port" of a service port. */
export function endpointChainName(
  servicePortName: string,
  protocol: string,
  endpoint: string,
): string {
  return `KUBE-SEP-${hash16(servicePortName + protocol + endpoint)}`;
}

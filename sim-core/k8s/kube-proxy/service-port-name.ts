/**
 * kube-proxy's ServicePortName (pkg/proxy/types.go): a Service's namespace
 * and name, the port's name and its protocol. Its String() is
 * "namespace/name:port", or "namespace/name" when the port has no name; the
 * protocol is not part of the string. Every kube-proxy comment
 * ("ns/svc:p80 cluster IP") and chain-name hash starts from that string.
 */
import type { Protocol } from '../api-types.ts';

export interface ServicePortName {
  readonly namespace: string;
  readonly name: string;
  /** ServicePort.name; '' for a Service's single unnamed port. */
  readonly port: string;
  readonly protocol: Protocol;
}

/** ServicePortName.String(): "ns/name:port", the ":port" left out for an unnamed port. */
export function servicePortNameString(spn: ServicePortName): string {
  return `${spn.namespace}/${spn.name}${spn.port === '' ? '' : `:${spn.port}`}`;
}

/**
 * A map key telling service ports apart as Go's struct equality does (two
 * ports of one Service may share a name string only across protocols).
 */
export function servicePortKey(spn: ServicePortName): string {
  return `${spn.namespace}/${spn.name}:${spn.port}/${spn.protocol}`;
}

/** The order this model walks kube-proxy's service map in (Go's is random): by String(), then protocol. */
export function compareServicePortNames(a: ServicePortName, b: ServicePortName): number {
  const sa = servicePortNameString(a);
  const sb = servicePortNameString(b);
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0;
}

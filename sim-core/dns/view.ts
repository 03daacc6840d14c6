/**
 * What CoreDNS's kubernetes plugin sees of the cluster: the API objects its
 * informers watch (Services, EndpointSlices, Namespaces), as plain data. The
 * data path fills one from the world's API snapshot for every query; the
 * plugin indexes it once per distinct `services`/`endpointSlices` array.
 */
import type { EndpointSlice, Service } from '../k8s/api-types.ts';

export interface DnsClusterView {
  /** The kubelet's --cluster-domain ("cluster.local"). */
  readonly clusterDomain: string;
  readonly services: readonly Service[];
  readonly endpointSlices: readonly EndpointSlice[];
  /**
   * Namespaces that exist. CoreDNS answers NXDOMAIN for any name in a
   * namespace it cannot find (namespace.go filteredNamespaceExists), even
   * with `pods insecure`.
   */
  readonly namespaces: readonly string[];
  /**
   * The SOA serial: CoreDNS uses the Unix time (seconds) of the last change
   * its API cache saw (kubernetes.go Serial → APIConn.Modified).
   */
  readonly serial: number;
  /**
   * The answering CoreDNS pod's own addresses: `ns.dns.<zone>` and the
   * zone's NS records name the Services whose endpoints they are (ns.go nsAddrs).
   */
  readonly localIPs?: readonly string[];
}

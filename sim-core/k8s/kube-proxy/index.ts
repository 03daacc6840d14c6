/**
 * What every kube-proxy mode shares: the service map (one ServicePortInfo per
 * port of each proxied Service), the endpoints map built from EndpointSlices,
 * and CategorizeEndpoints' choice of endpoints for Cluster and Local traffic
 * policy. The iptables and IPVS proxiers build on these.
 */
export type { ServicePortName } from './service-port-name.ts';
export {
  compareServicePortNames,
  servicePortKey,
  servicePortNameString,
} from './service-port-name.ts';
export type { ServicePortInfo } from './service-port.ts';
export {
  buildServicePortMap,
  cidrContains,
  externallyAccessible,
  normalizeCidr,
  servicePorts,
  shouldSkipService,
  usesClusterEndpoints,
  usesLocalEndpoints,
} from './service-port.ts';
export type { EndpointInfo, EndpointsMap } from './endpoints.ts';
export { LABEL_SERVICE_NAME, buildEndpointsMap, endpointsFor } from './endpoints.ts';
export type { CategorizedEndpoints } from './topology.ts';
export { categorizeEndpoints } from './topology.ts';

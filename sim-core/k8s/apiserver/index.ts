/**
 * The API server's part of the Services half: ClusterIP and NodePort
 * allocation as v1.33 does it, the words it refuses a Service with, and the
 * names it generates (generateName, util/rand).
 */
export {
  AllocatorError,
  IP_ALREADY_ALLOCATED,
  IP_MISMATCHED_NETWORK,
  PORT_ALREADY_ALLOCATED,
  RANGE_FULL,
  ipNotInRange,
  portNotInRange,
} from './allocator-errors';
export type { AllocatorErrorCode } from './allocator-errors';
export { ClusterIPAllocator, calculateRangeOffset, kubernetesServiceIP } from './cluster-ip';
export {
  DEFAULT_NODE_PORT_RANGE,
  NodePortAllocator,
  calculatePortRangeOffset,
  parsePortRange,
  portRangeString,
} from './node-port';
export type { PortRange } from './node-port';
export {
  ALPHANUMS,
  GENERATED_SUFFIX_LENGTH,
  MAX_GENERATE_NAME_BASE,
  generateName,
  randString,
  safeEncodeString,
} from './names';
export { allocateServiceCreate, needsHealthCheck, releaseService } from './service-alloc';
export type { ServiceAllocators } from './service-alloc';
export {
  ServiceStatusError,
  fieldErrorString,
  fieldInvalid,
  formatGoValue,
  kubectlErrorMessage,
  newInternalError,
  newInvalid,
} from './service-errors';
export type { FieldError, GoValue } from './service-errors';

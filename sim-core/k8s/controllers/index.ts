/**
 * The controller-manager's part of the Services half, as pure functions: the
 * EndpointSlice controller's reconciler, label selectors, and the
 * Deployment → ReplicaSet → Pod names.
 */
export { POD_TEMPLATE_HASH_LABEL, computeHash, fnv32a, podsFor, replicaSetFor } from './deployment';
export type { DeploymentView, PodName, PodTemplateView, ReplicaSetView } from './deployment';
export { reconcileEndpointSlices } from './endpointslice';
export type { ReconcileInput, ReconcileResult, SliceAction, SliceChange } from './endpointslice';
export {
  ANNOTATION_TRIGGER_TIME,
  CONTROLLER_NAME,
  DEFAULT_MAX_ENDPOINTS_PER_SLICE,
  LABEL_HEADLESS,
  LABEL_MANAGED_BY,
  LABEL_SERVICE_NAME,
  getEndpointPorts,
  getSliceToFill,
  podToEndpoint,
} from './endpointslice-utils';
export {
  labelSelectorMatches,
  labelSelectorRequirements,
  matchesRequirements,
  matchesSet,
  parseSelector,
  requirementMatches,
  selectorMatches,
  serviceSelects,
} from './labels';
export type { LabelSelector, Labels, Operator, Requirement } from './labels';
export type { ContainerPortView, PodView } from './pod-view';

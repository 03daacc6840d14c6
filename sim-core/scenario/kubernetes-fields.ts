/**
 * Field names of the Kubernetes objects we read (API v1, as of 1.33). Real
 * manifests carry many fields Kubewire does not model (resources, env,
 * probes…); those are accepted and ignored so any `kubectl apply`-able Pod
 * loads. A name on none of these lists is a typo, and reported as one —
 * the same rule as kubectl's strict field validation.
 */

export const OBJECT_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec', 'status'] as const;

export const OBJECT_META_FIELDS = [
  'name',
  'namespace',
  'labels',
  'annotations',
  'generateName',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'ownerReferences',
  'finalizers',
  'managedFields',
  'selfLink',
] as const;

export const POD_SPEC_FIELDS = [
  'activeDeadlineSeconds',
  'affinity',
  'automountServiceAccountToken',
  'containers',
  'dnsConfig',
  'dnsPolicy',
  'enableServiceLinks',
  'ephemeralContainers',
  'hostAliases',
  'hostIPC',
  'hostNetwork',
  'hostPID',
  'hostUsers',
  'hostname',
  'imagePullSecrets',
  'initContainers',
  'nodeName',
  'nodeSelector',
  'os',
  'overhead',
  'preemptionPolicy',
  'priority',
  'priorityClassName',
  'readinessGates',
  'resourceClaims',
  'resources',
  'restartPolicy',
  'runtimeClassName',
  'schedulerName',
  'schedulingGates',
  'securityContext',
  'serviceAccount',
  'serviceAccountName',
  'setHostnameAsFQDN',
  'shareProcessNamespace',
  'subdomain',
  'terminationGracePeriodSeconds',
  'tolerations',
  'topologySpreadConstraints',
  'volumes',
] as const;

export const CONTAINER_FIELDS = [
  'args',
  'command',
  'env',
  'envFrom',
  'image',
  'imagePullPolicy',
  'lifecycle',
  'livenessProbe',
  'name',
  'ports',
  'readinessProbe',
  'resizePolicy',
  'resources',
  'restartPolicy',
  'securityContext',
  'startupProbe',
  'stdin',
  'stdinOnce',
  'terminationMessagePath',
  'terminationMessagePolicy',
  'tty',
  'volumeDevices',
  'volumeMounts',
  'workingDir',
] as const;

export const CONTAINER_PORT_FIELDS = [
  'containerPort',
  'hostIP',
  'hostPort',
  'name',
  'protocol',
] as const;

/**
 * Kinds a scenario may one day contain (DESIGN.md) or that a student may
 * paste from a tutorial: refused with "not supported yet" rather than
 * "unknown kind", because they are real and planned.
 */
export const KNOWN_KUBERNETES_KINDS = [
  'ConfigMap',
  'CronJob',
  'DaemonSet',
  'Deployment',
  'Endpoints',
  'EndpointSlice',
  'Gateway',
  'HTTPRoute',
  'Ingress',
  'IngressClass',
  'Job',
  'NetworkPolicy',
  'Node',
  'ReplicaSet',
  'Secret',
  'Service',
  'ServiceAccount',
  'StatefulSet',
] as const;

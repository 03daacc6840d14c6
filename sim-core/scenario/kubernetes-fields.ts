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
 * Real kinds Kubewire does not simulate, that a student may paste from a
 * tutorial or `kubectl get all -o yaml`: a warning ("not simulated"), and
 * the document is left out, even when written without an apiVersion.
 */
export const KNOWN_KUBERNETES_KINDS = [
  'ClusterRole',
  'ClusterRoleBinding',
  'ControllerRevision',
  'CronJob',
  'CustomResourceDefinition',
  'Endpoints',
  'Event',
  'Gateway',
  'GatewayClass',
  'HorizontalPodAutoscaler',
  'HTTPRoute',
  'Job',
  'Lease',
  'LimitRange',
  'MutatingWebhookConfiguration',
  'NetworkPolicy',
  'Node',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'PodDisruptionBudget',
  'PriorityClass',
  'ResourceQuota',
  'Role',
  'RoleBinding',
  'ServiceAccount',
  'StorageClass',
  'ValidatingWebhookConfiguration',
] as const;

/** v1 List, as `kubectl get a,b -o yaml` wraps what it prints. */
export const LIST_FIELDS = ['apiVersion', 'kind', 'metadata', 'items'] as const;

/** v1 ConfigMap: no spec, its data at the top level. */
export const CONFIG_MAP_FIELDS = [
  'apiVersion',
  'kind',
  'metadata',
  'data',
  'binaryData',
  'immutable',
] as const;

/** apps/v1 ReplicaSetSpec. */
export const REPLICA_SET_SPEC_FIELDS = [
  'minReadySeconds',
  'replicas',
  'selector',
  'template',
] as const;

/** apps/v1 StatefulSetSpec (1.33). */
export const STATEFUL_SET_SPEC_FIELDS = [
  'minReadySeconds',
  'ordinals',
  'persistentVolumeClaimRetentionPolicy',
  'podManagementPolicy',
  'replicas',
  'revisionHistoryLimit',
  'selector',
  'serviceName',
  'template',
  'updateStrategy',
  'volumeClaimTemplates',
] as const;

/** apps/v1 DaemonSetSpec. */
export const DAEMON_SET_SPEC_FIELDS = [
  'minReadySeconds',
  'revisionHistoryLimit',
  'selector',
  'template',
  'updateStrategy',
] as const;

export const SERVICE_SPEC_FIELDS = [
  'allocateLoadBalancerNodePorts',
  'clusterIP',
  'clusterIPs',
  'externalIPs',
  'externalName',
  'externalTrafficPolicy',
  'healthCheckNodePort',
  'internalTrafficPolicy',
  'ipFamilies',
  'ipFamilyPolicy',
  'loadBalancerClass',
  'loadBalancerIP',
  'loadBalancerSourceRanges',
  'ports',
  'publishNotReadyAddresses',
  'selector',
  'sessionAffinity',
  'sessionAffinityConfig',
  'trafficDistribution',
  'type',
] as const;

export const SERVICE_PORT_FIELDS = [
  'appProtocol',
  'name',
  'nodePort',
  'port',
  'protocol',
  'targetPort',
] as const;

export const DEPLOYMENT_SPEC_FIELDS = [
  'minReadySeconds',
  'paused',
  'progressDeadlineSeconds',
  'replicas',
  'revisionHistoryLimit',
  'selector',
  'strategy',
  'template',
] as const;

export const LABEL_SELECTOR_FIELDS = ['matchLabels', 'matchExpressions'] as const;
export const POD_TEMPLATE_FIELDS = ['metadata', 'spec'] as const;

export const ENDPOINT_SLICE_FIELDS = [
  'apiVersion',
  'kind',
  'metadata',
  'addressType',
  'endpoints',
  'ports',
] as const;
export const ENDPOINT_FIELDS = [
  'addresses',
  'conditions',
  'deprecatedTopology',
  'hints',
  'hostname',
  'nodeName',
  'targetRef',
  'zone',
] as const;
export const ENDPOINT_CONDITION_FIELDS = ['ready', 'serving', 'terminating'] as const;
export const ENDPOINT_PORT_FIELDS = ['appProtocol', 'name', 'port', 'protocol'] as const;

/** networking.k8s.io/v1 Ingress. */
export const INGRESS_SPEC_FIELDS = ['defaultBackend', 'ingressClassName', 'rules', 'tls'] as const;
export const INGRESS_RULE_FIELDS = ['host', 'http'] as const;
export const INGRESS_PATH_FIELDS = ['backend', 'path', 'pathType'] as const;
export const INGRESS_BACKEND_FIELDS = ['resource', 'service'] as const;
export const INGRESS_SERVICE_BACKEND_FIELDS = ['name', 'port'] as const;
export const INGRESS_TLS_FIELDS = ['hosts', 'secretName'] as const;
export const INGRESS_CLASS_SPEC_FIELDS = ['controller', 'parameters'] as const;

/** v1 Secret: no spec, its data at the top level. */
export const SECRET_FIELDS = [
  'apiVersion',
  'kind',
  'metadata',
  'type',
  'data',
  'stringData',
  'immutable',
] as const;

/** Container.lifecycle (stopSignal: KEP-4960, 1.33 alpha). */
export const LIFECYCLE_FIELDS = ['postStart', 'preStop', 'stopSignal'] as const;
/** LifecycleHandler: exactly one of these. */
export const LIFECYCLE_HANDLER_FIELDS = ['exec', 'httpGet', 'sleep', 'tcpSocket'] as const;

/**
 * The loaded, validated scenario: the Cluster document with defaults filled
 * in, the Kubernetes objects, and the Scenario's actions. Every object keeps
 * the line/column it came from so later errors (an action naming an unknown
 * pod) can point at the file.
 */
import type { NetfilterState } from '../dataplane/netfilter/ruleset.ts';
import type { EndpointSlice, Ingress, IngressClass, Secret, Service } from '../k8s/api-types.ts';
export interface SourcePos {
  readonly line: number; // 1-based
  readonly column: number; // 1-based
}

export interface Diagnostic extends SourcePos {
  readonly message: string;
  /** Absent or 'error': the file is refused. 'warning': it loads, and the warning is shown (MAN10). */
  readonly severity?: 'error' | 'warning';
  /** YAML path of the offending node ("spec.nodes[1].ip"), when known. */
  readonly path?: string;
  /** 0-based index of the YAML document in the multi-document file. */
  readonly document?: number;
}

export type CniPlugin = 'flannel' | 'calico' | 'cilium';

/** A node's kernel settings: sysctls, an iptables-restore file, promiscuous capture points. */
export interface NodeKernel {
  readonly sysctls?: Readonly<Record<string, string>>;
  /** iptables-restore input, loaded into the node's netns before any traffic. */
  readonly iptables?: string;
  /** The same file, parsed once by the loader (a kube-proxy-sized file takes seconds to parse). */
  readonly ruleset?: NetfilterState;
  /** Devices a capture holds in promiscuous mode (tcpdump without -p). */
  readonly promiscuous?: readonly string[];
}

export interface ClusterNode {
  readonly name: string;
  readonly ip: string;
  /** Given, or assigned in order from podCIDR by nodeCIDRMaskSize. */
  readonly podCIDR: string;
  readonly pos: SourcePos;
  readonly kernel?: NodeKernel;
}

/** A machine on the node network that is not a node (spec.hosts): a client outside the cluster. */
export interface ExternalHost {
  readonly name: string;
  readonly ip: string;
  /** TCP ports a server on it listens on (a database outside the cluster). */
  readonly listen?: readonly number[];
  /**
   * A DNS server on it answering from these records (name → IPv4 addresses),
   * NXDOMAIN for any other name: the upstream resolver CoreDNS forwards to.
   */
  readonly dns?: Readonly<Record<string, readonly string[]>>;
  readonly pos: SourcePos;
}

/** spec.dns: the CoreDNS add-on as kubeadm installs it. */
export interface ClusterDns {
  /** The coredns Deployment's replicas (kubeadm: 2). */
  readonly replicas: number;
  /** The spec.hosts entry that is the nodes' /etc/resolv.conf nameserver (CoreDNS forwards to it). */
  readonly upstream?: string;
  readonly pos: SourcePos;
}

/** The ingress-nginx add-on (Cluster spec.ingressNginx). */
export interface IngressNginxSpec {
  /** The controller Service's type: NodePort as in provider/baremetal, LoadBalancer as in provider/cloud. */
  readonly service: 'NodePort' | 'LoadBalancer';
  readonly replicas: number;
  /** The LoadBalancer's status.loadBalancer.ingress address (a MetalLB-style L2 address); else <pending>. */
  readonly loadBalancerIP?: string;
}

export interface ClusterSpec {
  readonly name: string;
  readonly nodeNetwork: string; // default 192.168.1.0/24
  readonly podCIDR: string; // default 10.244.0.0/16
  readonly nodeCIDRMaskSize: number; // default 24
  readonly serviceCIDR: string; // default 10.96.0.0/12
  readonly clusterDomain: string; // default cluster.local
  /** default flannel/vxlan; hairpinMode: the bridge plugin's, true in flannel's CNI config. */
  readonly cni: {
    readonly plugin: CniPlugin;
    readonly mode: string;
    readonly hairpinMode?: boolean;
    /** calico: the IPPool's CIDR (default 192.168.0.0/16) and blockSize (default 26). */
    readonly ipPool?: string;
    readonly blockSize?: number;
    /** cilium: cluster-pool IPAM's pool (default 10.0.0.0/8) and per-node mask size (default 24). */
    readonly clusterPoolIPv4PodCIDRList?: string;
    readonly clusterPoolIPv4MaskSize?: number;
    /** cilium: Helm's kubeProxyReplacement — no kube-proxy; Cilium's eBPF load-balances Services (socket LB). */
    readonly kubeProxyReplacement?: boolean;
  };
  readonly kubeProxy: { readonly mode: 'iptables' | 'ipvs'; readonly scheduler?: string };
  readonly seed: number; // default 1
  readonly nodes: readonly ClusterNode[];
  /** Machines on the node network outside the cluster (a laptop, an upstream DNS server). */
  readonly hosts: readonly ExternalHost[];
  /** CoreDNS (Deployment coredns, Service kube-dns); absent: no cluster DNS is simulated. */
  readonly dns?: ClusterDns;
  /** Set when the file asks for it or has Ingresses; absent otherwise. */
  readonly ingressNginx?: IngressNginxSpec;
}

export interface ContainerPort {
  readonly containerPort: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly name?: string;
}

/**
 * lifecycle.preStop, as the kubelet runs it before SIGTERM: `sleep` (KEP-3960)
 * sleeps in the kubelet; `exec` runs a command in the container, which
 * Kubewire cannot run: `sleep N` (bare or under `sh -c`) takes N seconds,
 * any other command is taken to return at once.
 */
export interface PreStopHook {
  readonly kind: 'sleep' | 'exec';
  readonly seconds: number;
  /** exec's command, as written. */
  readonly command?: readonly string[];
}

export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly ports: readonly ContainerPort[];
  /** The container's args, as written (http-echo's `-text=…`). */
  readonly args?: readonly string[];
  readonly preStop?: PreStopHook;
}

/** `curl [-k] [-H …] [--resolve host:port:addr] URL`: one HTTP(S) GET (apps/curl.ts). */
export interface HttpAction {
  readonly kind: 'http';
  readonly from: PodRef;
  readonly url: string;
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number;
  /** The request target: path and query, "/" when the URL has none. */
  readonly path: string;
  /** --resolve host:port:addr: this host and port go to addr, no lookup. */
  readonly resolve?: { readonly host: string; readonly port: number; readonly addr: string };
  /** -k: accept any certificate (the controller's fake one, a self-signed one). */
  readonly insecure?: boolean;
  /** -H "Name: value", in order. */
  readonly headers?: readonly (readonly [string, string])[];
  readonly pos: SourcePos;
}

/** spec.terminationGracePeriodSeconds when the manifest leaves it out. */
export const DEFAULT_GRACE_PERIOD_SECONDS = 30;

export interface PodSpec {
  readonly namespace: string;
  readonly name: string;
  /** Given in the manifest, or assigned round-robin over nodes in order written. */
  readonly nodeName: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly hostname?: string;
  readonly subdomain?: string;
  /** spec.dnsPolicy (ClusterFirst when absent) and spec.dnsConfig. */
  readonly dnsPolicy?: DnsPolicy;
  readonly dnsConfig?: PodDnsConfig;
  readonly containers: readonly ContainerSpec[];
  /** spec.terminationGracePeriodSeconds, when written (default 30). */
  readonly terminationGracePeriodSeconds?: number;
  readonly pos: SourcePos;
}

export type DnsPolicy = 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';

/** spec.dnsConfig: merged by the kubelet into what dnsPolicy gives. */
export interface PodDnsConfig {
  readonly nameservers?: readonly string[];
  readonly searches?: readonly string[];
  readonly options?: readonly { readonly name: string; readonly value?: string }[];
}

/** A pod reference as written in an action: "ns/name" or "name" (namespace default). */
export interface PodRef {
  readonly namespace: string;
  readonly name: string;
}

export type Action =
  | {
      readonly kind: 'ping';
      readonly from: PodRef;
      /** A pod name ("ns/name" or "name") or an IPv4 address, as written. */
      readonly to: string;
      readonly count: number; // default 1
      /** `ping -b`: allow pinging a broadcast address (without it iputils refuses). */
      readonly broadcast?: boolean;
      readonly pos: SourcePos;
    }
  | {
      readonly kind: 'connect';
      readonly from: PodRef;
      readonly to: string;
      readonly port: number;
      /** Bytes the client writes once connected, like `printf DATA | nc`. */
      readonly data?: string;
      /** Shut the sending side down after the data, like `nc -N`: the close handshake follows. */
      readonly close?: boolean;
      /** Give up a connect() still waiting after this many seconds, like `nc -w`. */
      readonly timeout?: number;
      readonly pos: SourcePos;
    }
  | {
      /** One UDP datagram, like `printf DATA | nc -u -w 1 TO PORT`. */
      readonly kind: 'send';
      readonly from: PodRef;
      readonly to: string;
      readonly port: number;
      readonly data: string;
      readonly pos: SourcePos;
    }
  | {
      readonly kind: 'crash';
      readonly pod: PodRef;
      readonly container: string;
      readonly pos: SourcePos;
    }
  | HttpAction
  | {
      /** dig NAME TYPE [@server] [+search]: one query, no search list unless asked. */
      readonly kind: 'dig';
      readonly from: PodRef;
      readonly name: string;
      readonly qtype: string;
      readonly server?: string;
      readonly search?: boolean;
      readonly pos: SourcePos;
    }
  | {
      /** getent ahosts NAME: glibc's getaddrinfo, A and AAAA over the search list. */
      readonly kind: 'resolve';
      readonly from: PodRef;
      readonly name: string;
      readonly pos: SourcePos;
    }
  | {
      readonly kind: 'delete';
      readonly pod: PodRef;
      /** false: `kubectl delete --wait=false`, the next action does not wait for the pod to go. */
      readonly wait: boolean;
      readonly pos: SourcePos;
    }
  | {
      /** The pod's readiness probe starts failing (false) or passing again (true). */
      readonly kind: 'ready';
      readonly pod: PodRef;
      readonly ready: boolean;
      readonly pos: SourcePos;
    }
  | {
      /** `iptables ARGS` run by hand on a node (a fault: a DROP rule, a kube-proxy rule deleted). */
      readonly kind: 'iptables';
      readonly node: string;
      readonly table: 'filter' | 'nat' | 'mangle' | 'raw';
      /** The command without -t, as one iptables-restore line. */
      readonly line: string;
      /** As written. */
      readonly args: string;
      readonly pos: SourcePos;
    }
  | ScaleAction
  | DrainAction
  | NodeDownAction;

/** `kubectl scale deployment/NAME --replicas=N`: the ReplicaSet controller creates or deletes pods. */
export interface ScaleAction {
  readonly kind: 'scale';
  /** The Deployment, "ns/name" as written ("name" means namespace default). */
  readonly deployment: PodRef;
  readonly replicas: number;
  readonly pos: SourcePos;
}

/** `kubectl drain NODE --ignore-daemonsets [--force]`: cordon, then evict the node's pods. */
export interface DrainAction {
  readonly kind: 'drain';
  readonly node: string;
  /** --force: also delete pods no controller owns (they are gone for good). */
  readonly force: boolean;
  readonly pos: SourcePos;
}

/** The node stops (power off): nothing on it answers, and the node lifecycle controller notices. */
export interface NodeDownAction {
  readonly kind: 'node-down';
  readonly node: string;
  readonly pos: SourcePos;
}

/** The actions that break something, for buttons and property tests to generate. */
export const FAULT_ACTION_KINDS = [
  'crash',
  'delete',
  'ready',
  'iptables',
  'scale',
  'drain',
  'node-down',
] as const;
export type FaultActionKind = (typeof FAULT_ACTION_KINDS)[number];
export type FaultAction = Extract<Action, { readonly kind: FaultActionKind }>;

export interface ScenarioSpec {
  readonly name: string;
  readonly title: string;
  readonly goal: string;
  readonly actions: readonly Action[];
}

/** A Deployment, its ReplicaSet and the names of the pods the ReplicaSet controller created. */
export interface DeploymentSpec {
  readonly namespace: string;
  readonly name: string;
  readonly replicas: number;
  readonly replicaSet: string;
  readonly podTemplateHash: string;
  readonly pods: readonly string[];
  readonly pos: SourcePos;
  /** Where spec.replicas is written, if it is. */
  readonly replicasPos?: SourcePos;
  /** The ReplicaSet's pod template: what a pod it creates later (a scale, a replacement) gets. */
  readonly template?: PodTemplateSpec;
}

/** A pod as its controller's template makes it, before a name and a node. */
export type PodTemplateSpec = Omit<PodSpec, 'namespace' | 'name' | 'nodeName' | 'pos'>;

/** A ReplicaSet, StatefulSet or DaemonSet written in the file, and its pods' names. */
export interface WorkloadSpec {
  readonly kind: 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Deployment';
  readonly namespace: string;
  readonly name: string;
  readonly pods: readonly string[];
  /** A StatefulSet's governing Service. */
  readonly serviceName?: string;
  readonly pos: SourcePos;
}

/** A ConfigMap: kept and listed, nothing to simulate. */
export interface ConfigMapSpec {
  readonly namespace: string;
  readonly name: string;
  readonly keys: readonly string[];
  readonly pos: SourcePos;
}

export interface LoadedScenario {
  readonly cluster: ClusterSpec;
  readonly namespaces: readonly string[];
  /** Every pod: those written as Pods and those the Deployments' ReplicaSets create. */
  readonly pods: readonly PodSpec[];
  /** Services as the API server stored them: the `kubernetes` Service first, addresses allocated. */
  readonly services: readonly Service[];
  readonly deployments: readonly DeploymentSpec[];
  /** EndpointSlices written in the file (for Services without a selector). */
  readonly endpointSlices: readonly EndpointSlice[];
  /** Ingresses as stored: the DefaultIngressClass admission plugin's class filled in. */
  readonly ingresses: readonly Ingress[];
  /** IngressClasses: the file's, and ingress-nginx's `nginx` unless the file defines it. */
  readonly ingressClasses: readonly IngressClass[];
  readonly secrets: readonly Secret[];
  /** ReplicaSets, StatefulSets and DaemonSets written in the file (Deployments are above). */
  readonly workloads?: readonly WorkloadSpec[];
  readonly configMaps?: readonly ConfigMapSpec[];
  readonly scenario: ScenarioSpec;
}

/** A field of a Kubernetes object that Kubewire kept but does not model (status, resources, …). */
export interface IgnoredField extends SourcePos {
  /** YAML path inside its object ("spec.template.spec.containers[0].resources"). */
  readonly path: string;
  readonly document?: number;
}

/** A refused file: located errors, and the warnings found before them. */
export interface LoadFailure {
  readonly ok: false;
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
}

/**
 * What loading gives, `V` under `key` (the scenario, or a simulation of it):
 * located warnings (kinds not simulated, misspelt fields, defaults used) that
 * never refuse a file, and the fields Kubewire kept but does not model.
 */
export type Loaded<K extends string, V> =
  | ({
      readonly ok: true;
      readonly warnings: readonly Diagnostic[];
      readonly ignored: readonly IgnoredField[];
    } & { readonly [P in K]: V })
  | LoadFailure;

export type LoadResult = Loaded<'scenario', LoadedScenario>;

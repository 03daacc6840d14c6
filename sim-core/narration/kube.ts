/**
 * The Kubernetes side: the kubelet, CNI (flannel delegating to the bridge
 * plugin with host-local IPAM) and the scenario's actions.
 */
import type { FactOf, Narrators } from './types.ts';

export type KubeFact =
  | FactOf<'kubelet.sandbox', { pod: string; node: string; sandbox: string }>
  | FactOf<'cni.ipam-exhausted', { node: string; podCIDR: string; reason: string }>
  | FactOf<'cni.ipam', { pod: string; node: string; podCIDR: string; ip: string; network: string }>
  | FactOf<'cni.bridge', { node: string; bridge: string; gateway: string; podCIDR: string }>
  | FactOf<
      'cni.veth',
      {
        ip: string;
        prefix: number;
        mtu: number;
        hostVeth: string;
        bridge: string;
        hairpin: boolean;
        gateway: string;
        clusterCIDR: string;
      }
    >
  | FactOf<'kubelet.running', { pod: string; containers: readonly string[]; ip: string }>
  | FactOf<'kubelet.crash', { container: string; ip: string }>
  | FactOf<'kubelet.restart', { container: string; restartCount: number; ip: string }>
  | FactOf<
      'kubelet.delete',
      { pod: string; veth: string; network: string; ip: string; lastReserved: string }
    >
  | FactOf<'kubelet.readiness', { pod: string; ready: boolean; ip: string }>
  | FactOf<
      'action.start',
      {
        n: number;
        kind:
          | 'ping'
          | 'connect'
          | 'send'
          | 'crash'
          | 'delete'
          | 'ready'
          | 'http'
          | 'dig'
          | 'resolve'
          | 'iptables'
          | 'scale'
          | 'drain'
          | 'node-down';
        /** The pod acting (or acted on). */
        pod: string;
        /** What it pings or connects to, as written; the crashing container. */
        target?: string;
        /** The whole action, as the command line it models. */
        what: string;
      }
    >
  | FactOf<'action.not-running', { pod: string }>
  | FactOf<'action.no-target', { target: string }>;

/** "ns/name" as kubectl takes it on the command line: `name`, or `name -n ns` outside default. */
const kubectlArg = (key: string) => {
  const [ns, name] = key.split('/');
  return name === undefined ? key : ns === 'default' ? name : `${name} -n ${ns}`;
};

export const kubeNarrators: Narrators<KubeFact> = {
  'kubelet.sandbox': (f) => ({
    headline: `The kubelet creates ${f.pod}'s sandbox: pause ${f.sandbox}`,
    explanation: `The scheduler put ${f.pod} on ${f.node}; its kubelet asks the container runtime for a sandbox: the pause container ${f.sandbox} creates and holds the pod's network namespace (only lo so far).`,
  }),
  'cni.ipam-exhausted': (f) => ({
    headline: `CNI ADD fails: no free address in ${f.podCIDR}`,
    explanation: `CNI ADD fails: host-local has no free address in ${f.node}'s ${f.podCIDR}. The kubelet reports "${f.reason}" and the pod stays in ContainerCreating.`,
  }),
  'cni.ipam': (f) => ({
    headline: `host-local IPAM gives ${f.pod} ${f.ip}`,
    explanation: `The kubelet runs CNI ADD; flannel delegates to the bridge plugin, whose host-local IPAM picks the next free address after last_reserved_ip.0 in ${f.podCIDR}: ${f.ip}, writing /var/lib/cni/networks/${f.network}/${f.ip} (container ID + "eth0").`,
  }),
  'cni.bridge': (f) => ({
    headline: `The bridge plugin creates ${f.bridge} with ${f.gateway}`,
    explanation: `This is the first pod on ${f.node}, so the bridge plugin creates the ${f.bridge} bridge and gives it the subnet's gateway address ${f.gateway} (isGateway: true); the node now has a route to ${f.podCIDR} via ${f.bridge}.`,
  }),
  'cni.veth': (f) => ({
    headline: `A veth pair joins eth0 to ${f.hostVeth} on ${f.bridge}`,
    explanation: `The bridge plugin creates a veth pair — a virtual cable: eth0 (${f.ip}/${f.prefix}, MTU ${f.mtu}) inside the pod, ${f.hostVeth} on the node enslaved to ${f.bridge}${f.hairpin ? ' with hairpin mode on' : ' (hairpinMode: false in the CNI config, so hairpin stays off)'} — and adds the pod's routes: default via ${f.gateway}, and ${f.clusterCIDR} via ${f.gateway}.`,
  }),
  'kubelet.running': (f) => {
    const many = f.containers.length > 1;
    return {
      headline: `${f.pod} is Running with IP ${f.ip}`,
      explanation: `The app container${many ? 's' : ''} ${f.containers.join(' and ')} start${many ? '' : 's'} inside the sandbox's network namespace: ${many ? 'they share eth0, the IP and lo, so they reach each other on localhost' : "it uses the pause container's eth0 and lo"}. The pod is Running with IP ${f.ip}.`,
    };
  },
  'kubelet.crash': (f) => ({
    headline: `Container ${f.container} crashes; the sandbox keeps ${f.ip}`,
    explanation: `Container ${f.container} exits with an error. Its network namespace belongs to the pause container, which keeps running, so eth0, the IP ${f.ip} and every neighbour entry stay.`,
  }),
  'kubelet.restart': (f) => ({
    headline: `The kubelet restarts ${f.container}: same IP ${f.ip}`,
    explanation: `The kubelet restarts ${f.container} (restartCount ${f.restartCount}) in the same sandbox: no CNI ADD, no new address — the pod keeps ${f.ip}.`,
  }),
  'kubelet.delete': (f) => ({
    headline: `${f.pod} is deleted: CNI DEL releases ${f.ip}`,
    explanation: `The pod is deleted: the kubelet stops its containers and runs CNI DEL — the veth pair ${f.veth} disappears with the namespace and host-local deletes /var/lib/cni/networks/${f.network}/${f.ip}. last_reserved_ip.0 still says ${f.lastReserved}, so ${f.ip} will not be handed out again until the range wraps.`,
  }),
  'kubelet.readiness': (f) => ({
    headline: f.ready ? `${f.pod} is Ready again` : `${f.pod}'s readiness probe fails: not Ready`,
    explanation: f.ready
      ? `The readiness probe of ${f.pod} passes again: the kubelet sets its Ready condition to True. The EndpointSlice controller will mark ${f.ip} ready, and kube-proxy will send new connections to it again.`
      : `The readiness probe of ${f.pod} fails: the kubelet sets its Ready condition to False. The pod keeps running and keeps ${f.ip}; only its endpoint changes: the EndpointSlice controller marks it not ready, and kube-proxy stops sending new connections to it (connections already open are not cut).`,
  }),
  'action.start': (f) => ({
    headline: `Action ${f.n}: ${
      f.kind === 'ping'
        ? `${f.pod} pings ${f.target}`
        : f.kind === 'connect'
          ? `${f.pod} connects to ${f.target}`
          : f.kind === 'send'
            ? `${f.pod} sends a UDP datagram to ${f.target}`
            : f.kind === 'crash'
              ? `container ${f.target} of ${f.pod} crashes`
              : f.kind === 'ready'
                ? `${f.pod}'s readiness probe changes`
                : f.kind === 'http'
                  ? `${f.pod} runs curl ${f.target}`
                  : f.kind === 'dig'
                    ? `${f.pod} runs dig ${f.target}`
                    : f.kind === 'resolve'
                      ? `${f.pod} looks up ${f.target}`
                      : f.kind === 'iptables'
                        ? `iptables by hand on ${f.pod}`
                        : f.kind === 'scale'
                          ? `kubectl scale deployment ${kubectlArg(f.pod)} --replicas=${f.target}`
                          : f.kind === 'drain'
                            ? `kubectl drain ${f.pod}`
                            : f.kind === 'node-down'
                              ? `${f.pod} loses power`
                              : `kubectl delete pod ${kubectlArg(f.pod)}`
    }`,
    explanation: `Scenario action ${f.n}: ${f.what}.`,
  }),
  'action.not-running': (f) => ({
    headline: `${f.pod} is not running: nothing is sent`,
    explanation: `${f.pod} has no network namespace (it is not running), so it cannot send anything.`,
  }),
  'action.no-target': (f) => ({
    headline: `${f.target} is not running: no address to send to`,
    explanation: `${f.target} is not running, so it has no IP address to send to.`,
  }),
};

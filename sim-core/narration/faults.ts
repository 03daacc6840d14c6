/**
 * The workload and node faults: a Deployment scaled, a node drained, a node
 * that stops. Each step names the object that changed (the Deployment, the
 * ReplicaSet, the pod, the node) in its facts.
 */
import type { FactOf, Narrators } from './types.ts';
import { plural } from './types.ts';

export type FaultFact =
  | FactOf<
      'deployment.scale',
      { deployment: string; replicaSet: string; from: number; to: number; active: number }
    >
  | FactOf<'rs.create', { replicaSet: string; pod: string; why: 'scale' | 'replace' }>
  | FactOf<
      'rs.delete',
      {
        replicaSet: string;
        pod: string;
        /** Why getPodsToDelete ranked this pod first: the rule that decided. */
        rank: string;
        node: string;
      }
    >
  | FactOf<'scheduler.bind', { pod: string; node: string; sameOwner: number; podsOnNode: number }>
  | FactOf<'scheduler.failed', { pod: string; message: string }>
  | FactOf<'node.cordon', { node: string }>
  | FactOf<'drain.evict', { node: string; pod: string; owner: string }>
  | FactOf<'drain.refused', { node: string; pods: readonly string[]; message: string }>
  | FactOf<'drain.warning', { node: string; message: string }>
  | FactOf<'drain.done', { node: string }>
  | FactOf<'node.down', { node: string; ip: string; pods: readonly string[] }>
  | FactOf<
      'node.down-drop',
      {
        node: string;
        ip: string;
        /** The frame, as tcpdump would sum it up. */
        frame: string;
        /** ARP for the node, or a VXLAN/IP packet to it. */
        what: 'arp' | 'vxlan' | 'ip' | 'other';
        reason: string;
      }
    >
  | FactOf<
      'node.not-ready',
      { node: string; graceSeconds: number; silentSeconds: number; taints: readonly string[] }
    >
  | FactOf<'node.pod-not-ready', { node: string; pod: string; ip: string }>
  | FactOf<
      'node.pod-evicted',
      { node: string; pod: string; ip: string; tolerationSeconds: number }
    >;

export const faultNarrators: Narrators<FaultFact> = {
  'deployment.scale': (f) => ({
    headline: `deployment.apps/${f.deployment.split('/')[1]} scaled from ${f.from} to ${f.to}`,
    explanation: `kubectl scale sets spec.replicas of Deployment ${f.deployment} to ${f.to}; the Deployment controller passes it to ReplicaSet ${f.replicaSet}, which has ${plural(f.active, 'active pod')} and ${f.to > f.active ? `creates ${f.to - f.active}` : f.to < f.active ? `deletes ${f.active - f.to}` : 'has nothing to do'}.`,
  }),
  'rs.create': (f) => ({
    headline: `ReplicaSet ${f.replicaSet} creates pod ${f.pod.split('/')[1]}`,
    explanation:
      f.why === 'replace'
        ? `A pod of ReplicaSet ${f.replicaSet} is being deleted, so it counts one active pod short: it creates ${f.pod} (generateName "${f.replicaSet}-" and five random characters) to replace it.`
        : `ReplicaSet ${f.replicaSet} has fewer pods than spec.replicas: it creates ${f.pod}, named by the API server from generateName "${f.replicaSet}-" and five random characters.`,
  }),
  'rs.delete': (f) => ({
    headline: `ReplicaSet ${f.replicaSet.split('/')[1]} deletes pod ${f.pod.split('/')[1]}`,
    explanation: `ReplicaSet ${f.replicaSet} has more pods than spec.replicas. Its getPodsToDelete ranks them (unscheduled, then Pending, then not Ready, then more of its pods on the same node, then ready for less time, more restarts, newer) and deletes ${f.pod} on ${f.node || 'no node'} first: ${f.rank}.`,
  }),
  'scheduler.bind': (f) => ({
    headline: `The scheduler binds ${f.pod.split('/')[1]} to ${f.node}`,
    explanation: `kube-scheduler filters the nodes (schedulable, no untolerated taint, fewer than max-pods 110 pods) and scores the rest; ${f.node} has the fewest pods of this ReplicaSet (${f.sameOwner}) and ${plural(f.podsOnNode, 'pod')} in all, so ${f.pod} is bound to it and its kubelet starts it.`,
  }),
  'scheduler.failed': (f) => ({
    headline: `FailedScheduling: ${f.pod.split('/')[1]} stays Pending`,
    explanation: `kube-scheduler finds no node for ${f.pod}, which stays Pending with no node and no IP: "${f.message}"`,
  }),
  'node.cordon': (f) => ({
    headline: `node/${f.node} cordoned: nothing new is scheduled there`,
    explanation: `kubectl drain first cordons ${f.node}: spec.unschedulable becomes true (the node.kubernetes.io/unschedulable:NoSchedule taint), so the scheduler places no new pod there. Pods already running stay until evicted.`,
  }),
  'drain.evict': (f) => ({
    headline: `evicting pod ${f.pod}`,
    explanation: `kubectl drain evicts ${f.pod} from ${f.node} through the Eviction API: a graceful delete, so the pod becomes Terminating and its endpoint leaves the Services' rules.${f.owner ? ` Its ${f.owner} will create a replacement on another node.` : ' No controller owns it, so nothing replaces it.'}`,
  }),
  'drain.refused': (f) => ({
    headline: `drain of ${f.node} refused: ${plural(f.pods.length, 'bare pod')}`,
    explanation: `${f.message} — kubectl drain evicts nothing when a pod has no controller, because deleting it would lose it for good; the node stays cordoned. Add force: true (kubectl drain --force) to delete such pods anyway.`,
  }),
  'drain.warning': (f) => ({
    headline: `drain ${f.node}: ${f.message.replace(/^Warning: /, '').split(':')[0]}`,
    explanation: `kubectl drain prints "${f.message}".`,
  }),
  'drain.done': (f) => ({
    headline: `node/${f.node} drained`,
    explanation: `Every evicted pod of ${f.node} is gone; kubectl drain prints "node/${f.node} drained". The node stays cordoned until kubectl uncordon.`,
  }),
  'node.down': (f) => ({
    headline: `${f.node} goes down: nothing on ${f.ip} answers now`,
    explanation: `${f.node} loses power: its kubelet stops posting status and its NIC receives nothing. The API server still lists ${plural(f.pods.length, 'pod')} on it as Running and Ready until the node lifecycle controller notices; flannel's routes and VXLAN entries for its subnet stay on the other nodes, so traffic to its pods goes on being sent — and lost.`,
  }),
  'node.down-drop': (f) => ({
    headline:
      f.what === 'arp'
        ? `ARP for ${f.ip}: ${f.node} is down, nobody answers`
        : `Lost: ${f.node} is down, nothing receives the ${f.what === 'vxlan' ? 'VXLAN packet' : 'frame'}`,
    explanation: `${f.reason} (${f.frame}).`,
  }),
  'node.not-ready': (f) => ({
    headline: `${f.node} NotReady: Kubelet stopped posting node status`,
    explanation: `No status from ${f.node} for ${f.silentSeconds} s, more than --node-monitor-grace-period (${f.graceSeconds} s): at its next check (every 5 s) the node lifecycle controller sets the Ready condition to Unknown ("Kubelet stopped posting node status.") and taints the node ${f.taints.join(' and ')}. Flannel watches only Node objects and their annotations, so its routes, FDB and neighbour entries for the node stay.`,
  }),
  'node.pod-not-ready': (f) => ({
    headline: `${f.pod.split('/')[1]} on ${f.node}: Ready=False`,
    explanation: `The node lifecycle controller marks every pod of the unreachable node not ready (MarkPodsNotReady): ${f.pod} keeps its IP ${f.ip} in the API, but the EndpointSlice controller marks its endpoint not ready and kube-proxy drops it from its rules.`,
  }),
  'node.pod-evicted': (f) => ({
    headline: `taint-eviction deletes ${f.pod.split('/')[1]}: stuck Terminating`,
    explanation: `${f.pod} tolerated node.kubernetes.io/unreachable:NoExecute for ${f.tolerationSeconds} s (the DefaultTolerationSeconds admission plugin's toleration); now the taint-eviction controller deletes it. With no kubelet to confirm, it stays Terminating (kubectl delete --force would remove the object), and its ReplicaSet replaces it elsewhere.`,
  }),
};

/**
 * Graceful termination: a pod marked for deletion, the kubelet's preStop
 * hook and SIGTERM, and IPVS draining a terminating real server.
 */
import type { FactOf, Narrators } from './types.ts';

export type TerminationFact =
  | FactOf<'pod.deleting', { pod: string; grace: number; ip: string; wait: boolean }>
  | FactOf<
      'kubelet.prestop',
      {
        pod: string;
        container: string;
        /** The hook as written ("sleep: {seconds: 5}", 'exec: ["sleep","5"]'). */
        hook: string;
        kind: 'sleep' | 'exec';
        seconds: number;
        grace: number;
        /** The hook runs longer than the grace period: the kubelet stops waiting at the grace period. */
        cut: boolean;
      }
    >
  | FactOf<
      'kubelet.sigterm',
      { pod: string; container: string; graceLeft: number; afterPreStop: boolean }
    >
  | FactOf<'kubelet.exited', { pod: string; container: string; exitCode: number; ip: string }>
  | FactOf<
      'ipvs.rs-quiesce',
      { node: string; service: string; dest: string; active: number; inactive: number }
    >
  | FactOf<'ipvs.rs-delete', { node: string; service: string; dest: string; graceful: boolean }>;

export const terminationNarrators: Narrators<TerminationFact> = {
  'pod.deleting': (f) => ({
    headline: `${f.pod} is Terminating: grace period ${f.grace} s`,
    explanation: `kubectl delete pod${f.wait ? '' : ' --wait=false'}: the API server does not remove ${f.pod} yet. It sets metadata.deletionTimestamp and deletionGracePeriodSeconds ${f.grace} (terminationGracePeriodSeconds), and kubectl get pods shows Terminating. The pod still runs and keeps ${f.ip}; the EndpointSlice controller marks its endpoint terminating, and the kubelet starts stopping its containers.${f.wait ? ' kubectl waits until the pod is gone.' : ' kubectl returns at once; the next action does not wait for the pod.'}`,
  }),
  'kubelet.prestop': (f) => ({
    headline: `The kubelet runs ${f.container}'s preStop hook: ${f.seconds} s`,
    explanation: `Before any signal, the kubelet runs ${f.container}'s lifecycle.preStop hook (${f.hook})${
      f.kind === 'sleep'
        ? ', a sleep inside the kubelet (KEP-3960)'
        : ', a command run in the container (Kubewire reads `sleep N` as N seconds, any other command as instant)'
    }. The app keeps serving meanwhile: this is the time for kube-proxy on every node to stop sending it new connections. The hook's time comes out of the ${f.grace} s grace period${f.cut ? `; this one would run past it, so the kubelet stops waiting at ${f.grace} s` : ''}.`,
  }),
  'kubelet.sigterm': (f) => ({
    headline: `The kubelet sends SIGTERM to ${f.container}`,
    explanation: `${f.afterPreStop ? 'The preStop hook is done, so the' : 'No preStop hook, so the'} kubelet asks the runtime to stop ${f.container}: SIGTERM now, SIGKILL if it is still running in ${f.graceLeft} s (what is left of the grace period, at least 2 s). The app handles SIGTERM by exiting at once, like nginx's fast shutdown.`,
  }),
  'kubelet.exited': (f) => ({
    headline: `${f.container} exits: the kernel closes its connections`,
    explanation: `${f.container}'s process exits with code ${f.exitCode}. The kernel closes every socket it held: established connections get a FIN (a RST if data was left unread), and its listeners go, so a new SYN to ${f.ip} would be refused. Connections that reached this pod through a Service worked until now: conntrack kept their DNAT even after kube-proxy stopped choosing the pod.`,
  }),
  'ipvs.rs-quiesce': (f) => ({
    headline: `IPVS on ${f.node}: ${f.dest} drains at weight 0`,
    explanation: `kube-proxy's IPVS proxier no longer wants ${f.dest} in ${f.service}, but it still has ${f.active} active and ${f.inactive} inactive connections, so the graceful termination manager sets its weight to 0 instead of deleting it: schedulers skip it for new connections, existing ones keep flowing. kube-proxy tries again every minute and deletes it once no connection is left.`,
  }),
  'ipvs.rs-delete': (f) => ({
    headline: `IPVS on ${f.node}: real server ${f.dest} deleted`,
    explanation: f.graceful
      ? `The graceful termination manager's check (every minute) finds no connection left on ${f.dest} in ${f.service}: kube-proxy deletes the real server.`
      : `kube-proxy deletes ${f.dest} from ${f.service}: it has no connections, so there is nothing to drain.`,
  }),
};

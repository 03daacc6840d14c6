/**
 * The DNS side of the actions: dig and resolve, and a `to:` that is looked
 * up before a ping, connect or send when the cluster has DNS (spec.dns).
 *
 * Which `to` goes through DNS: with spec.dns, a Service's name is what a
 * program in the pod would type (`nc web 80`), so it is resolved through
 * the pod's resolver (its search list finds web.<ns>.svc.cluster.local),
 * and so is any other name that is not a pod (example.com). A pod's name
 * is Kubewire's shorthand for its IP (pods have no DNS name of their own
 * unless hostname/subdomain make one) and an IP is used as written. Without
 * spec.dns nothing is looked up, so those files trace exactly as before.
 */
import type { Dataplane } from '../dataplane/types.ts';
import { podResolvConf } from '../k8s/resolv-conf.ts';
import type { Action, LoadedScenario, PodSpec } from '../scenario/types.ts';
import { parseTarget } from '../scenario/refs.ts';
import { lookup, type LookupResult } from './resolver.ts';

export interface Sender {
  readonly netns: string;
  readonly ip: string;
  /** "pod default/client", as steps name it. */
  readonly who: string;
  readonly owner: string;
  readonly spec?: PodSpec;
}

/** The name a `to` is looked up as, or undefined when it is used directly. */
export function dnsNameOf(
  loaded: LoadedScenario,
  to: string,
  fromNamespace: string,
  pods: ReadonlySet<string>,
): string | undefined {
  if (!loaded.cluster.dns) return undefined;
  const t = parseTarget(to);
  if (t.kind !== 'pod') return undefined;
  const key = `${t.ref.namespace}/${t.ref.name}`;
  const svc = loaded.services.some(
    (s) => s.metadata.namespace === t.ref.namespace && s.metadata.name === t.ref.name,
  );
  if (svc)
    return t.ref.namespace === fromNamespace ? t.ref.name : `${t.ref.name}.${t.ref.namespace}`;
  if (pods.has(key)) return undefined;
  return to;
}

/** getaddrinfo for the name, then `go` with its first IPv4 address (after the program wakes). */
export function resolveThen(
  dp: Dataplane,
  loaded: LoadedScenario,
  sender: Sender,
  name: string,
  then: string,
  go: (ip: string) => void,
  failed?: (error: string) => void,
): void {
  lookup(dp, {
    netns: sender.netns,
    src: sender.ip,
    who: sender.who,
    owner: sender.owner,
    resolv: podResolvConf(sender.spec ?? { namespace: 'default' }, loaded.cluster),
    name,
    tool: 'getaddrinfo',
    then,
    onDone: (r: LookupResult) => {
      const ip = r.addresses.find((a) => !a.includes(':'));
      if (ip) go(ip);
      else failed?.(r.error ?? 'Name or service not known');
    },
  });
}

export function playDnsAction(
  dp: Dataplane,
  loaded: LoadedScenario,
  a: Extract<Action, { kind: 'dig' | 'resolve' }>,
  sender: Sender,
): void {
  lookup(dp, {
    netns: sender.netns,
    src: sender.ip,
    who: sender.who,
    owner: sender.owner,
    resolv: podResolvConf(sender.spec ?? { namespace: 'default' }, loaded.cluster),
    name: a.name,
    tool: a.kind === 'dig' ? 'dig' : 'getaddrinfo',
    ...(a.kind === 'dig'
      ? {
          qtype: a.qtype,
          ...(a.server ? { server: a.server } : {}),
          ...(a.search ? { search: true } : {}),
        }
      : {}),
  });
}

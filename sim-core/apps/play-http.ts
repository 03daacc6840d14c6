/**
 * The `http` action played: curl's host lookup, then connect() with curl as
 * the socket's program. The lookup is curl's own order: --resolve first, an
 * address written in the URL, then the name. A pod's name lookup gives a
 * Service's ClusterIP (`web`, `web.default`, `web.default.svc.cluster.local`);
 * a host outside the cluster has no cluster DNS, so it needs --resolve.
 * In a cluster with spec.dns the pod's name lookup is getaddrinfo on the
 * path (simulation.ts): the A and AAAA queries walk the search list through
 * kube-dns first, and curl connects to the address they found.
 */
import type { Dataplane } from '../dataplane/types.ts';
import type { Transport } from '../dataplane/transport.ts';
import type { HttpAction } from '../scenario/types.ts';
import type { Rng } from '../engine/rng.ts';
import { curlApp } from './curl.ts';
import { tlsClientApp } from './tls-stream.ts';

export interface HttpSender {
  readonly netns: string;
  readonly ip: string;
  /** The pod's namespace, when curl runs in a pod (its search path). */
  readonly namespace?: string;
  readonly owner: string;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** A Service name as a pod's resolver would expand it, to its ClusterIP. */
function serviceAddress(
  dp: Dataplane,
  host: string,
  namespace: string,
  domain: string,
): string | undefined {
  const parts = host
    .replace(new RegExp(`\\.svc\\.${domain.replace(/\./g, '\\.')}$|\\.svc$`), '')
    .split('.');
  if (parts.length > 2) return undefined;
  const [name, ns = namespace] = parts;
  const svc = dp.world.api.services.find(
    (s) => s.metadata.name === name && s.metadata.namespace === ns,
  );
  const ip = svc?.spec.clusterIP;
  return ip && ip !== 'None' ? ip : undefined;
}

/** curl's exit 6: getaddrinfo found no address for the URL's host. */
export function curlCannotResolve(dp: Dataplane, netns: string, host: string): void {
  dp.world.record({
    kind: 'error',
    place: { node: dp.world.netns(netns).node, netns },
    summary: `curl: (6) Could not resolve host: ${host}`,
    facts: {
      type: 'curl.error',
      who: dp.label(netns),
      code: 6,
      message: `Could not resolve host: ${host}`,
    },
  });
}

/** Whether curl asks the pod's resolver for the URL's host: a name, not an address, without --resolve. */
export function curlLooksUp(a: HttpAction): boolean {
  return !a.resolve && !IPV4.test(a.host);
}

export interface HttpPlay {
  readonly clusterDomain: string;
  /** The TLS clients' random stream (client randoms, key shares). */
  readonly tlsRng: Rng;
  /** SSLKEYLOGFILE: where curl appends each session's secrets. */
  readonly keylog: (lines: string) => void;
}

export function playHttp(
  dp: Dataplane,
  transport: Transport,
  a: HttpAction,
  sender: HttpSender,
  ctx: HttpPlay,
  /** The address the pod's resolver found for the URL's host (getaddrinfo on the path). */
  resolved?: string,
): void {
  const clusterDomain = ctx.clusterDomain;
  const who = dp.label(sender.netns);
  const addr =
    resolved ??
    a.resolve?.addr ??
    (IPV4.test(a.host) ? a.host : undefined) ??
    (sender.namespace !== undefined
      ? serviceAddress(dp, a.host, sender.namespace, clusterDomain)
      : undefined);
  if (!addr) return curlCannotResolve(dp, sender.netns, a.host);
  const http = curlApp(
    { scheme: a.scheme, host: a.host, port: a.port, path: a.path, headers: a.headers ?? [], who },
    () => dp.world.timeUs,
  );
  const app =
    a.scheme === 'https'
      ? tlsClientApp(http, {
          serverName: a.host,
          rng: ctx.tlsRng,
          who,
          keylog: ctx.keylog,
          ...(a.insecure ? { insecure: true } : {}),
        })
      : http;
  transport.connect(sender.netns, sender.ip, addr, a.port, a.host, { app, owner: sender.owner });
}

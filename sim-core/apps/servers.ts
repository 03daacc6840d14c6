/**
 * Which program answers on a listening port, decided at a connection's
 * first read (TransportHooks.server): a pod's hashicorp/http-echo container
 * that declares the port answers an HTTP request as http-echo does. Anything
 * else — bytes that are not HTTP, and every other image — stays with
 * `nc -l`, so the traces of scenarios written before (some send
 * "GET / HTTP/1.0" with nc to an nginx image) do not change.
 */
import type { ServerApps, TcpApp } from '../dataplane/tcp-app.ts';
import { EPOCH_SECONDS } from '../dataplane/transport.ts';
import type { PodSpec } from '../scenario/types.ts';
import { echoText, httpEchoApp } from './http-echo.ts';
import { looksLikeHttpRequest } from './http-message.ts';

/** hashicorp/http-echo, any registry and tag. */
export const HTTP_ECHO_IMAGE = /(^|\/)http-echo(:|@|$)/;

export interface ServerContext {
  /** The pod whose network namespace this is. */
  readonly podOf: (netnsId: string) => PodSpec | undefined;
  readonly label: (netnsId: string) => string;
  /** Microseconds of simulated time. */
  readonly timeUs: () => number;
  /** Programs that take a whole pod's ports first (the ingress controller), if any. */
  readonly special?: ServerApps;
}

export function podServers(ctx: ServerContext): ServerApps {
  return (netnsId, local, peer, first) => {
    const special = ctx.special?.(netnsId, local, peer, first);
    if (special) return special;
    if (!looksLikeHttpRequest(first)) return undefined;
    const pod = ctx.podOf(netnsId);
    const container = pod?.containers.find(
      (c) =>
        HTTP_ECHO_IMAGE.test(c.image) &&
        c.ports.some((p) => p.containerPort === local.port && p.protocol === 'TCP'),
    );
    if (!pod || !container) return undefined;
    const app: TcpApp = httpEchoApp({
      text: echoText(container.args) ?? pod.name,
      who: ctx.label(netnsId),
      now: () => EPOCH_SECONDS + Math.floor(ctx.timeUs() / 1e6),
    });
    return app;
  };
}

/**
 * The DNS server's brain as the path sees it: one query in, a reply or a
 * forward out — what sim-core/dns/server.ts's CoreDns gives.
 */
import type { EndpointSlice, Service } from '../k8s/api-types.ts';
import type { Fact } from '../narration/facts.ts';

export interface DnsView {
  readonly clusterDomain: string;
  readonly services: readonly Service[];
  readonly endpointSlices: readonly EndpointSlice[];
  readonly namespaces: readonly string[];
  readonly serial: number;
  readonly localIPs?: readonly string[];
}

export type EngineHandled =
  | { readonly kind: 'reply'; readonly response: Uint8Array; readonly facts?: Fact }
  | {
      readonly kind: 'forward';
      readonly forwardId: number;
      readonly query: Uint8Array;
      readonly facts?: Fact;
    }
  | { readonly kind: 'drop'; readonly reason: string };

export interface DnsEngine {
  handle(query: Uint8Array, nowUs: number, view: DnsView): EngineHandled;
  upstreamReply(
    forwardId: number,
    reply: Uint8Array,
    nowUs: number,
  ): { readonly response: Uint8Array; readonly facts?: Fact };
}

/**
 * How actions name things: a pod as "ns/name" or "name" (namespace
 * default), and a destination that is either such a pod or an IPv4 address.
 * Exported so the engine reads `to` exactly the way the loader validated it.
 */
import { looksLikeIPv4, parseIPv4 } from '../net/cidr.ts';
import type { PodRef } from './types.ts';

export type RefParse =
  { readonly ok: true; readonly ref: PodRef } | { readonly ok: false; readonly message: string };

export function parsePodRef(text: string): RefParse {
  const parts = text.split('/');
  if (parts.length > 2 || parts.some((p) => p === '')) {
    return {
      ok: false,
      message: `'${text}' is not a pod reference: write "namespace/name" or just "name"`,
    };
  }
  const [namespace, name] = parts.length === 2 ? parts : ['default', parts[0]];
  return { ok: true, ref: { namespace, name } };
}

/** "ns/name" for messages and map keys. */
export function podKey(ref: PodRef): string {
  return `${ref.namespace}/${ref.name}`;
}

/** How kubectl names the object on its command line: `NAME`, or `NAME -n NAMESPACE` outside default. */
export function kubectlName(ref: PodRef): string {
  return ref.namespace === 'default' ? ref.name : `${ref.name} -n ${ref.namespace}`;
}

export type Target =
  | { readonly kind: 'ip'; readonly ip: string }
  | { readonly kind: 'pod'; readonly ref: PodRef }
  | { readonly kind: 'invalid'; readonly message: string };

/**
 * Anything shaped like a dotted quad is an address (even "10.0.0.300", which
 * is then invalid), never a pod name: pod names may contain dots, but a pod
 * named like an IP would make `to` ambiguous.
 */
export function parseTarget(text: string): Target {
  if (looksLikeIPv4(text)) {
    const ip = parseIPv4(text);
    return ip === undefined
      ? { kind: 'invalid', message: `${text} is not a valid IPv4 address` }
      : { kind: 'ip', ip };
  }
  const ref = parsePodRef(text);
  return ref.ok ? { kind: 'pod', ref: ref.ref } : { kind: 'invalid', message: ref.message };
}

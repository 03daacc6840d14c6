/**
 * A netfilter or conntrack step happens inside a host's stack, at a hook, not on a link:
 * it has a place (the node, maybe cni0) and usually no `from` and no frame of its own.
 * It is drawn as a badge at that place and listed with the same word: the iptables table
 * whose rules the packet walked ("NAT"), or "conntrack".
 */
import type { Step } from '@kubewire/sim-core';

export function hookLabel(step: Step | undefined): string | null {
  if (!step || (step.kind !== 'netfilter' && step.kind !== 'conntrack')) return null;
  if (step.kind === 'conntrack' || /^conntrack\b/.test(step.summary)) return 'conntrack';
  const ref = step.touched.find((r) => r.table === 'iptables' && r.change === 'read');
  if (ref) return ref.key.slice(0, ref.key.indexOf('/')).toUpperCase();
  if (/^br_netfilter\b/.test(step.summary)) return 'br_netfilter';
  return 'netfilter';
}

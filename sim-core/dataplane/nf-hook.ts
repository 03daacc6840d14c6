/**
 * NF_HOOK: run a packet through the hooks registered at one point of one
 * namespace, in priority order, then continue with `okfn` — unless a hook
 * drops or steals it. With no hooks registered (a pod with no rules) the
 * packet goes straight on, as nf_hook() does when the hook list is empty.
 */
import type { Dataplane, NfFamily, NfHookPoint, Skb } from './types.ts';
import { place } from './types.ts';

export function nfHook(
  dp: Dataplane,
  family: NfFamily,
  hook: NfHookPoint,
  skb: Skb,
  okfn: (skb: Skb) => void,
): void {
  for (const ops of dp.hooks(skb.netns, family, hook)) {
    const v = ops.fn(dp, skb);
    if (v.verdict === 'accept') continue;
    if (v.verdict === 'stolen') return;
    const ns = dp.world.netns(skb.netns);
    dp.world.record({
      kind: 'netfilter',
      place: place(ns, skb.inDev ?? skb.outDev),
      ...(skb.frame ? { frame: skb.frame } : {}),
      summary: `${hook}: dropped`,
      facts: v.fact,
    });
    return;
  }
  okfn(skb);
}

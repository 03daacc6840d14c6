/**
 * The mark match (libxt_mark.c, xt_mark.c): (skb->mark & mask) == value.
 * kube-proxy's KUBE-POSTROUTING starts with "-m mark ! --mark 0x4000/0x4000
 * -j RETURN": packets nobody marked for masquerade leave at once.
 */
import { mustSpecify, type MatchExt } from './extension.ts';
import type { MarkMatch } from './rule.ts';
import { formatMarkMask, parseMarkMask } from './values.ts';

type Draft = { m?: Omit<MarkMatch, 'module'> };

export const markMatch: MatchExt<Draft, MarkMatch> = {
  name: 'mark',
  options: { mark: { args: 1, invert: true } },
  start: () => ({}),
  option(d, _opt, args, invert) {
    const vm = parseMarkMask(args[0]);
    if (!vm) return 'mark: bad integer value for option "--mark", or out of range.';
    d.m = { ...vm, invert };
    return undefined;
  },
  finish: (d) => (d.m ? { module: 'mark', ...d.m } : mustSpecify('mark', 'mark')),
  save: (m) => `${m.invert ? ' !' : ''} --mark ${formatMarkMask(m.value, m.mask)}`,
  list: (m) => ` mark match${m.invert ? ' !' : ''} ${formatMarkMask(m.value, m.mask)}`,
  test: (m, { pkt }) => ((pkt.mark & m.mask) >>> 0 === m.value) !== m.invert,
};

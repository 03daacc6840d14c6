/**
 * CT and its old name NOTRACK (libxt_CT.c, xt_CT.c), raw table only: skip
 * connection tracking for the packet (--notrack) or put it in a conntrack
 * zone. iptables-nft keeps -j NOTRACK's name for iptables-save, but
 * iptables -L shows the real target: "CT ... NOTRACK".
 */
import { parseCUint } from './values.ts';
import type { TargetExt } from './extension.ts';
import type { NfTarget } from './rule.ts';

type CtTarget = Extract<NfTarget, { kind: 'CT' }>;
type Draft = { notrack: boolean; zone: number };

function ctTarget(name: 'CT' | 'NOTRACK'): TargetExt<Draft, CtTarget> {
  const alias = name === 'NOTRACK';
  return {
    name,
    options: alias ? {} : { notrack: { args: 0, invert: false }, zone: { args: 1, invert: false } },
    tables: ['raw'],
    start: () => ({ notrack: alias, zone: 0 }),
    option(d, opt, args) {
      if (opt === 'notrack') d.notrack = true;
      else {
        const z = parseCUint(args[0], 0, 65535);
        if (z === undefined) return `CT: bad value for option "--zone", or out of range (0-65535).`;
        d.zone = z;
      }
      return undefined;
    },
    finish: (d) => ({ kind: 'CT', notrack: d.notrack, alias, zone: d.zone }),
    saveName: (t) => (t.alias ? 'NOTRACK' : 'CT'),
    listName: () => 'CT',
    save(t) {
      if (t.alias) return '';
      return (t.notrack ? ' --notrack' : '') + (t.zone ? ` --zone ${t.zone}` : '');
    },
    list(t) {
      if (t.alias) return ' NOTRACK';
      return ` CT${t.notrack ? ' notrack' : ''}${t.zone ? ` zone ${t.zone}` : ''}`;
    },
  };
}

export const ctTargetExt = ctTarget('CT');
export const notrackTarget = ctTarget('NOTRACK');

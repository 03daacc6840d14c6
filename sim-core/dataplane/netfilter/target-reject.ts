/**
 * REJECT (libipt_REJECT.c, ipt_REJECT.c): drop and tell the sender, by an
 * ICMP error or a TCP RST. Only in the filter table's INPUT, FORWARD and
 * OUTPUT hooks; tcp-reset only for rules that match -p tcp.
 */
import { kernelRefused, type TargetExt } from './extension.ts';
import { IPPROTO_TCP } from './protocols.ts';
import type { NfTarget, RejectWith } from './rule.ts';

type RejectTarget = Extract<NfTarget, { kind: 'REJECT' }>;

// reject_table order (its index is the kernel's value): name and alias.
const REJECT_TYPES: readonly (readonly [RejectWith, string])[] = [
  ['icmp-net-unreachable', 'net-unreach'],
  ['icmp-host-unreachable', 'host-unreach'],
  ['icmp-proto-unreachable', 'proto-unreach'],
  ['icmp-port-unreachable', 'port-unreach'],
  ['icmp-net-prohibited', 'net-prohib'],
  ['icmp-host-prohibited', 'host-prohib'],
  ['tcp-reset', 'tcp-rst'],
  ['icmp-admin-prohibited', 'admin-prohib'],
];

export const rejectTarget: TargetExt<{ with?: RejectWith }, RejectTarget> = {
  name: 'REJECT',
  options: { 'reject-with': { args: 1, invert: false } },
  tables: ['filter'],
  hooks: ['INPUT', 'FORWARD', 'OUTPUT'],
  start: () => ({}),
  option(d, _opt, args) {
    // strncasecmp against name or alias: any unambiguous-by-order prefix works.
    const arg = args[0].toLowerCase();
    const hit = REJECT_TYPES.find(([n, a]) => n.startsWith(arg) || a.startsWith(arg));
    if (!hit || arg === '') return `unknown reject type "${args[0]}"`;
    d.with = hit[0];
    return undefined;
  },
  finish(d, ctx) {
    const w = d.with ?? 'icmp-port-unreachable';
    if (w === 'tcp-reset' && (ctx.proto !== IPPROTO_TCP || ctx.protoInvert)) {
      return kernelRefused(ctx.chain, 'REJECT --reject-with tcp-reset needs -p tcp');
    }
    return { kind: 'REJECT', with: w };
  },
  save: (t) => ` --reject-with ${t.with}`,
  list: (t) => ` reject-with ${t.with}`,
};

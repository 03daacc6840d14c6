/**
 * MARK, revision 2 (libxt_MARK.c, xt_mark.c): mark = (mark & ~mask) ^ value.
 * Every spelling is stored as that one operation, so iptables-save always
 * prints --set-xmark: --set-mark V/M is V/(V|M), --or-mark V is V/V,
 * --and-mark V is 0/~V, --xor-mark V is V/0. iptables -L names it back
 * ("MARK or 0x4000", "MARK xor 0x4000").
 */
import { type TargetExt } from './extension.ts';
import type { NfTarget } from './rule.ts';
import { hex, parseCUint, parseMarkMask } from './values.ts';

type MarkTarget = Extract<NfTarget, { kind: 'MARK' }>;
type Draft = { op?: string; value?: number; mask?: number };

const OPTIONS = ['set-xmark', 'set-mark', 'and-mark', 'or-mark', 'xor-mark'];

function parse(opt: string, arg: string): { value: number; mask: number } | undefined {
  if (opt === 'set-xmark' || opt === 'set-mark') {
    const vm = parseMarkMask(arg);
    if (!vm) return undefined;
    return opt === 'set-mark' ? { value: vm.value, mask: (vm.value | vm.mask) >>> 0 } : vm;
  }
  const n = parseCUint(arg);
  if (n === undefined) return undefined;
  if (opt === 'and-mark') return { value: 0, mask: ~n >>> 0 };
  if (opt === 'or-mark') return { value: n, mask: n };
  return { value: n, mask: 0 };
}

export const markTarget: TargetExt<Draft, MarkTarget> = {
  name: 'MARK',
  options: Object.fromEntries(OPTIONS.map((o) => [o, { args: 1, invert: false }])),
  start: () => ({}),
  option(d, opt, args) {
    if (d.op) return `MARK: option "--${opt}" cannot be used together with "--${d.op}".`;
    const vm = parse(opt, args[0]);
    if (!vm) return `MARK: bad value for option "--${opt}", or out of range.`;
    Object.assign(d, { op: opt, ...vm });
    return undefined;
  },
  finish(d) {
    if (d.value === undefined || d.mask === undefined) {
      return 'MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required';
    }
    return { kind: 'MARK', value: d.value, mask: d.mask };
  },
  save: (t) => ` --set-xmark ${hex(t.value)}/${hex(t.mask)}`,
  list(t) {
    // mark_tg_print tests in this order, so --set-xmark 0x0/0xffffffff prints "and 0x0".
    if (t.value === 0) return ` MARK and ${hex(~t.mask >>> 0)}`;
    if (t.value === t.mask) return ` MARK or ${hex(t.value)}`;
    if (t.mask === 0) return ` MARK xor ${hex(t.value)}`;
    if (t.mask === 0xffffffff) return ` MARK set ${hex(t.value)}`;
    return ` MARK xset ${hex(t.value)}/${hex(t.mask)}`;
  },
};

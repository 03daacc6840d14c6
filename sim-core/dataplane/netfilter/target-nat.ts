/**
 * DNAT, SNAT and MASQUERADE (libxt_NAT.c; the kernel's xt_nat.c and
 * xt_MASQUERADE.c). The evaluator only records the request: the caller's
 * conntrack applies it. All three end the nat-table traversal (NF_ACCEPT).
 *
 * "--to-destination 10.244.0.2:8080" is an address range and a port range
 * (either may be absent: ":8080" keeps the address); a port needs -p
 * tcp/udp/sctp/dccp.
 */
import {
  mustSpecify,
  onlyOnce,
  type Mutable,
  type RuleContext,
  type TargetExt,
} from './extension.ts';
import type { NatFlags, NatRange, NfTarget } from './rule.ts';
import { parseCUint, parseIPv4U32, parsePort, u32ToIp } from './values.ts';

type NatKind = 'DNAT' | 'SNAT' | 'MASQUERADE';
export type NatTarget = Extract<NfTarget, { kind: NatKind }>;

type Draft = { range?: NatRange } & Mutable<NatFlags>;

const PORT_PROTOS = [6, 17, 33, 132];

function parsePorts(arg: string, ctx: RuleContext): Pick<NatRange, 'minPort' | 'maxPort'> | string {
  if (!PORT_PROTOS.includes(ctx.proto)) {
    return 'Need TCP, UDP, SCTP or DCCP with port specification';
  }
  const dash = arg.indexOf('-');
  if (arg.includes(':')) return 'Invalid port:port syntax - use dash';
  const lo = dash < 0 ? arg : arg.slice(0, dash);
  const min = dash < 0 ? parsePort(lo) : parseCUint(lo, 0, 65535);
  if (min === undefined) return `Port \`${lo}' not valid`;
  if (dash < 0) return { minPort: min, maxPort: min };
  const hi = arg.slice(dash + 1);
  const max = parseCUint(hi, 0, 65535);
  if (max === undefined) return `Port \`${hi}' not valid`;
  if (max < min) return `Port range \`${hi}' funky`;
  return { minPort: min, maxPort: max };
}

/** parse_to: "addr[-addr][:port[-port]]", either half optional. */
function parseTo(arg: string, ctx: RuleContext): NatRange | string {
  const colon = arg.indexOf(':');
  let range: NatRange = {};
  if (colon >= 0) {
    const ports = parsePorts(arg.slice(colon + 1), ctx);
    if (typeof ports === 'string') return ports;
    range = ports;
    if (colon === 0) return range;
  }
  const addrs = colon >= 0 ? arg.slice(0, colon) : arg;
  const [lo, hi] = addrs.split('-', 2);
  const min = parseIPv4U32(lo);
  if (min === undefined) return `Bad IP address "${lo}"`;
  const max = hi === undefined ? min : parseIPv4U32(hi);
  if (max === undefined) return `Bad IP address "${hi}"`;
  return { ...range, minAddr: min, maxAddr: max };
}

/** sprint_range: "10.0.0.2-10.0.0.5:80-90". */
export function formatNatRange(r: NatRange): string {
  let out = '';
  if (r.minAddr !== undefined) {
    out += u32ToIp(r.minAddr);
    if (r.maxAddr !== r.minAddr) out += `-${u32ToIp(r.maxAddr ?? r.minAddr)}`;
  }
  if (r.minPort !== undefined) {
    out += `:${r.minPort}`;
    if (r.maxPort !== r.minPort) out += `-${r.maxPort}`;
  }
  return out;
}

function natPrint(t: NatTarget, rangeOpt: string, flagPrefix: string, skipColon: boolean) {
  let range = formatNatRange(t.range);
  if (skipColon && range.startsWith(':')) range = range.slice(1);
  let out = range ? ` ${rangeOpt}${range}` : '';
  if (t.random) out += ` ${flagPrefix}random`;
  if (t.randomFully) out += ` ${flagPrefix}random-fully`;
  if (t.persistent) out += ` ${flagPrefix}persistent`;
  return out;
}

interface NatSpec {
  kind: NatKind;
  rangeOpt: string;
  flags: readonly (keyof NatFlags)[];
  hooks: readonly string[];
  /** What -L prints before the range. */
  list: string;
}

function natTarget(spec: NatSpec): TargetExt<Draft, NatTarget> {
  const flagOpt = {
    random: 'random',
    randomFully: 'random-fully',
    persistent: 'persistent',
  } as const;
  const isMasq = spec.kind === 'MASQUERADE';
  return {
    name: spec.kind,
    options: {
      [spec.rangeOpt]: { args: 1, invert: false },
      ...Object.fromEntries(spec.flags.map((f) => [flagOpt[f], { args: 0, invert: false }])),
    },
    tables: ['nat'],
    hooks: spec.hooks,
    start: () => ({ random: false, randomFully: false, persistent: false }),
    option(d, opt, args, _invert, ctx) {
      const flag = spec.flags.find((f) => flagOpt[f] === opt);
      if (flag) {
        d[flag] = true;
        return undefined;
      }
      if (d.range) return onlyOnce(spec.kind, spec.rangeOpt);
      const range = isMasq ? parsePorts(args[0], ctx) : parseTo(args[0], ctx);
      if (typeof range === 'string') return range;
      d.range = range;
      return undefined;
    },
    finish(d) {
      if (!d.range && !isMasq) return mustSpecify(spec.kind, spec.rangeOpt);
      const { range = {}, random, randomFully, persistent } = d;
      return { kind: spec.kind, range, random, randomFully, persistent };
    },
    save: (t) => natPrint(t, `--${spec.rangeOpt} `, '--', isMasq),
    list: (t) => natPrint(t, spec.list, '', isMasq),
  };
}

export const dnatTarget = natTarget({
  kind: 'DNAT',
  rangeOpt: 'to-destination',
  flags: ['random', 'persistent'],
  hooks: ['PREROUTING', 'OUTPUT'],
  list: 'to:',
});

export const snatTarget = natTarget({
  kind: 'SNAT',
  rangeOpt: 'to-source',
  flags: ['random', 'randomFully', 'persistent'],
  hooks: ['POSTROUTING', 'INPUT'],
  list: 'to:',
});

export const masqueradeTarget = natTarget({
  kind: 'MASQUERADE',
  rangeOpt: 'to-ports',
  flags: ['random', 'randomFully'],
  hooks: ['POSTROUTING'],
  list: 'masq ports: ',
});

/**
 * The statistic match (libxt_statistic.c, xt_statistic.c). kube-proxy picks
 * an endpoint with "--mode random --probability 1/n" on each KUBE-SVC rule but
 * the last. The kernel keeps the probability as lround(p * 2^31) and matches
 * when (get_random_u32() & 0x7fffffff) < that; iptables prints it back as
 * "%.11f" of value / 2^31, so 0.3333333333 comes back as 0.33333333349.
 */
import { mustSpecify, together, type MatchExt } from './extension.ts';
import type { StatisticMatch } from './rule.ts';
import { parseCUint } from './values.ts';

const TWO_31 = 0x80000000;

interface Draft {
  mode?: 'random' | 'nth';
  probability?: number;
  every?: number;
  packet?: number;
  invert: boolean;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** printf("%.11f", fraction / 2^31), exactly: glibc rounds the exact binary value half to even. */
export function formatProbability(fraction: number): string {
  const scaled = BigInt(fraction) * 10n ** 11n;
  const q = scaled / BigInt(TWO_31);
  const r = scaled % BigInt(TWO_31);
  const twice = 2n * r;
  const up = twice > BigInt(TWO_31) || (twice === BigInt(TWO_31) && q % 2n === 1n);
  const digits = (up ? q + 1n : q).toString().padStart(12, '0');
  return `${digits.slice(0, -11)}.${digits.slice(-11)}`;
}

function option(d: Draft, opt: string, arg: string, invert: boolean): string | undefined {
  if (invert) d.invert = true;
  if (opt === 'mode') {
    if (arg !== 'random' && arg !== 'nth') return `Bad mode "${arg}"`;
    d.mode = arg;
  } else if (opt === 'probability') {
    if (d.every !== undefined || d.packet !== undefined) return together('statistic', opt, 'every');
    const p = DECIMAL.test(arg) ? Number(arg) : NaN;
    if (!(p >= 0 && p <= 1)) {
      return 'statistic: bad value for option "--probability", or out of range (0-1).';
    }
    d.probability = Math.round(TWO_31 * p);
  } else {
    if (d.probability !== undefined) return together('statistic', opt, 'probability');
    const n = parseCUint(arg, opt === 'every' ? 1 : 0);
    if (n === undefined) return `statistic: bad value for option "--${opt}", or out of range.`;
    if (opt === 'every') d.every = n;
    else d.packet = n;
  }
  return undefined;
}

function finish(d: Draft): StatisticMatch | string {
  if (!d.mode) return mustSpecify('statistic', 'mode');
  // xtables_options_fcheck: --every and --packet each need the other.
  if (d.every !== undefined && d.packet === undefined) {
    return 'statistic: option "--every" also requires "--packet".';
  }
  if (d.packet !== undefined && d.every === undefined) {
    return 'statistic: option "--packet" also requires "--every".';
  }
  if (d.mode === 'random') {
    if (d.probability === undefined)
      return '--probability must be specified when using random mode';
    return { module: 'statistic', mode: 'random', probability: d.probability, invert: d.invert };
  }
  if (d.every === undefined || d.packet === undefined) {
    return '--every and --packet must be specified when using nth mode';
  }
  const packet = d.packet;
  if (packet > d.every - 1) return 'the --packet p must be 0 <= p <= n-1';
  return { module: 'statistic', mode: 'nth', every: d.every, packet, invert: d.invert };
}

function describe(m: StatisticMatch, prefix: string): string {
  const inv = m.invert ? ' !' : '';
  if (m.mode === 'random') {
    return ` ${prefix}mode random${inv} ${prefix}probability ${formatProbability(m.probability)}`;
  }
  const packet = m.packet || prefix ? ` ${prefix}packet ${m.packet}` : '';
  return ` ${prefix}mode nth${inv} ${prefix}every ${m.every}${packet}`;
}

export const statisticMatch: MatchExt<Draft, StatisticMatch> = {
  name: 'statistic',
  options: {
    mode: { args: 1, invert: false },
    probability: { args: 1, invert: true },
    every: { args: 1, invert: true },
    packet: { args: 1, invert: false },
  },
  start: () => ({ invert: false }),
  option: (d, opt, args, invert) => option(d, opt, args[0], invert),
  finish,
  save: (m) => describe(m, '--'),
  list: (m) => ` statistic${describe(m, '')}`,
  test(m, ev) {
    if (m.mode === 'random') {
      // One draw per evaluation, scaled to the kernel's 31 random bits.
      const draw = Math.floor(ev.env.random() * TWO_31);
      return draw < m.probability !== m.invert;
    }
    // xt_statistic nth: a per-rule counter starting at every-1-packet, matching when it wraps to 0.
    const count = ev.nthCount(ev.matchKey) ?? m.every - 1 - m.packet;
    const next = count === m.every - 1 ? 0 : count + 1;
    ev.setNthCount(ev.matchKey, next);
    return (next === 0) !== m.invert;
  },
};

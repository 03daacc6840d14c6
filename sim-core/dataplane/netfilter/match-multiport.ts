/**
 * The multiport match, revision 1 (libxt_multiport.c, xt_multiport.c): up to
 * 15 ports or ranges (a range counts twice) on the source, destination or
 * either port. Needs a port-carrying -p given before it, checked at parse time.
 */
import { together, type MatchExt } from './extension.ts';
import { portToService } from './protocols.ts';
import type { MultiportMatch } from './rule.ts';
import { parsePort } from './values.ts';

const PORT_PROTOS = [6, 17, 33, 132, 136]; // tcp udp dccp sctp udplite
const MAX_PORTS = 15;

type Draft = { m?: Omit<MultiportMatch, 'module'> };

const DIRS: Readonly<Record<string, MultiportMatch['dir']>> = {
  sports: 'sports',
  'source-ports': 'sports',
  dports: 'dports',
  'destination-ports': 'dports',
  ports: 'ports',
};

function parseRanges(arg: string): MultiportMatch['ranges'] | string {
  const ranges: (readonly [number, number])[] = [];
  let slots = 0;
  for (const item of arg.split(',')) {
    const [lo, hi, extra] = item.split(':');
    const min = parsePort(lo);
    const max = hi === undefined ? min : parsePort(hi);
    if (min === undefined) return `invalid port/service \`${lo}' specified`;
    if (max === undefined || extra !== undefined) return `invalid port/service \`${hi}' specified`;
    if (hi !== undefined && min >= max) return 'invalid portrange specified';
    slots += hi === undefined ? 1 : 2;
    if (slots > MAX_PORTS) return 'too many ports specified';
    ranges.push([min, max]);
  }
  return ranges;
}

function formatRanges(m: MultiportMatch, numeric: boolean): string {
  const name = (p: number) => (numeric ? undefined : portToService(p)) ?? String(p);
  return m.ranges.map(([a, b]) => (a === b ? name(a) : `${name(a)}:${name(b)}`)).join(',');
}

export const multiportMatch: MatchExt<Draft, MultiportMatch> = {
  name: 'multiport',
  options: Object.fromEntries(Object.keys(DIRS).map((k) => [k, { args: 1, invert: true }])),
  start: () => ({}),
  option(d, opt, args, invert, ctx) {
    if (!PORT_PROTOS.includes(ctx.proto) || ctx.protoInvert) {
      return "multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'";
    }
    if (d.m) return together('multiport', opt, d.m.dir);
    const ranges = parseRanges(args[0]);
    if (typeof ranges === 'string') return ranges;
    d.m = { dir: DIRS[opt], ranges, invert };
    return undefined;
  },
  // (sic: the message is libxt_multiport's own)
  finish: (d) => (d.m ? { module: 'multiport', ...d.m } : 'multiport expection an option'),
  save: (m) => `${m.invert ? ' !' : ''} --${m.dir} ${formatRanges(m, true)}`,
  // "multiport sports  !1,2": the inversion mark follows a space already printed.
  list: (m, numeric) => ` multiport ${m.dir} ${m.invert ? ' !' : ''}${formatRanges(m, numeric)}`,
  test(m, { pkt }) {
    if (pkt.fragment) return false;
    const sport = pkt.sport ?? 0;
    const dport = pkt.dport ?? 0;
    const hit = m.ranges.some(
      ([a, b]) =>
        (m.dir !== 'dports' && sport >= a && sport <= b) ||
        (m.dir !== 'sports' && dport >= a && dport <= b),
    );
    return hit !== m.invert;
  },
};

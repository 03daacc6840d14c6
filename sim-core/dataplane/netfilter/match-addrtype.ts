/**
 * The addrtype match, revision 1 (libxt_addrtype.c, xt_addrtype.c): the
 * route type of the source or destination address (RTN_LOCAL, ...), looked
 * up in the main table or, with --limit-iface-in/out, in the packet's
 * interface's. kube-proxy's "--dst-type LOCAL -j KUBE-NODEPORTS" is how a
 * NodePort catches traffic to any of the node's own addresses.
 */
import { kernelRefused, together, type MatchExt } from './extension.ts';
import type { AddrType } from './packet.ts';
import type { AddrtypeMatch } from './rule.ts';

/** rtn_names: bit i of a type mask is RTN value i. */
export const RTN_NAMES: readonly AddrType[] = [
  'UNSPEC',
  'UNICAST',
  'LOCAL',
  'BROADCAST',
  'ANYCAST',
  'MULTICAST',
  'BLACKHOLE',
  'UNREACHABLE',
  'PROHIBIT',
  'THROW',
  'NAT',
  'XRESOLVE',
];

type Side = { types: number; invert: boolean };
type Draft = { src?: Side; dst?: Side; limitIn: boolean; limitOut: boolean };

/** parse_types: each name matches by case-insensitive prefix, first in rtn_names order wins. */
function parseTypes(arg: string): number | string {
  let mask = 0;
  const parts = arg.split(',');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i].toUpperCase();
    const bit = p === '' ? -1 : RTN_NAMES.findIndex((n) => n.startsWith(p));
    if (bit < 0) {
      const rest = parts.slice(i).join(',');
      return i < parts.length - 1
        ? `addrtype: bad type \`${rest}'`
        : `addrtype: bad type "${rest}"`;
    }
    mask |= 1 << bit;
  }
  return mask;
}

function typeNames(mask: number): string {
  return RTN_NAMES.filter((_, i) => mask & (1 << i)).join(',');
}

const NO_LIMIT_IN = ['OUTPUT', 'POSTROUTING'];
const NO_LIMIT_OUT = ['PREROUTING', 'INPUT'];

export const addrtypeMatch: MatchExt<Draft, AddrtypeMatch> = {
  name: 'addrtype',
  options: {
    'src-type': { args: 1, invert: true },
    'dst-type': { args: 1, invert: true },
    'limit-iface-in': { args: 0, invert: false },
    'limit-iface-out': { args: 0, invert: false },
  },
  start: () => ({ limitIn: false, limitOut: false }),
  option(d, opt, args, invert) {
    if (opt === 'limit-iface-in' || opt === 'limit-iface-out') {
      const other = opt === 'limit-iface-in' ? d.limitOut : d.limitIn;
      if (other)
        return together('addrtype', opt, opt.endsWith('in') ? 'limit-iface-out' : 'limit-iface-in');
      if (opt === 'limit-iface-in') d.limitIn = true;
      else d.limitOut = true;
      return undefined;
    }
    const types = parseTypes(args[0]);
    if (typeof types === 'string') return types;
    d[opt === 'src-type' ? 'src' : 'dst'] = { types, invert };
    return undefined;
  },
  finish(d, ctx) {
    if (!d.src && !d.dst) return 'addrtype: you must specify --src-type or --dst-type';
    // addrtype_mt_checkentry_v1 refuses an interface the hook cannot know.
    const bad =
      (d.limitIn && ctx.builtin && NO_LIMIT_IN.includes(ctx.chain)) ||
      (d.limitOut && ctx.builtin && NO_LIMIT_OUT.includes(ctx.chain));
    if (bad)
      return kernelRefused(
        ctx.chain,
        `addrtype cannot limit to an interface ${ctx.chain} does not know`,
      );
    return {
      module: 'addrtype',
      ...(d.src ? { src: d.src } : {}),
      ...(d.dst ? { dst: d.dst } : {}),
      limitIfaceIn: d.limitIn,
      limitIfaceOut: d.limitOut,
    };
  },
  save(m) {
    let out = '';
    if (m.src) out += `${m.src.invert ? ' !' : ''} --src-type ${typeNames(m.src.types)}`;
    if (m.dst) out += `${m.dst.invert ? ' !' : ''} --dst-type ${typeNames(m.dst.types)}`;
    if (m.limitIfaceIn) out += ' --limit-iface-in';
    if (m.limitIfaceOut) out += ' --limit-iface-out';
    return out;
  },
  list(m) {
    let out = ' ADDRTYPE match';
    if (m.src) out += ` src-type ${m.src.invert ? '!' : ''}${typeNames(m.src.types)}`;
    if (m.dst) out += ` dst-type ${m.dst.invert ? '!' : ''}${typeNames(m.dst.types)}`;
    if (m.limitIfaceIn) out += ' limit-in';
    if (m.limitIfaceOut) out += ' limit-out';
    return out;
  },
  test(m, { pkt, env }) {
    const iface = m.limitIfaceIn ? pkt.inIface : m.limitIfaceOut ? pkt.outIface : undefined;
    const hit = (side: Side, ip: string) =>
      ((side.types & (1 << RTN_NAMES.indexOf(env.addrType(ip, iface)))) !== 0) !== side.invert;
    return (!m.src || hit(m.src, pkt.src)) && (!m.dst || hit(m.dst, pkt.dst));
  },
};

/**
 * The physdev match (libxt_physdev.c, xt_physdev.c): the bridge ports of a
 * frame that br_netfilter handed to iptables, for packets crossing cni0 with
 * bridge-nf-call-iptables=1. Packets that never met a bridge match only
 * negated tests; --physdev-is-bridged asks whether there is an output port.
 */
import { kernelRefused, type MatchExt, type Mutable } from './extension.ts';
import { ifaceMatches, parseIfaceName } from './values.ts';
import type { IfaceMatch, PhysdevMatch } from './rule.ts';

type Flag = { readonly invert: boolean };
type Draft = Mutable<Omit<PhysdevMatch, 'module'>>;

const FLAG_OPTS: Readonly<Record<string, 'isIn' | 'isOut' | 'isBridged'>> = {
  'physdev-is-in': 'isIn',
  'physdev-is-out': 'isOut',
  'physdev-is-bridged': 'isBridged',
};

function describe(m: PhysdevMatch): string {
  const inv = (f: Flag) => (f.invert ? ' !' : '');
  let out = '';
  if (m.isIn) out += `${inv(m.isIn)} --physdev-is-in`;
  if (m.in) out += `${inv(m.in)} --physdev-in ${m.in.name}`;
  if (m.isOut) out += `${inv(m.isOut)} --physdev-is-out`;
  if (m.out) out += `${inv(m.out)} --physdev-out ${m.out.name}`;
  if (m.isBridged) out += `${inv(m.isBridged)} --physdev-is-bridged`;
  return out;
}

function unbridged(m: PhysdevMatch): boolean {
  // "Return MATCH if the invert flags of the used options are on"
  return [m.isBridged, m.isIn, m.isOut, m.in, m.out].every((f) => !f || f.invert);
}

function test(m: PhysdevMatch, physIn?: string, physOut?: string): boolean {
  if (m.isBridged && (physOut !== undefined) === m.isBridged.invert) return false;
  if (m.isIn && (physIn === undefined) !== m.isIn.invert) return false;
  if (m.isOut && (physOut === undefined) !== m.isOut.invert) return false;
  if (m.in && physIn !== undefined && ifaceMatches(m.in.name, physIn) === m.in.invert) return false;
  if (!m.out) return true;
  if (physOut === undefined) return false;
  return ifaceMatches(m.out.name, physOut) !== m.out.invert;
}

export const physdevMatch: MatchExt<Draft, PhysdevMatch> = {
  name: 'physdev',
  options: {
    'physdev-in': { args: 1, invert: true },
    'physdev-out': { args: 1, invert: true },
    'physdev-is-in': { args: 0, invert: true },
    'physdev-is-out': { args: 0, invert: true },
    'physdev-is-bridged': { args: 0, invert: true },
  },
  start: () => ({}),
  option(d, opt, args, invert) {
    const flag = FLAG_OPTS[opt];
    if (flag) {
      d[flag] = { invert };
      return undefined;
    }
    const name = parseIfaceName(args[0]);
    if (typeof name !== 'string') return name.error;
    const iface: IfaceMatch = { name, invert };
    if (opt === 'physdev-in') d.in = iface;
    else d.out = iface;
    return undefined;
  },
  finish(d, ctx) {
    if (!d.in && !d.out && !d.isIn && !d.isOut && !d.isBridged) {
      return 'PHYSDEV: no physdev option specified';
    }
    const bridgedOnly = d.isBridged && !d.isBridged.invert;
    if ((d.out || d.isOut) && !bridgedOnly && ctx.builtin && ctx.chain === 'OUTPUT') {
      return kernelRefused(
        ctx.chain,
        '--physdev-out and --physdev-is-out only supported in the FORWARD and POSTROUTING chains with bridged traffic',
      );
    }
    return { module: 'physdev', ...d };
  },
  save: describe,
  list: (m) => ` PHYSDEV match${describe(m)}`,
  test(m, { pkt }) {
    const bridged = pkt.bridged === true || pkt.physIn !== undefined || pkt.physOut !== undefined;
    return bridged ? test(m, pkt.physIn, pkt.physOut) : unbridged(m);
  },
};

/**
 * The icmp match (libipt_icmp.c, icmp_match in net/ipv4/netfilter/ip_tables.c):
 * --icmp-type NAME | TYPE[/CODE]. Type 255 ("any") matches every ICMP packet;
 * a bare type matches codes 0-255. iptables-save writes the numbers
 * ("--icmp-type 8" for echo-request), iptables -L -n prints "icmptype 8".
 */
import { onlyOnce, type MatchExt } from './extension.ts';
import { IPPROTO_ICMP } from './protocols.ts';
import type { IcmpMatch } from './rule.ts';
import { parseCUint } from './values.ts';

// name, type, code min, code max (icmp_codes in extensions/libxt_icmp.h).
const ICMP_NAMES: readonly (readonly [string, number, number, number])[] = [
  ['any', 255, 0, 255],
  ['echo-reply', 0, 0, 255],
  ['pong', 0, 0, 255],
  ['destination-unreachable', 3, 0, 255],
  ['network-unreachable', 3, 0, 0],
  ['host-unreachable', 3, 1, 1],
  ['protocol-unreachable', 3, 2, 2],
  ['port-unreachable', 3, 3, 3],
  ['fragmentation-needed', 3, 4, 4],
  ['source-route-failed', 3, 5, 5],
  ['network-unknown', 3, 6, 6],
  ['host-unknown', 3, 7, 7],
  ['network-prohibited', 3, 9, 9],
  ['host-prohibited', 3, 10, 10],
  ['TOS-network-unreachable', 3, 11, 11],
  ['TOS-host-unreachable', 3, 12, 12],
  ['communication-prohibited', 3, 13, 13],
  ['host-precedence-violation', 3, 14, 14],
  ['precedence-cutoff', 3, 15, 15],
  ['source-quench', 4, 0, 255],
  ['redirect', 5, 0, 255],
  ['network-redirect', 5, 0, 0],
  ['host-redirect', 5, 1, 1],
  ['TOS-network-redirect', 5, 2, 2],
  ['TOS-host-redirect', 5, 3, 3],
  ['echo-request', 8, 0, 255],
  ['ping', 8, 0, 255],
  ['router-advertisement', 9, 0, 255],
  ['router-solicitation', 10, 0, 255],
  ['time-exceeded', 11, 0, 255],
  ['ttl-exceeded', 11, 0, 255],
  ['ttl-zero-during-transit', 11, 0, 0],
  ['ttl-zero-during-reassembly', 11, 1, 1],
  ['parameter-problem', 12, 0, 255],
  ['ip-header-bad', 12, 0, 0],
  ['required-option-missing', 12, 1, 1],
  ['timestamp-request', 13, 0, 255],
  ['timestamp-reply', 14, 0, 255],
  ['address-mask-request', 17, 0, 255],
  ['address-mask-reply', 18, 0, 255],
];

type IcmpDraft = { spec?: Omit<IcmpMatch, 'module'> };

function parseIcmpType(text: string, invert: boolean): Omit<IcmpMatch, 'module'> | string {
  // Names match by case-insensitive unique prefix (parse_icmp in libipt_icmp.c).
  const named = ICMP_NAMES.filter(([n]) => n.toLowerCase().startsWith(text.toLowerCase()));
  if (named.length > 1) {
    return `Ambiguous ICMP type \`${text}': \`${named[0][0]}' or \`${named[1][0]}'?`;
  }
  if (named.length === 1) {
    const [, type, codeMin, codeMax] = named[0];
    return { type, codeMin, codeMax, invert };
  }
  const [t, c, extra] = text.split('/');
  const type = parseCUint(t, 0, 255);
  const code = c === undefined ? undefined : parseCUint(c, 0, 255);
  if (type === undefined || extra !== undefined || (c !== undefined && code === undefined)) {
    return `Invalid ICMP type \`${text}'`;
  }
  return code === undefined
    ? { type, codeMin: 0, codeMax: 255, invert }
    : { type, codeMin: code, codeMax: code, invert };
}

export const icmpMatch: MatchExt<IcmpDraft, IcmpMatch> = {
  name: 'icmp',
  options: { 'icmp-type': { args: 1, invert: true } },
  start: () => ({}),
  option(d, _opt, args, invert) {
    if (d.spec) return onlyOnce('icmp', 'icmp-type');
    const spec = parseIcmpType(args[0], invert);
    if (typeof spec === 'string') return spec;
    d.spec = spec;
    return undefined;
  },
  finish(d, ctx) {
    if (ctx.proto !== IPPROTO_ICMP || ctx.protoInvert) return "ICMP match requires '-p icmp'";
    // Without --icmp-type the kernel stores "any".
    return {
      module: 'icmp',
      ...(d.spec ?? { type: 255, codeMin: 0, codeMax: 255, invert: false }),
    };
  },
  save(m) {
    const inv = m.invert ? ' !' : '';
    if (m.type === 255) return `${inv} --icmp-type any`;
    const code = m.codeMin !== 0 || m.codeMax !== 255 ? `/${m.codeMin}` : '';
    return `${inv} --icmp-type ${m.type}${code}`;
  },
  list(m, numeric) {
    if (!numeric) {
      const name = ICMP_NAMES.find(
        ([, t, lo, hi]) => t === m.type && lo === m.codeMin && hi === m.codeMax,
      );
      if (name) return ` icmp ${m.invert ? '!' : ''}${name[0]}`;
    }
    // print_icmptype writes "type" straight after " icmp": "icmptype 8", "icmp !type 0".
    let out = ` icmp${m.invert ? ' !' : ''}type ${m.type}`;
    if (m.codeMin === m.codeMax) out += ` code ${m.codeMin}`;
    else if (m.codeMin !== 0 || m.codeMax !== 255) out += ` codes ${m.codeMin}-${m.codeMax}`;
    return out;
  },
  test(m, { pkt }) {
    if (pkt.fragment) return false;
    const type = pkt.icmpType ?? 0;
    const code = pkt.icmpCode ?? 0;
    const hit = m.type === 255 || (type === m.type && code >= m.codeMin && code <= m.codeMax);
    return hit !== m.invert;
  },
};

/**
 * The tcp, udp and sctp matches (libxt_tcp.c, libxt_udp.c, libxt_sctp.c;
 * net/netfilter/xt_tcpudp.c): source/destination port ranges, and for tcp the
 * flag test. `-p tcp --dport 80` loads this match implicitly, which is why
 * iptables-save prints "-p tcp -m tcp --dport 80".
 */
import { onlyOnce, type MatchExt, type RuleContext } from './extension.ts';
import { ANY_PORT, listPorts, parsePortRange, portInRange, savePorts } from './match-ports.ts';
import { IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP } from './protocols.ts';
import type { PortRange, TcpMatch, UdpMatch } from './rule.ts';

interface PortsDraft {
  sport?: PortRange;
  dport?: PortRange;
  flags?: { mask: number; cmp: number; invert: boolean };
}

const TCP_FLAGS: readonly (readonly [string, number])[] = [
  ['FIN', 0x01],
  ['SYN', 0x02],
  ['RST', 0x04],
  ['PSH', 0x08],
  ['ACK', 0x10],
  ['URG', 0x20],
  ['ALL', 0x3f],
  ['NONE', 0],
];

function parseFlags(text: string): number | string {
  let bits = 0;
  for (const name of text.split(',')) {
    const f = TCP_FLAGS.find(([n]) => n === name.toUpperCase());
    if (!f) return `Unknown TCP flag \`${name}'`;
    bits |= f[1];
  }
  return bits;
}

/** print_tcpf: names in bit order, ALL never (its bits are taken one by one first). */
function flagNames(bits: number): string {
  const names = TCP_FLAGS.slice(0, 6)
    .filter(([, b]) => bits & b)
    .map(([n]) => n);
  return names.length ? names.join(',') : 'NONE';
}

const PORT_OPTIONS = {
  sport: { args: 1, invert: true },
  'source-port': { args: 1, invert: true },
  dport: { args: 1, invert: true },
  'destination-port': { args: 1, invert: true },
} as const;

function portOption(ext: string, d: PortsDraft, opt: string, arg: string, invert: boolean) {
  const key = opt === 'sport' || opt === 'source-port' ? 'sport' : 'dport';
  if (d[key]) return onlyOnce(ext, key);
  const r = parsePortRange(arg, invert);
  if (typeof r === 'string') return r;
  d[key] = r;
  return undefined;
}

function requireProto(ctx: RuleContext, proto: number, label: string, name: string) {
  return ctx.proto === proto && !ctx.protoInvert
    ? undefined
    : `${label} match requires '-p ${name}'`;
}

function portsMatch(m: { sport: PortRange; dport: PortRange }, sport?: number, dport?: number) {
  return portInRange(m.sport, sport) && portInRange(m.dport, dport);
}

export const tcpMatch: MatchExt<PortsDraft, TcpMatch> = {
  name: 'tcp',
  options: {
    ...PORT_OPTIONS,
    'tcp-flags': { args: 2, invert: true },
    syn: { args: 0, invert: true },
  },
  start: () => ({}),
  option(d, opt, args, invert) {
    if (opt !== 'tcp-flags' && opt !== 'syn') return portOption('tcp', d, opt, args[0], invert);
    if (d.flags) return onlyOnce('tcp', 'tcp-flags');
    // --syn is shorthand for --tcp-flags FIN,SYN,RST,ACK SYN.
    const [maskText, cmpText] = opt === 'syn' ? ['FIN,SYN,RST,ACK', 'SYN'] : args;
    const mask = parseFlags(maskText);
    const cmp = parseFlags(cmpText);
    if (typeof mask === 'string') return mask;
    if (typeof cmp === 'string') return cmp;
    d.flags = { mask, cmp, invert };
    return undefined;
  },
  finish(d, ctx) {
    const bad = requireProto(ctx, IPPROTO_TCP, 'TCP', 'tcp');
    if (bad) return bad;
    const base = { module: 'tcp' as const, sport: d.sport ?? ANY_PORT, dport: d.dport ?? ANY_PORT };
    return d.flags ? { ...base, flags: d.flags } : base;
  },
  save(m) {
    const f = m.flags;
    const flags = f
      ? `${f.invert ? ' !' : ''} --tcp-flags ${flagNames(f.mask)} ${flagNames(f.cmp)}`
      : '';
    return savePorts('sport', m.sport) + savePorts('dport', m.dport) + flags;
  },
  list(m, numeric) {
    const f = m.flags;
    const hex2 = (n: number) => `0x${n.toString(16).toUpperCase().padStart(2, '0')}`;
    const flags = f
      ? ` flags:${f.invert ? '!' : ''}${numeric ? `${hex2(f.mask)}/${hex2(f.cmp)}` : `${flagNames(f.mask)}/${flagNames(f.cmp)}`}`
      : '';
    return ` tcp${listPorts('spt', m.sport, numeric)}${listPorts('dpt', m.dport, numeric)}${flags}`;
  },
  test(m, { pkt }) {
    if (pkt.fragment) return false;
    const f = m.flags;
    const flagsOk = !f || (((pkt.tcpFlags ?? 0) & f.mask) === f.cmp) !== f.invert;
    return flagsOk && portsMatch(m, pkt.sport, pkt.dport);
  },
};

function udpLike(module: 'udp' | 'sctp', proto: number): MatchExt<PortsDraft, UdpMatch> {
  const label = module.toUpperCase();
  return {
    name: module,
    options: PORT_OPTIONS,
    start: () => ({}),
    option: (d, opt, args, invert) => portOption(module, d, opt, args[0], invert),
    finish(d, ctx) {
      const bad = requireProto(ctx, proto, label, module);
      return bad ?? { module, sport: d.sport ?? ANY_PORT, dport: d.dport ?? ANY_PORT };
    },
    save: (m) => savePorts('sport', m.sport) + savePorts('dport', m.dport),
    list: (m, numeric) =>
      ` ${module}${listPorts('spt', m.sport, numeric)}${listPorts('dpt', m.dport, numeric)}`,
    test: (m, { pkt }) => !pkt.fragment && portsMatch(m, pkt.sport, pkt.dport),
  };
}

export const udpMatch = udpLike('udp', IPPROTO_UDP);
export const sctpMatch = udpLike('sctp', IPPROTO_SCTP);

/**
 * The ipvs match (libxt_ipvs.c, net/netfilter/xt_ipvs.c): "--ipvs" is true
 * for a packet IPVS has forwarded (skb->ipvs_property); every other option
 * implies it and then asks about the IPVS connection the packet belongs to
 * — its virtual protocol, address and port, the conntrack direction, the
 * forwarding method and the controlling connection's port. kube-proxy's
 * IPVS mode uses it in KUBE-IPVS-OUT-FILTER to drop the node's own traffic
 * to a LoadBalancer IP whose source ranges do not include the node.
 *
 * iptables-save prints the options in one fixed order (ipvs_mt_dump), the
 * protocol as a number, the address numerically with its mask unless /32,
 * and "--ipvs" only when it is the only option.
 */
import type { MatchExt, Mutable } from './extension.ts';
import { protocolByName } from './protocols.ts';
import type { IpvsMatch } from './rule.ts';
import {
  maskToPrefix,
  parseCUint,
  parseIPv4U32,
  parsePort,
  prefixToMask,
  u32ToIp,
} from './values.ts';

type Draft = Mutable<Omit<IpvsMatch, 'module'>> & { any: boolean };

const METHODS = ['GATE', 'IPIP', 'MASQ'] as const;

function parseProto(arg: string): number | undefined {
  return parseCUint(arg, 0, 255) ?? protocolByName(arg.toLowerCase());
}

/** XTTYPE_HOSTMASK: an address with an optional /len or /dotted mask; host bits are kept. */
function parseHostMask(arg: string): { addr: number; mask: number } | undefined {
  const [host, m] = arg.split('/', 2);
  const addr = parseIPv4U32(host);
  if (addr === undefined) return undefined;
  if (m === undefined) return { addr, mask: 0xffffffff };
  const mask = m.includes('.') ? parseIPv4U32(m) : mapLen(parseCUint(m, 0, 32));
  return mask === undefined ? undefined : { addr, mask };
}
const mapLen = (len: number | undefined) => (len === undefined ? undefined : prefixToMask(len));

/** xtables_ipmask_to_numeric: "" for /32, "/len" for a contiguous mask, else "/dotted". */
function maskText(mask: number): string {
  if (mask === 0xffffffff) return '';
  const len = maskToPrefix(mask);
  return len >= 0 ? `/${len}` : `/${u32ToIp(mask)}`;
}

function option(d: Draft, opt: string, args: readonly string[], invert: boolean) {
  const arg = args[0];
  const bad = (o: string) => `ipvs: Bad value for "--${o}" option: "${arg}"`;
  d.any = true;
  switch (opt) {
    case 'ipvs':
      d.property = { invert };
      return undefined;
    case 'vproto': {
      const proto = parseProto(arg);
      if (proto === undefined) return `unknown protocol "${arg}" specified`;
      d.vproto = { proto, invert };
      return undefined;
    }
    case 'vaddr': {
      const hm = parseHostMask(arg);
      if (!hm) return `host/network \`${arg}' not found`;
      d.vaddr = { ...hm, invert };
      return undefined;
    }
    case 'vport':
    case 'vportctl': {
      const port = parsePort(arg);
      if (port === undefined)
        return `ipvs: Bad value for option "--${opt}", or out of range (0-65535).`;
      d[opt] = { port, invert };
      return undefined;
    }
    case 'vdir': {
      const dir = arg.toUpperCase();
      if (dir !== 'ORIGINAL' && dir !== 'REPLY') return bad('vdir');
      d.vdir = dir;
      return undefined;
    }
    default: {
      const method = METHODS.find((m) => m === arg.toUpperCase());
      if (!method) return bad('vmethod');
      d.vmethod = { method, invert };
      return undefined;
    }
  }
}

function finish(d: Draft): IpvsMatch | string {
  if (!d.any) return 'IPVS: At least one option is required';
  const { any: _any, ...rest } = d;
  const others = Object.keys(rest).some((k) => k !== 'property');
  if (others && d.property?.invert) return '! --ipvs cannot be together with other options';
  return { module: 'ipvs', ...rest };
}

/** ipvs_mt_dump with prefix "--" (save) or "" (iptables -L). */
function dump(m: IpvsMatch, p: string): string {
  const not = (x: { invert: boolean } | undefined) => (x?.invert ? ' !' : '');
  let out = '';
  const others = m.vproto || m.vaddr || m.vport || m.vdir || m.vmethod || m.vportctl;
  if (m.property && !others) out += `${not(m.property)} ${p}ipvs`;
  if (m.vproto) out += `${not(m.vproto)} ${p}vproto ${m.vproto.proto}`;
  if (m.vaddr) out += `${not(m.vaddr)} ${p}vaddr ${u32ToIp(m.vaddr.addr)}${maskText(m.vaddr.mask)}`;
  if (m.vport) out += `${not(m.vport)} ${p}vport ${m.vport.port}`;
  if (m.vdir) out += ` ${p}vdir ${m.vdir}`;
  if (m.vmethod) out += `${not(m.vmethod)} ${p}vmethod ${m.vmethod.method}`;
  if (m.vportctl) out += `${not(m.vportctl)} ${p}vportctl ${m.vportctl.port}`;
  return out;
}

export const ipvsMatch: MatchExt<Draft, IpvsMatch> = {
  name: 'ipvs',
  options: {
    ipvs: { args: 0, invert: true },
    vproto: { args: 1, invert: true },
    vaddr: { args: 1, invert: true },
    vport: { args: 1, invert: true },
    vdir: { args: 1, invert: false },
    vmethod: { args: 1, invert: true },
    vportctl: { args: 1, invert: true },
  },
  start: () => ({ any: false }),
  option: (d, opt, args, invert) => option(d, opt, args, invert),
  finish,
  save: (m) => dump(m, '--'),
  list: (m) => dump(m, ''),
  /** ipvs_mt: each option tested against the packet's IPVS connection, negation per option. */
  test(m, { pkt }) {
    const others = m.vproto || m.vaddr || m.vport || m.vdir || m.vmethod || m.vportctl;
    if (!others) return (pkt.ipvs !== undefined) !== (m.property?.invert ?? false);
    if (!pkt.ipvs) return false;
    if (m.vproto && (pkt.protocol === m.vproto.proto) === m.vproto.invert) return false;
    const cp = pkt.ipvs.conn;
    if (!cp) return false;
    if (m.vport && (cp.vport === m.vport.port) === m.vport.invert) return false;
    if (m.vportctl && (cp.controlVport === m.vportctl.port) === m.vportctl.invert) return false;
    if (m.vdir) {
      if (pkt.ctState === undefined) return false;
      if ((pkt.ctReply ?? false) !== (m.vdir === 'REPLY')) return false;
    }
    if (m.vmethod && (cp.method === m.vmethod.method) === m.vmethod.invert) return false;
    if (m.vaddr) {
      const same = ((parseIPv4U32(cp.vaddr)! ^ m.vaddr.addr) & m.vaddr.mask) >>> 0 === 0;
      if (same === m.vaddr.invert) return false;
    }
    return true;
  },
};

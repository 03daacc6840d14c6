/**
 * The recent match, revision 1 (libxt_recent.c, net/netfilter/xt_recent.c):
 * named lists of recently seen addresses. --set adds the packet's source
 * (or destination) address, --rcheck/--update ask whether it was seen
 * (--seconds, --hitcount), --remove forgets it. Lists hold at most 100
 * addresses (ip_list_tot), evicting the least recently updated.
 *
 * Simplification: the kernel may keep two entries for one address seen with
 * different TTLs under --rttl; here a list holds one entry per address.
 */
import {
  kernelRefused,
  together,
  type MatchEval,
  type MatchExt,
  type Mutable,
  type RuleContext,
} from './extension.ts';
import type { RecentEntry } from './ruleset.ts';
import type { RecentMatch } from './rule.ts';
import { parseCUint, parseIPv4U32, u32ToIp } from './values.ts';

const LIST_TOT = 100;
const MAX_STAMPS = 255;
const COMMANDS = ['set', 'rcheck', 'update', 'remove'] as const;

type Draft = Mutable<Omit<RecentMatch, 'module' | 'command'>> & {
  command?: RecentMatch['command'];
};

function option(d: Draft, opt: string, arg: string | undefined, invert: boolean) {
  const cmd = COMMANDS.find((c) => c === opt);
  if (cmd) {
    if (d.command) return together('recent', opt, d.command);
    d.command = cmd;
    if (invert) d.invert = true;
  } else if (opt === 'seconds' || opt === 'hitcount') {
    const n = parseCUint(arg ?? '');
    if (n === undefined) return `recent: bad value for option "--${opt}", or out of range.`;
    d[opt] = n;
  } else if (opt === 'mask') {
    const m = parseIPv4U32(arg ?? '');
    if (m === undefined) return `host/network \`${arg}' not found`;
    d.mask = m;
  } else if (opt === 'name') d.name = arg ?? '';
  else if (opt === 'rsource' || opt === 'rdest') d.side = opt === 'rsource' ? 'source' : 'dest';
  else if (opt === 'reap' || opt === 'rttl') d[opt] = true;
  return undefined;
}

function finish(d: Draft, ctx: RuleContext): RecentMatch | string {
  if (!d.command) {
    return "recent: you must specify one of `--set', `--rcheck' `--update' or `--remove'";
  }
  if (d.reap && !d.seconds) return 'recent: option "--reap" also requires "--seconds".';
  // recent_mt_check refuses modifiers on --set/--remove and out-of-range values.
  const modifiers = d.seconds || d.hitcount || d.reap || d.rttl;
  if ((d.command === 'set' || d.command === 'remove') && modifiers) {
    return kernelRefused(
      ctx.chain,
      `recent --${d.command} takes no --seconds, --hitcount, --reap or --rttl`,
    );
  }
  if (d.hitcount > 255) return kernelRefused(ctx.chain, 'recent --hitcount is at most 255');
  if (d.name === '' || d.name.length >= 200) {
    return kernelRefused(ctx.chain, 'recent --name must be 1 to 199 characters');
  }
  return { module: 'recent', ...d, command: d.command };
}

function describe(m: RecentMatch, dash: string): string {
  let out = m.invert ? ' !' : '';
  out += dash
    ? ` --${m.command}`
    : ` recent: ${m.command === 'rcheck' ? 'CHECK' : m.command.toUpperCase()}`;
  if (m.seconds) out += dash ? ` --seconds ${m.seconds}` : ` seconds: ${m.seconds}`;
  if (m.reap) out += dash ? ' --reap' : ' reap';
  if (m.hitcount) out += dash ? ` --hitcount ${m.hitcount}` : ` hit_count: ${m.hitcount}`;
  if (m.rttl) out += dash ? ' --rttl' : ' TTL-Match';
  if (!dash) return `${out} name: ${m.name} side: ${m.side} mask: ${u32ToIp(m.mask)}`;
  return `${out} --name ${m.name} --mask ${u32ToIp(m.mask)} --${m.side === 'source' ? 'rsource' : 'rdest'}`;
}

function touch(
  list: Map<number, RecentEntry>,
  addr: number,
  e: RecentEntry,
  now: number,
  ttl: number,
) {
  list.delete(addr);
  list.set(addr, { stamps: [...e.stamps, now].slice(-MAX_STAMPS), ttl });
}

/** recent_mt: returns whether the match holds and updates the list through `ev`. */
function test(m: RecentMatch, ev: MatchEval): boolean {
  const { pkt, env } = ev;
  const addr = ((m.side === 'dest' ? pkt.dstU32 : pkt.srcU32) & m.mask) >>> 0;
  // "use TTL as seen before forwarding"
  const ttl = (pkt.ttl ?? 64) + (pkt.outIface !== undefined && ev.hook !== 'OUTPUT' ? 1 : 0);
  const now = env.nowUs;
  const list = new Map(ev.recentList(m.name));
  const found = list.get(addr);
  const e = found && (!m.rttl || found.ttl === ttl || found.ttl === 0) ? found : undefined;
  let ret = m.invert;
  if (!e) {
    if (m.command !== 'set') return ret;
    if (list.size >= LIST_TOT) list.delete(list.keys().next().value as number);
    list.set(addr, { stamps: [now], ttl });
    ev.setRecentList(m.name, list);
    return !ret;
  }
  if (m.command === 'set') ret = !ret;
  else if (m.command === 'remove') {
    list.delete(addr);
    ret = !ret;
  } else {
    const since = now - m.seconds * 1_000_000;
    let hits = 0;
    for (const stamp of e.stamps) {
      if (m.seconds && since > stamp) continue;
      if (!m.hitcount || ++hits >= m.hitcount) {
        ret = !ret;
        break;
      }
    }
    if (m.reap) reap(list, since, addr, m.command === 'update');
  }
  if (m.command === 'set' || (m.command === 'update' && ret)) touch(list, addr, e, now, ttl);
  ev.setRecentList(m.name, list);
  return ret;
}

/** recent_entry_reap: drop the least recently updated entry if it is older than the window. */
function reap(list: Map<number, RecentEntry>, since: number, working: number, update: boolean) {
  const [oldestAddr, oldest] = list.entries().next().value as [number, RecentEntry];
  if (oldestAddr === working && update) return;
  if (since > oldest.stamps[oldest.stamps.length - 1]) list.delete(oldestAddr);
}

export const recentMatch: MatchExt<Draft, RecentMatch> = {
  name: 'recent',
  options: {
    name: { args: 1, invert: false },
    set: { args: 0, invert: true },
    rcheck: { args: 0, invert: true },
    update: { args: 0, invert: true },
    remove: { args: 0, invert: true },
    seconds: { args: 1, invert: false },
    reap: { args: 0, invert: false },
    hitcount: { args: 1, invert: false },
    rttl: { args: 0, invert: false },
    rsource: { args: 0, invert: false },
    rdest: { args: 0, invert: false },
    mask: { args: 1, invert: false },
  },
  start: () => ({
    name: 'DEFAULT',
    side: 'source',
    mask: 0xffffffff,
    seconds: 0,
    hitcount: 0,
    reap: false,
    rttl: false,
    invert: false,
  }),
  option: (d, opt, args, invert) => option(d, opt, args[0], invert),
  finish,
  save: (m) => describe(m, '--'),
  list: (m) => describe(m, ''),
  test,
};

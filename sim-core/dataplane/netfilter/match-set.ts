/**
 * The set match (libxt_set.c, xt_set.c): membership of the packet's
 * addresses/ports in an ipset, each dimension taken from the source or the
 * destination ("dst,dst" is address and port of the destination). kube-proxy
 * in IPVS mode routes everything through these. The sets themselves live
 * outside netfilter: the evaluator asks NfEnv.ipsetContains.
 */
import type { MatchExt, Mutable, RuleContext } from './extension.ts';
import type { SetMatch } from './rule.ts';

const IPSET_DIM_MAX = 6;
const IPSET_MAXNAMELEN = 32;

type Draft = Partial<Mutable<Omit<SetMatch, 'module'>>> & { flags: Pick<SetMatch, FlagKey> };
type FlagKey = 'returnNomatch' | 'noUpdateCounters' | 'noUpdateSubcounters';

function parseDirs(arg: string): SetMatch['dirs'] | string {
  const parts = arg.split(',');
  if (parts.length > IPSET_DIM_MAX) return `Can't be more src/dst options than ${IPSET_DIM_MAX}.`;
  const dirs: ('src' | 'dst')[] = [];
  for (const p of parts) {
    // strncmp(ptr, "src", 3): only the first three letters are read.
    if (p.startsWith('src')) dirs.push('src');
    else if (p.startsWith('dst')) dirs.push('dst');
    else return "You must spefify (the comma separated list of) 'src' or 'dst'.";
  }
  return dirs;
}

function matchSet(d: Draft, args: readonly string[], invert: boolean, ctx: RuleContext) {
  if (d.name !== undefined) return '--match-set can be specified only once';
  const [name, dirArg] = args;
  if (name.length > IPSET_MAXNAMELEN - 1) {
    return `setname \`${name}' too long, max ${IPSET_MAXNAMELEN - 1} characters.`;
  }
  if (ctx.setExists && !ctx.setExists(name)) return `Set ${name} doesn't exist.`;
  const dirs = parseDirs(dirArg);
  if (typeof dirs === 'string') return dirs;
  d.name = name;
  d.dirs = dirs;
  d.invert = invert;
  return undefined;
}

function describe(m: SetMatch, dash: string): string {
  let out = `${m.invert ? ' !' : ''} ${dash}match-set ${m.name} ${m.dirs.join(',')}`;
  if (m.returnNomatch) out += ` ${dash}return-nomatch`;
  if (m.noUpdateCounters) out += ` ! ${dash}update-counters`;
  if (m.noUpdateSubcounters) out += ` ! ${dash}update-subcounters`;
  return out;
}

export const setMatch: MatchExt<Draft, SetMatch> = {
  name: 'set',
  options: {
    'match-set': { args: 2, invert: true },
    'return-nomatch': { args: 0, invert: false },
    'update-counters': { args: 0, invert: true },
    'update-subcounters': { args: 0, invert: true },
  },
  start: () => ({
    flags: { returnNomatch: false, noUpdateCounters: false, noUpdateSubcounters: false },
  }),
  option(d, opt, args, invert, ctx) {
    if (opt === 'match-set') return matchSet(d, args, invert, ctx);
    if (opt === 'return-nomatch') d.flags = { ...d.flags, returnNomatch: true };
    // Only the negated forms change anything: counting is the default.
    else if (invert && opt === 'update-counters') d.flags = { ...d.flags, noUpdateCounters: true };
    else if (invert) d.flags = { ...d.flags, noUpdateSubcounters: true };
    return undefined;
  },
  finish(d) {
    if (d.name === undefined || !d.dirs)
      return "You must specify `--match-set' with proper arguments";
    return { module: 'set', name: d.name, dirs: d.dirs, invert: d.invert ?? false, ...d.flags };
  },
  save: (m) => describe(m, '--'),
  list: (m) => describe(m, ''),
  test(m, { pkt, env }) {
    const key = {
      src: pkt.src,
      dst: pkt.dst,
      sport: pkt.sport,
      dport: pkt.dport,
      protocol: pkt.protocol,
    };
    const hit = env.ipsetContains?.(m.name, key, m.dirs) ?? false;
    return hit !== m.invert;
  },
};

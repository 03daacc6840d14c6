/**
 * The extensions this model knows, by the name -m / -j loads them under,
 * and the lookups printers and the evaluator use to reach a rule's own
 * extension. A name missing here is, for -m, "Couldn't load match" and,
 * for -j, a chain name.
 */
import type { MatchExt, TargetExt } from './extension.ts';
import { addrtypeMatch } from './match-addrtype.ts';
import { commentMatch } from './match-comment.ts';
import { ctstateMatch, stateMatch } from './match-ctstate.ts';
import { icmpMatch } from './match-icmp.ts';
import { ipvsMatch } from './match-ipvs.ts';
import { markMatch } from './match-mark.ts';
import { multiportMatch } from './match-multiport.ts';
import { physdevMatch } from './match-physdev.ts';
import { recentMatch } from './match-recent.ts';
import { setMatch } from './match-set.ts';
import { statisticMatch } from './match-statistic.ts';
import { sctpMatch, tcpMatch, udpMatch } from './match-tcp.ts';
import type { MatchModule, NfMatch, NfTarget, TargetKind } from './rule.ts';
import { ctTargetExt, notrackTarget } from './target-ct.ts';
import { logTarget } from './target-log.ts';
import { markTarget } from './target-mark.ts';
import { dnatTarget, masqueradeTarget, snatTarget } from './target-nat.ts';
import { rejectTarget } from './target-reject.ts';

type AnyMatchExt = MatchExt<unknown, NfMatch>;
type AnyTargetExt = TargetExt<unknown, NfTarget>;

const BY_MODULE: Readonly<Record<MatchModule, AnyMatchExt>> = {
  tcp: tcpMatch as AnyMatchExt,
  udp: udpMatch as AnyMatchExt,
  sctp: sctpMatch as AnyMatchExt,
  icmp: icmpMatch as AnyMatchExt,
  multiport: multiportMatch as AnyMatchExt,
  comment: commentMatch as AnyMatchExt,
  addrtype: addrtypeMatch as AnyMatchExt,
  statistic: statisticMatch as AnyMatchExt,
  mark: markMatch as AnyMatchExt,
  conntrack: ctstateMatch as AnyMatchExt,
  state: stateMatch as AnyMatchExt,
  recent: recentMatch as AnyMatchExt,
  set: setMatch as AnyMatchExt,
  physdev: physdevMatch as AnyMatchExt,
  ipvs: ipvsMatch as AnyMatchExt,
};

/** -m NAME */
export function findMatch(name: string): AnyMatchExt | undefined {
  return Object.hasOwn(BY_MODULE, name) ? BY_MODULE[name as MatchModule] : undefined;
}

/** The match an implicit "-p PROTO" loads when an option needs it (load_proto). */
export function protocolMatch(proto: number): AnyMatchExt | undefined {
  const byProto: Record<number, MatchModule> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 132: 'sctp' };
  return byProto[proto] ? BY_MODULE[byProto[proto]] : undefined;
}

export function matchExt(m: NfMatch): AnyMatchExt {
  return BY_MODULE[m.module];
}

const TARGETS: Readonly<Record<string, AnyTargetExt>> = {
  REJECT: rejectTarget as AnyTargetExt,
  DNAT: dnatTarget as AnyTargetExt,
  SNAT: snatTarget as AnyTargetExt,
  MASQUERADE: masqueradeTarget as AnyTargetExt,
  MARK: markTarget as AnyTargetExt,
  CT: ctTargetExt as AnyTargetExt,
  NOTRACK: notrackTarget as AnyTargetExt,
  LOG: logTarget as AnyTargetExt,
};

/** Verdicts built into the kernel: no options, no extension. */
export const STANDARD_TARGETS = ['ACCEPT', 'DROP', 'RETURN'] as const;

/** -j NAME, for names that are targets rather than chains. */
export function findTarget(name: string): AnyTargetExt | undefined {
  return Object.hasOwn(TARGETS, name) ? TARGETS[name] : undefined;
}

export function isTargetName(name: string): boolean {
  return (STANDARD_TARGETS as readonly string[]).includes(name) || findTarget(name) !== undefined;
}

/** The extension behind a rule's target, or undefined for verdicts, jumps and "no target". */
export function targetExt(t: NfTarget): AnyTargetExt | undefined {
  const kinds: Partial<Record<TargetKind, AnyTargetExt>> = {
    REJECT: TARGETS.REJECT,
    DNAT: TARGETS.DNAT,
    SNAT: TARGETS.SNAT,
    MASQUERADE: TARGETS.MASQUERADE,
    MARK: TARGETS.MARK,
    CT: TARGETS.CT,
    LOG: TARGETS.LOG,
  };
  return kinds[t.kind];
}

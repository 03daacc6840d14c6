/**
 * The commands an iptables-restore line can carry (the -A/-I/-D/-N/-X/-F/-P/-Z
 * subset of iptables' own), as parse-command produces them and commit
 * applies them.
 */
import type { Counter } from './ruleset.ts';
import type { NfRule } from './rule.ts';

/** Where a rule's -j/-g names a chain, so commit can say "Chain 'X' does not exist" at that spot. */
export interface ChainRef {
  readonly chain: string;
  readonly column: number;
}

interface RuleCommandBase {
  readonly chain: string;
  readonly chainColumn: number;
  /** One rule per source × destination address (-s a,b expands like iptables does). */
  readonly rules: readonly NfRule[];
  readonly jump?: ChainRef;
  /** From "[p:b]" or -c, applied only when restoring with counters. */
  readonly counters?: Counter;
}

export type Command =
  | ({ readonly op: 'append' } & RuleCommandBase)
  | ({ readonly op: 'insert'; readonly index: number } & RuleCommandBase)
  | ({ readonly op: 'delete' } & RuleCommandBase)
  | ({ readonly op: 'delete-num'; readonly chain: string; readonly index: number } & At)
  | ({ readonly op: 'new-chain'; readonly chain: string } & At)
  | ({ readonly op: 'delete-chain'; readonly chain?: string } & At)
  | ({ readonly op: 'flush'; readonly chain?: string } & At)
  | ({ readonly op: 'zero'; readonly chain?: string } & At)
  | ({ readonly op: 'policy'; readonly chain: string; readonly policy: string } & At);

/** Column of the command's chain argument (of the command itself when it has none). */
interface At {
  readonly chainColumn: number;
}

export type CommandOp = Command['op'];

/** A located problem in one line: 1-based column and iptables' wording. */
export interface LineError {
  readonly column: number;
  readonly message: string;
}

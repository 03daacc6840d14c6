/**
 * The rules a packet was tested against in one table, rebuilt from the rules it matched
 * (the `hits` of an nf.nat / nf.table fact, in order) and the table's chains, the way the
 * kernel's ipt_do_table walks them: every rule of a chain is tested in turn until one
 * matches; a jump enters the target chain and comes back after it, a goto does not come
 * back, RETURN (or the end of a user chain) goes back to the caller, the end of a built-in
 * chain is its policy; MARK, LOG, CT and a rule without target go on to the next rule,
 * and ACCEPT, DROP, REJECT and the NAT targets end the walk. A rule tested and not matched
 * is "missed"; one matched is "matched".
 */
import type { NfChain, NfRule } from '@kubewire/sim-core';

export interface WalkHit {
  readonly chain: string;
  /** 1-based. */
  readonly rule: number;
}

export type RuleFate = 'matched' | 'missed';

export interface TableWalk {
  /** Chain → rule number (1-based) → fate; a chain absent was not entered. */
  readonly fates: ReadonlyMap<string, ReadonlyMap<number, RuleFate>>;
  /** Rules tested in all: matched and missed. */
  readonly tested: number;
  /** Chains entered, in order of entry. */
  readonly entered: readonly string[];
}

const GOES_ON = new Set(['none', 'MARK', 'LOG', 'CT']);

/** The walk from built-in chain `hook` that matched `hits`. */
export function walkTable(
  hook: string,
  hits: readonly WalkHit[],
  chainOf: (name: string) => NfChain | undefined,
): TableWalk {
  const fates = new Map<string, Map<number, RuleFate>>();
  const entered: string[] = [];
  let tested = 0;
  const fateOf = (chain: string) => {
    let m = fates.get(chain);
    if (!m) {
      fates.set(chain, (m = new Map()));
      entered.push(chain);
    }
    return m;
  };
  const miss = (chain: string, from: number, to: number) => {
    const m = fateOf(chain);
    for (let r = from; r <= to; r++) {
      m.set(r, 'missed');
      tested++;
    }
  };
  const length = (chain: string) => chainOf(chain)?.rules.length ?? 0;
  const stack: { chain: string; pos: number }[] = [];
  let cur: { chain: string; pos: number } | undefined = { chain: hook, pos: 1 };
  fateOf(hook);
  let ended = false;
  for (const h of hits) {
    while (cur && cur.chain !== h.chain) {
      miss(cur.chain, cur.pos, length(cur.chain)); // fell off its end
      cur = stack.pop();
    }
    if (!cur) break;
    miss(cur.chain, cur.pos, h.rule - 1);
    fateOf(cur.chain).set(h.rule, 'matched');
    tested++;
    const rule: NfRule | undefined = chainOf(cur.chain)?.rules[h.rule - 1];
    const target: NfRule['target'] | undefined = rule?.target;
    if (!target) break;
    if (target.kind === 'jump') {
      stack.push({ chain: cur.chain, pos: h.rule + 1 });
      cur = { chain: target.chain, pos: 1 };
      fateOf(target.chain);
    } else if (target.kind === 'goto') {
      cur = { chain: target.chain, pos: 1 };
      fateOf(target.chain);
    } else if (target.kind === 'RETURN') {
      cur = stack.pop();
      if (!cur) {
        ended = true; // RETURN in a built-in chain: its policy
        break;
      }
    } else if (GOES_ON.has(target.kind)) {
      cur.pos = h.rule + 1;
    } else {
      ended = true;
      break;
    }
  }
  if (!ended) {
    while (cur) {
      miss(cur.chain, cur.pos, length(cur.chain));
      cur = stack.pop();
    }
  }
  return { fates, tested, entered };
}

/**
 * The end of a command line: every loaded extension's final check, the
 * checks iptables and the kernel make on the whole rule (-i in OUTPUT, DROP
 * in nat, a target in a table or hook it does not serve), and the rules
 * themselves, one per -s × -d address pair.
 */
import type { Command } from './command.ts';
import { kernelRefused } from './extension.ts';
import { fail, ruleContext, type AddrList, type ParseState } from './parse-state.ts';
import type { AddrMatch, NfMatch, NfRule, NfTarget } from './rule.ts';
import { isBuiltinChain, NO_IN_IFACE, NO_OUT_IFACE } from './tables.ts';

const RULE_OPS = ['append', 'insert', 'delete'];

export function finishCommand(st: ParseState): Command {
  const op = st.op;
  if (!op) fail(1, 'no command specified');
  const chain = op.chain ?? '';
  if (!RULE_OPS.includes(op.op)) {
    if (st.ruleOption)
      fail(st.ruleOption, `Illegal option \`${st.ruleOption.text}' with this command`);
    return simpleCommand(op.op, op.chainColumn, op.chain, op.index, op.policy);
  }
  checkInterfaces(st, chain);
  const matches = finishMatches(st);
  const target = finishTarget(st);
  if (st.table === 'nat' && target.kind === 'DROP') {
    fail(
      st.target?.column ?? 1,
      'The "nat" table is not intended for filtering, the use of DROP is therefore inhibited.',
    );
  }
  const rules = expand(st, matches, target);
  const jump =
    target.kind === 'jump' || target.kind === 'goto'
      ? { chain: target.chain, column: st.target?.column ?? 1 }
      : undefined;
  const base = {
    chain,
    chainColumn: op.chainColumn,
    rules,
    ...(jump ? { jump } : {}),
    ...(st.counters ? { counters: st.counters } : {}),
  };
  if (op.op === 'insert') return { op: 'insert', index: op.index ?? 1, ...base };
  return { op: op.op === 'append' ? 'append' : 'delete', ...base };
}

function simpleCommand(
  op: string,
  chainColumn: number,
  chain?: string,
  index?: number,
  policy?: string,
): Command {
  if (op === 'delete-num') return { op, chain: chain ?? '', chainColumn, index: index ?? 1 };
  if (op === 'new-chain') return { op, chain: chain ?? '', chainColumn };
  if (op === 'policy') return { op, chain: chain ?? '', chainColumn, policy: policy ?? '' };
  const maybe = { chainColumn, ...(chain !== undefined ? { chain } : {}) };
  if (op === 'delete-chain') return { op, ...maybe };
  if (op === 'zero') return { op, ...maybe };
  return { op: 'flush', ...maybe };
}

function checkInterfaces(st: ParseState, chain: string): void {
  if (!isBuiltinChain(st.table, chain)) return;
  const { i, o } = st.ifaceColumns;
  if (st.inIface && NO_IN_IFACE.includes(chain)) fail(i ?? 1, `Can't use -i with ${chain}`);
  if (st.outIface && NO_OUT_IFACE.includes(chain)) fail(o ?? 1, `Can't use -o with ${chain}`);
}

function finishMatches(st: ParseState): NfMatch[] {
  const ctx = ruleContext(st);
  return st.loaded
    .filter((l) => l.kind === 'match')
    .map((l) => {
      const m = l.ext.finish(l.draft, ctx);
      if (typeof m === 'string') fail(l.column, m);
      return m as NfMatch;
    });
}

function finishTarget(st: ParseState): NfTarget {
  const t = st.target;
  if (!t) return { kind: 'none' };
  if (t.name === 'ACCEPT' || t.name === 'DROP' || t.name === 'RETURN') return { kind: t.name };
  const { ext, loaded } = t;
  if (!ext || !loaded) return { kind: t.goto ? 'goto' : 'jump', chain: t.name };
  const ctx = ruleContext(st);
  const result = ext.finish(loaded.draft, ctx);
  if (typeof result === 'string') fail(t.column, result);
  if (ext.tables && !ext.tables.includes(st.table)) {
    fail(
      t.column,
      kernelRefused(ctx.chain, `${t.name} is only valid in the ${ext.tables.join('/')} table`),
    );
  }
  if (ext.hooks && ctx.builtin && !ext.hooks.includes(ctx.chain)) {
    fail(t.column, kernelRefused(ctx.chain, `${t.name} is only valid in ${ext.hooks.join(', ')}`));
  }
  return result;
}

function selectors(st: ParseState, list: AddrList | undefined): (AddrMatch | undefined)[] {
  if (!list) return [undefined];
  if (list.mask === 0 && !list.invert) return [undefined];
  // nft compares zero bytes for a /0 and the kernel refuses the negated compare.
  if (list.mask === 0)
    fail(
      st.ruleOption?.column ?? 1,
      kernelRefused(st.op?.chain ?? '', '"! 0.0.0.0/0" never matches'),
    );
  return list.addrs.map((addr) => ({ addr, mask: list.mask, invert: list.invert }));
}

function expand(st: ParseState, matches: readonly NfMatch[], target: NfTarget): NfRule[] {
  const rules: NfRule[] = [];
  for (const src of selectors(st, st.src)) {
    for (const dst of selectors(st, st.dst)) {
      // One hidden class for every rule (absent fields undefined, same order): the evaluator's
      // property loads stay monomorphic.
      rules.push({
        src,
        dst,
        inIface: st.inIface || undefined,
        outIface: st.outIface || undefined,
        protocol: st.proto && st.proto.proto !== 0 ? st.proto : undefined,
        fragment: st.fragment || undefined,
        matches,
        target,
      });
    }
  }
  return rules;
}

/**
 * COMMIT: the checks the kernel makes on a whole nf_tables transaction, then
 * the frozen table. Jumps must name existing user chains; chains may nest at
 * most 16 deep counting from the built-in (NFT_JUMP_STACK_SIZE, so a loop is
 * refused as "Too many links"); and a target limited to some hooks (DNAT to
 * PREROUTING/OUTPUT, ...) must not be reachable from any other.
 */
import { findTarget } from './extensions.ts';
import { pvecFrom } from './pvec.ts';
import { canonicalChainOrder, makeChain, type NfTable } from './ruleset.ts';
import type { WorkChain, WorkTable } from './table-builder.ts';
import { BUILTIN_CHAINS, isBuiltinChain } from './tables.ts';

export interface CommitError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

const MAX_DEPTH = 16;

function jumpTarget(c: WorkChain, i: number): string | undefined {
  const t = c.rules[i].target;
  return t.kind === 'jump' || t.kind === 'goto' ? t.chain : undefined;
}

function checkJumps(t: WorkTable, errors: CommitError[]): void {
  for (const c of t.chains.values()) {
    c.rules.forEach((_, i) => {
      const to = jumpTarget(c, i);
      if (to === undefined || (t.chains.has(to) && !isBuiltinChain(t.name, to))) return;
      const origin = c.origins[i];
      const gone = t.deleted.get(to);
      // A chain deleted while this rule still jumped to it: the -X is what fails.
      if (gone && (!origin || origin.line < gone.line)) {
        errors.push({
          ...gone,
          message: `CHAIN_DEL failed (Device or resource busy): chain ${to}`,
        });
      } else if (origin?.jump) {
        const message = isBuiltinChain(t.name, to)
          ? `RULE_APPEND failed (Operation not supported): rule in chain ${c.name}: cannot jump to built-in chain ${to}`
          : `Chain '${to}' does not exist`;
        errors.push({ line: origin.line, column: origin.jump.column, message });
      }
    });
  }
}

/** Deepest level each chain is reached at (capped at MAX_DEPTH), and the hooks reaching it. */
function reach(t: WorkTable): { depth: Map<string, number>; hooks: Map<string, Set<string>> } {
  const depth = new Map<string, number>();
  const hooks = new Map<string, Set<string>>();
  const visit = (name: string, level: number, hook: string): void => {
    const c = t.chains.get(name);
    const seen = hooks.get(name) ?? new Set<string>();
    if (!c || ((depth.get(name) ?? -1) >= level && seen.has(hook))) return;
    depth.set(name, Math.max(depth.get(name) ?? -1, level));
    hooks.set(name, seen.add(hook));
    if (level >= MAX_DEPTH) return;
    c.rules.forEach((_, i) => {
      const to = jumpTarget(c, i);
      if (to !== undefined && !isBuiltinChain(t.name, to)) visit(to, level + 1, hook);
    });
  };
  for (const b of BUILTIN_CHAINS[t.name]) visit(b, 0, b);
  return { depth, hooks };
}

function checkReach(t: WorkTable, errors: CommitError[]): void {
  const { depth, hooks } = reach(t);
  for (const c of t.chains.values()) {
    const level = depth.get(c.name) ?? 0;
    c.rules.forEach((rule, i) => {
      const line = c.origins[i]?.line ?? t.line;
      const to = jumpTarget(c, i);
      if (level >= MAX_DEPTH || (to !== undefined && level + 1 >= MAX_DEPTH)) {
        const message = `RULE_APPEND failed (Too many links): rule in chain ${c.name}: chains nest more than ${MAX_DEPTH - 1} jumps deep (a loop?)`;
        errors.push({ line, column: 1, message });
        return;
      }
      const ext = rule.target.kind === 'none' ? undefined : findTarget(rule.target.kind);
      const bad =
        ext?.hooks && [...(hooks.get(c.name) ?? [])].filter((h) => !ext.hooks?.includes(h));
      if (bad && bad.length > 0) {
        const message = `RULE_APPEND failed (Invalid argument): rule in chain ${c.name}: ${rule.target.kind} is reached from ${bad.join(', ')} but only valid in ${ext.hooks?.join(', ')}`;
        errors.push({ line, column: 1, message });
      }
    });
  }
}

/** Validate a restored table and freeze it; unchanged chains are shared with `current`. */
export function commitTable(
  t: WorkTable,
  current: NfTable | undefined,
): { table: NfTable; errors: CommitError[] } {
  const errors: CommitError[] = [];
  checkJumps(t, errors);
  checkReach(t, errors);
  const order = canonicalChainOrder(t.name, [...t.chains.keys()]);
  const chains = order.map((n) => {
    const w = t.chains.get(n)!;
    return (
      w.unchanged ??
      makeChain({
        name: w.name,
        ...(w.policy ? { policy: w.policy } : {}),
        rules: w.rules,
        counters: w.counters,
        policyCounter: w.policyCounter,
      })
    );
  });
  const same =
    current !== undefined &&
    chains.length === current.chainIndex.size &&
    order.every((n, i) => current.chainIndex.get(n) === i && t.chains.get(n)?.unchanged);
  const table = same
    ? current
    : { name: t.name, chains: pvecFrom(chains), chainIndex: new Map(order.map((n, i) => [n, i])) };
  return { table, errors };
}

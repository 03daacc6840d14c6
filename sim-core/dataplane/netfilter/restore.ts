/**
 * iptables-restore (iptables/xtables-restore.c, nf_tables flavour): "*table"
 * starts a block, ":CHAIN POLICY [p:b]" declares a chain, other lines are
 * iptables commands, COMMIT ends the block. Unlike iptables-restore, which
 * stops at the first failure, every error is collected, each located at the
 * 1-based line and column of the offending token. Never throws.
 */
import { parseCommand } from './parse-command.ts';
import type { ParseOptions } from './parse-state.ts';
import { commitTable, type CommitError } from './commit.ts';
import { EMPTY_NETFILTER, type Counter, type NetfilterState, type NfTable } from './ruleset.ts';
import { applyCommand, declareChain, startTable, type WorkTable } from './table-builder.ts';
import { chainNameProblem, isBuiltinChain, isTableName, type TableName } from './tables.ts';
import { isTargetName } from './extensions.ts';
import { tokenize } from './tokenize.ts';

export type RestoreError = CommitError;

export interface RestoreOptions extends ParseOptions {
  /** iptables-restore --noflush: edit the tables of `base` instead of replacing them. */
  readonly noflush?: boolean;
  /** iptables-restore --counters: take "[p:b]" on chains and rules instead of zero. */
  readonly counters?: boolean;
  /** The state being restored into (its tables survive unless named in the input). */
  readonly base?: NetfilterState;
}

export type RestoreResult =
  | { readonly ok: true; readonly ruleset: NetfilterState }
  | { readonly ok: false; readonly errors: readonly RestoreError[] };

/** How iptables-restore reports a failed line, for a terminal-like view. */
export function describeRestoreError(e: RestoreError): string {
  return `iptables-restore: line ${e.line} failed: ${e.message}`;
}

interface Run {
  readonly opts: RestoreOptions;
  readonly base: NetfilterState;
  readonly errors: RestoreError[];
  readonly done: Partial<Record<TableName, NfTable>>;
  table?: WorkTable;
  /** After a bad "*table" line: its block is skipped up to its COMMIT. */
  skipping?: boolean;
}

export function parseIptablesRestore(text: string, opts: RestoreOptions = {}): RestoreResult {
  const base = opts.base ?? EMPTY_NETFILTER;
  const run: Run = { opts, base, errors: [], done: {} };
  const lines = text.split('\n');
  lines.forEach((raw, i) => readLine(run, raw.replace(/\r$/, ''), i + 1));
  if (run.table) {
    const line = lines[lines.length - 1] === '' ? lines.length : lines.length + 1;
    run.errors.push({ line, column: 1, message: 'COMMIT expected' });
  }
  if (run.errors.length > 0) {
    const errors = [...run.errors].sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, errors };
  }
  const tables = { ...base.tables, ...run.done };
  const touched = Object.keys(run.done);
  // statistic nth counters belong to rules; rules of replaced tables are new rules.
  const nth = new Map(
    [...base.nth].filter(([k]) => opts.noflush || !touched.includes(k.split('/')[0])),
  );
  return { ok: true, ruleset: { ...base, tables, nth } };
}

function readLine(run: Run, line: string, n: number): void {
  const err: Err = (column, message) => void run.errors.push({ line: n, column, message });
  if (line.trim() === '' || line.startsWith('#')) return;
  if (run.skipping) {
    run.skipping = !/^COMMIT\s*$/.test(line);
    return;
  }
  if (/^COMMIT\s*$/.test(line)) {
    if (run.table) commit(run);
    else err(1, 'COMMIT without a table: expected "*filter", "*nat", "*mangle" or "*raw" first');
    return;
  }
  if (line.startsWith('*')) return startBlock(run, line, n, err);
  if (!run.table)
    return err(1, 'line outside a table: expected "*filter", "*nat", "*mangle" or "*raw" first');
  if (line.startsWith(':')) return chainLine(run, run.table, line, err);
  commandLine(run, run.table, line, n, err);
}

type Err = (column: number, message: string) => void;

function startBlock(run: Run, line: string, n: number, err: Err): void {
  if (run.table) return err(1, `COMMIT expected before a new table (${line.trim()})`);
  const name = line.slice(1).trim().split(/\s+/)[0] ?? '';
  if (name === '' || !isTableName(name)) {
    run.skipping = true;
    if (name === '') return err(2, 'table name invalid');
    const why = name === 'security' ? ': the security table is not modelled' : '';
    return err(2, `table name '${name}' invalid${why}`);
  }
  const current = run.opts.noflush ? (run.done[name] ?? run.base.tables[name]) : undefined;
  run.table = startTable(name, n, current);
}

function chainLine(run: Run, t: WorkTable, line: string, err: Err): void {
  const tok = tokenize(line.slice(1), 2);
  if (!tok.ok) return err(tok.column, tok.message);
  const [chain, policy, counters] = tok.tokens;
  if (!chain) return err(2, 'chain name invalid');
  const bad = chainNameProblem(chain.text, isTargetName);
  if (bad && !isBuiltinChain(t.name, chain.text)) return err(chain.column, bad);
  if (!policy) return err(chain.column + chain.text.length, 'policy invalid');
  let counter: Counter | undefined;
  if (run.opts.counters) {
    const m = counters && /^\[(\d+):(\d+)\]$/.exec(counters.text);
    if (!m) return err(counters?.column ?? 1, `invalid policy counters for chain '${chain.text}'`);
    counter = { packets: Number(m[1]), bytes: Number(m[2]) };
  }
  if (!isBuiltinChain(t.name, chain.text)) return declareChain(t, chain.text, undefined);
  if (policy.text !== 'ACCEPT' && policy.text !== 'DROP')
    return err(policy.column, 'Bad policy name.');
  if (t.name === 'nat' && policy.text === 'DROP') {
    return err(
      policy.column,
      'The "nat" table is not intended for filtering, the use of DROP is therefore inhibited.',
    );
  }
  declareChain(t, chain.text, policy.text, counter);
}

function commandLine(run: Run, t: WorkTable, line: string, n: number, err: Err): void {
  let rest = line;
  let column = 1;
  let counters: Counter | undefined;
  // tokenize_rule_counters: a leading "[packets:bytes]" (what iptables-save -c writes).
  const m = /^\[(\d+):(\d+)\]/.exec(line);
  if (line.startsWith('[')) {
    if (!m) return err(1, `Bad line ${n}: need ]`);
    counters = { packets: Number(m[1]), bytes: Number(m[2]) };
    rest = line.slice(m[0].length);
    column = m[0].length + 1;
  }
  const tok = tokenize(rest, column);
  if (!tok.ok) return err(tok.column, tok.message);
  const parsed = parseCommand(tok.tokens, t.name, run.opts);
  if (!parsed.ok) return err(parsed.column, parsed.message);
  const cmd =
    counters && 'rules' in parsed.command ? { ...parsed.command, counters } : parsed.command;
  const failed = applyCommand(t, cmd, n, run.opts.counters ?? false);
  if (failed) err(cmd.chainColumn, failed);
}

function commit(run: Run): void {
  const t = run.table!;
  const current = run.opts.noflush ? (run.done[t.name] ?? run.base.tables[t.name]) : undefined;
  const { table, errors } = commitTable(t, current);
  run.errors.push(...errors);
  run.done[t.name] = table;
  run.table = undefined;
}

/**
 * iptables -t TABLE -L [-v] [-n] [-x] [--line-numbers], column for column as
 * iptables 1.8.9 prints it (print_header, print_rule_details, print_ifaces,
 * print_ipv4_addresses in iptables/xshared.c; xtables_print_num in
 * libxtables). The nft backend prints the protocol column as a number under
 * -n ("0", "6"). Addresses are always numeric here: without -n the real tool
 * would try reverse DNS, which the simulation has none of.
 */
import { matchExt, targetExt } from './extensions.ts';
import { pvecGet } from './pvec.ts';
import {
  makeTable,
  tableChains,
  type Counter,
  type NetfilterState,
  type NfChain,
  type NfTable,
} from './ruleset.ts';
import type { AddrMatch, IfaceMatch, NfRule } from './rule.ts';
import { protocolName } from './protocols.ts';
import type { TableName } from './tables.ts';
import { maskToPrefix, u32ToIp } from './values.ts';

export interface ListOptions {
  /** -v: counters and interfaces. */
  readonly verbose?: boolean;
  /** -n: numbers instead of names. */
  readonly numeric?: boolean;
  /** -x: exact counts instead of 12K, 3M. */
  readonly exact?: boolean;
  /** --line-numbers */
  readonly lineNumbers?: boolean;
}

const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

/** xtables_print_num: "%8llu " with -x, else up to 99999 then K, M, G, T rounded to nearest. */
export function formatCount(n: number, exact: boolean, inTable = true): string {
  if (exact) return inTable ? `${lpad(String(n), 8)} ` : `${n} `;
  if (n <= 99999) return inTable ? `${lpad(String(n), 5)} ` : `${n} `;
  let v = n;
  for (const unit of ['K', 'M', 'G']) {
    v = Math.floor((v + 500) / 1000);
    if (v <= 9999) return inTable ? `${lpad(String(v), 4)}${unit} ` : `${v}${unit} `;
  }
  v = Math.floor((v + 500) / 1000);
  return inTable ? `${lpad(String(v), 4)}T ` : `${v}T `;
}

function header(c: NfChain, refs: number, o: ListOptions): string {
  let head = `Chain ${c.name}`;
  if (c.policy) {
    const k = c.policyCounter;
    const counts = o.verbose
      ? ` ${formatCount(k.packets, !!o.exact, false)}packets, ${formatCount(k.bytes, !!o.exact, false)}bytes`
      : '';
    head += ` (policy ${c.policy}${counts})`;
  } else head += ` (${refs} references)`;
  let cols = o.lineNumbers ? `${pad('num', 4)} ` : '';
  if (o.verbose)
    cols += o.exact
      ? `${lpad('pkts', 8)} ${lpad('bytes', 10)} `
      : `${lpad('pkts', 5)} ${lpad('bytes', 5)} `;
  cols += `${pad('target', 9)}  prot opt`;
  if (o.verbose) cols += ` ${pad('in', 6)} ${pad('out', 6)} `;
  cols += ` ${pad('source', 19)}  ${pad('destination', 19)} `;
  return `${head}\n${cols}\n`;
}

function addr(a: AddrMatch | undefined, numeric: boolean): string {
  if (!a || a.mask === 0) return numeric ? '0.0.0.0/0' : 'anywhere';
  const len = maskToPrefix(a.mask);
  const suffix = len === 32 ? '' : len >= 0 ? `/${len}` : `/${u32ToIp(a.mask)}`;
  return u32ToIp(a.addr) + suffix;
}

function ifaceText(i: IfaceMatch | undefined, numeric: boolean): string {
  return i ? `${i.invert ? '!' : ''}${i.name}` : numeric ? '*' : 'any';
}

function targetName(rule: NfRule): string {
  const t = rule.target;
  if (t.kind === 'jump' || t.kind === 'goto') return t.chain;
  if (t.kind === 'none') return '';
  const ext = targetExt(t);
  return ext ? (ext.listName?.(t) ?? ext.name) : t.kind;
}

/** One rule line of iptables -L, without the trailing newline. */
export function listRule(rule: NfRule, counter: Counter, num: number, o: ListOptions): string {
  const numeric = !!o.numeric;
  let out = o.lineNumbers ? `${pad(String(num), 4)} ` : '';
  if (o.verbose)
    out += formatCount(counter.packets, !!o.exact) + formatCount(counter.bytes, !!o.exact);
  out += `${pad(targetName(rule), 9)} ${rule.protocol?.invert ? '!' : ' '}`;
  const proto = rule.protocol?.proto ?? 0;
  out += `${pad(numeric ? String(proto) : (protocolName(proto) ?? String(proto)), 4)} `;
  out += rule.fragment ? `${rule.fragment.invert ? '!' : '-'}f ` : '-- ';
  if (o.verbose) {
    out += ` ${pad(ifaceText(rule.inIface, numeric), 6)} ${pad(ifaceText(rule.outIface, numeric), 6)} `;
  }
  out += `${rule.src?.invert ? '!' : ' '}${pad(addr(rule.src, numeric), 19)} `;
  out += `${rule.dst?.invert ? '!' : ' '}${pad(addr(rule.dst, numeric), 19)} `;
  if (rule.target.kind === 'goto') out += '[goto] ';
  for (const m of rule.matches) out += matchExt(m).list(m, numeric);
  const ext = targetExt(rule.target);
  if (ext) out += ext.list(rule.target, numeric);
  return out;
}

/** How many rules of the table jump or go to each chain (the "(N references)" of -L). */
export function chainReferences(table: NfTable): Map<string, number> {
  const refs = new Map<string, number>();
  for (const c of tableChains(table)) {
    for (const r of c.rules) {
      if (r.target.kind === 'jump' || r.target.kind === 'goto') {
        refs.set(r.target.chain, (refs.get(r.target.chain) ?? 0) + 1);
      }
    }
  }
  return refs;
}

export function iptablesList(state: NetfilterState, table: TableName, o: ListOptions = {}): string {
  // Listing a table nobody created shows its empty built-ins, as iptables-nft does.
  const t = state.tables[table] ?? makeTable(table, []);
  const refs = chainReferences(t);
  return tableChains(t)
    .map((c) => {
      const rules = c.rules.map((r, i) => `${listRule(r, pvecGet(c.counters, i), i + 1, o)}\n`);
      return header(c, refs.get(c.name) ?? 0, o) + rules.join('');
    })
    .join('\n');
}

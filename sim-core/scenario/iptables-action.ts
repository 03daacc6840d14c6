/**
 * The `iptables` action: `{node, args}`, one iptables command run by hand on
 * a node, as `iptables ARGS` would be — `-t TABLE` (filter by default) and
 * one of -A, -I, -D, -R… the subset iptables-restore takes. The syntax is
 * checked where it is written; whether its chain or rule exists is the
 * node's state when it runs, so that is the step's to say, in iptables' words.
 */
import { parseIptablesRestore } from '../dataplane/netfilter/index.ts';
import type { Fields } from './fields.ts';
import { didYouMean } from './suggest.ts';
import type { Action, SourcePos } from './types.ts';

export const IPTABLES_FIELDS = ['node', 'args'] as const;

const TABLES = ['filter', 'nat', 'mangle', 'raw'] as const;

/** iptables' own answers about the node's state: decided when the command runs, not at load. */
export const STATE_ERRORS = new Set([
  'No chain/target/match by that name.',
  'Index of deletion too big.',
  'Bad rule (does a matching rule exist in that chain?).',
  'Chain already exists.',
]);

export interface IptablesCommand {
  readonly table: (typeof TABLES)[number];
  /** The command without its -t: one iptables-restore line. */
  readonly line: string;
}

/** `-t nat -D KUBE-SERVICES 1` → table nat, line `-D KUBE-SERVICES 1`; or why not. */
export function splitTable(args: string): IptablesCommand | string {
  const words = args.trim().split(/\s+/);
  let table: string = 'filter';
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '-t' || w === '--table') {
      const t = words[++i];
      if (t === undefined) return `option "${w}" requires an argument`;
      table = t;
    } else if (w.startsWith('--table=')) table = w.slice('--table='.length);
    else rest.push(w);
  }
  if (!(TABLES as readonly string[]).includes(table))
    return `can't initialize iptables table \`${table}': Table does not exist${didYouMean(table, [...TABLES])}`;
  if (
    rest.length === 0 ||
    !/^-[AIDRFNXPZ]$|^--(append|insert|delete|replace|flush|new-chain|delete-chain|policy|zero)$/.test(
      rest[0],
    )
  )
    return 'args start with a command: -A, -I, -D, -R, -F, -N, -X, -P or -Z (and an optional -t TABLE), like "-t nat -D KUBE-SERVICES 1"';
  return { table: table as IptablesCommand['table'], line: rest.join(' ') };
}

export function readIptablesAction(
  body: Fields,
  pos: SourcePos,
  nodes: ReadonlySet<string> | undefined,
): Action | undefined {
  const { ctx } = body;
  const node = body.str('node', 'iptables needs node: the node whose tables change');
  const args = body.str(
    'args',
    'iptables needs args: the command line, like "-I INPUT -p udp --dport 8472 -j DROP"',
  );
  if (node === undefined || args === undefined) return undefined;
  if (nodes && !nodes.has(node)) {
    ctx.error(
      body.value('node'),
      body.p('node'),
      `no node named ${node} in the Cluster${didYouMean(node, [...nodes])}`,
    );
    return undefined;
  }
  const cmd = splitTable(args);
  if (typeof cmd === 'string') {
    ctx.error(body.value('args'), body.p('args'), `iptables: ${cmd}`);
    return undefined;
  }
  // The syntax alone, against empty tables: a missing chain is the node's state, not a typo.
  const parsed = parseIptablesRestore(`*${cmd.table}\n${cmd.line}\nCOMMIT\n`, { noflush: true });
  const bad = parsed.ok ? [] : parsed.errors.filter((e) => !STATE_ERRORS.has(e.message));
  if (bad.length) {
    ctx.error(body.value('args'), body.p('args'), `iptables: ${bad[0].message}`);
    return undefined;
  }
  return { kind: 'iptables', node, table: cmd.table, line: cmd.line, args: args.trim(), pos };
}

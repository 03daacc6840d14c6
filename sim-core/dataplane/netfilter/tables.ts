/**
 * The four IPv4 tables kube-proxy and flannel use, with their built-in chains
 * in hook order (the order iptables-save and iptables -L print them), and the
 * order iptables-nft-save prints tables in (enum nft_table_type in
 * iptables/nft.h: mangle, security, raw, filter, nat; we model no security).
 */
export type TableName = 'filter' | 'nat' | 'mangle' | 'raw';
export type Policy = 'ACCEPT' | 'DROP';

export const TABLE_NAMES: readonly TableName[] = ['filter', 'nat', 'mangle', 'raw'];

export const SAVE_ORDER: readonly TableName[] = ['mangle', 'raw', 'filter', 'nat'];

export const BUILTIN_CHAINS: Readonly<Record<TableName, readonly string[]>> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
};

export function isTableName(name: string): name is TableName {
  return (TABLE_NAMES as readonly string[]).includes(name);
}

export function isBuiltinChain(table: TableName, chain: string): boolean {
  return BUILTIN_CHAINS[table].includes(chain);
}

/** Hooks where no input interface is known yet / any more (iptables refuses -i there). */
export const NO_IN_IFACE: readonly string[] = ['OUTPUT', 'POSTROUTING'];
/** Hooks before routing has chosen an output interface (iptables refuses -o there). */
export const NO_OUT_IFACE: readonly string[] = ['PREROUTING', 'INPUT'];

/**
 * iptables refuses a chain name that could be read as something else
 * (assert_valid_chain_name in iptables/xshared.c); the message is its own.
 */
export function chainNameProblem(
  name: string,
  isTarget: (n: string) => boolean,
): string | undefined {
  if (name.length >= 29) return `chain name \`${name}' too long (must be under 29 chars)`;
  if (name.startsWith('-') || name.startsWith('!')) {
    return `chain name not allowed to start with \`${name[0]}'`;
  }
  if (isTarget(name)) return 'chain name may not clash with target name';
  if (/\s/.test(name) || name === '') return `Invalid chain name \`${name}'`;
  return undefined;
}

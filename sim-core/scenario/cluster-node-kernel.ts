/**
 * A node's kernel settings in the Cluster document: sysctls that differ
 * from a kubeadm node's (`net.bridge.bridge-nf-call-iptables: 0`), an
 * iptables-restore file loaded into the node's netns before any traffic
 * (an instructor's "what if I add this rule"), and which of its devices a
 * capture holds in promiscuous mode (tcpdump's default).
 */
import { isScalar } from 'yaml';
import { SYSCTL_DEFAULTS } from '../dataplane/sysctl.ts';
import { parseIptablesRestore, type NetfilterState } from '../dataplane/netfilter/index.ts';
import { offsetInValue } from './block-offset.ts';
import { asFields, type Fields } from './fields.ts';
import { didYouMean } from './suggest.ts';
import type { NodeKernel } from './types.ts';

const HOST_SYSCTLS = SYSCTL_DEFAULTS.host;
const BOOLEAN =
  /^(ip_forward|bridge-nf-call-iptables|proxy_arp|icmp_echo_ignore_broadcasts)$|\.(proxy_arp|rp_filter)$/;

export function readNodeKernel(f: Fields, who: string): NodeKernel | undefined {
  const ctx = f.ctx;
  const before = ctx.reporter.errors.length;
  const sysctls: Record<string, string> = {};
  if (f.has('sysctls')) {
    const s = asFields(ctx, f.value('sysctls') ?? null, f.p('sysctls'), 'any', 'sysctls');
    for (const key of s?.keys() ?? []) {
      if (!(key in HOST_SYSCTLS)) {
        const msg = `sysctl ${key} is not modelled${didYouMean(key, Object.keys(HOST_SYSCTLS))} (modelled: ${Object.keys(HOST_SYSCTLS).join(', ')})`;
        ctx.error(s!.keyNode(key), s!.p(key), msg);
        continue;
      }
      const v = s!.value(key);
      const text = isScalar(v) && v.value !== null ? String(v.value) : undefined;
      const last = key.split('.').pop()!;
      if (text === undefined) ctx.error(v, s!.p(key), `sysctl ${key} needs a value`);
      else if ((BOOLEAN.test(last) || BOOLEAN.test(key)) && !/^(0|1|2)$/.test(text))
        ctx.error(v, s!.p(key), `sysctl ${key} takes 0 or 1, not ${text}`);
      else sysctls[key] = text;
    }
  }
  let iptables: string | undefined;
  let ruleset: NetfilterState | undefined;
  if (f.has('iptables')) {
    iptables = f.str('iptables');
    if (iptables !== undefined) {
      const parsed = parseIptablesRestore(iptables);
      if (parsed.ok) ruleset = parsed.ruleset;
      else
        for (const e of parsed.errors)
          ctx.error(
            offsetInValue(ctx, f.value('iptables'), e.line, e.column),
            f.p('iptables'),
            `iptables-restore for ${who}: ${e.message}`,
          );
    }
  }
  const promiscuous: string[] = [];
  for (const item of f.list('promiscuous') ?? []) {
    const name = isScalar(item.node) ? String(item.node.value) : undefined;
    if (!name) ctx.error(item.node, item.path, 'promiscuous lists device names, like cni0');
    else promiscuous.push(name);
  }
  if (ctx.reporter.errors.length > before) return undefined;
  return {
    ...(Object.keys(sysctls).length ? { sysctls } : {}),
    ...(iptables !== undefined && ruleset ? { iptables, ruleset } : {}),
    ...(promiscuous.length ? { promiscuous } : {}),
  };
}

/**
 * kube-proxy's iptables mode (pkg/proxy/iptables, Kubernetes v1.33) as pure
 * functions.
 *
 * - syncIptablesProxier(input): the iptables-restore input of a full sync
 *   (`restoreText`, filter then nat, in kube-proxy's write order; Services
 *   walked sorted by ServicePortName where kube-proxy's map order is random).
 * - nodeRuleset(input) / buildNodeRuleset(input): the node's complete ruleset
 *   after kubelet and kube-proxy started (built-in chain jumps, canaries,
 *   KUBE-FIREWALL), one restore file for parseIptablesRestore.
 * - Chain names (KUBE-SVC-/SVL-/EXT-/FW-/SEP-), probabilities, the mark.
 * - sortIptablesRules: the canonical order kube-proxy's unit tests compare in.
 */
export {
  KUBE_EXTERNAL_SERVICES,
  KUBE_FIREWALL,
  KUBE_FORWARD,
  KUBE_MARK_MASQ,
  KUBE_NODEPORTS,
  KUBE_POSTROUTING,
  KUBE_PROXY_CANARY,
  KUBE_PROXY_FIREWALL,
  KUBE_SERVICES,
  LARGE_CLUSTER_ENDPOINTS_THRESHOLD,
  syncIptablesProxier,
} from './sync-proxy-rules.ts';
export type {
  IptablesProxierInput,
  IptablesProxierOptions,
  IptablesSyncResult,
} from './sync-proxy-rules.ts';
export {
  IPTABLES_JUMP_CHAINS,
  IPTABLES_KUBELET_JUMP_CHAINS,
  buildNodeRuleset,
  jumpRuleArgs,
  nodeRuleset,
} from './node-ruleset.ts';
export type { JumpChain, NodeRuleset, NodeRulesetInput, NodeTable } from './node-ruleset.ts';
export { endpointChainName, portProtoHash, serviceChainNames } from './chain-names.ts';
export type { ServiceChainNames } from './chain-names.ts';
export { computeProbability, endpointProbability, goFixed } from './probability.ts';
export { masqueradeMark } from './mark.ts';
export { rulesDependOnNode } from './node-dependence.ts';
export { base32StdEncode } from './base32.ts';
export { sortIptablesRules, ruleComment } from './sort-rules.ts';

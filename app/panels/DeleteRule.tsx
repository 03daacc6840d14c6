/**
 * "Delete this rule" on a kube-proxy rule (a KUBE-… chain's): the fault of
 * deleting it by hand, `iptables -t nat -D CHAIN N`, written into the scenario
 * at the current step. kube-proxy's next sync puts its rule back, as it does.
 */
import { useStore } from '../state/store.ts';
import { addFault, deleteRuleFault } from '../state/faults.ts';

const KEY = /^([^/]+)\/(KUBE-[^/]+)\/(\d+)$/;

export function DeleteRule({ node, ruleKey }: { readonly node: string; readonly ruleKey: string }) {
  const busy = useStore((s) => s.simulating !== null);
  const m = KEY.exec(ruleKey);
  if (!m) return null;
  const [, table, chain, n] = m;
  const fault = deleteRuleFault(node, table, chain, Number(n));
  const args = String(fault.actions[0].iptables.args);
  return (
    <button
      type="button"
      className="ipt-delete"
      disabled={busy}
      aria-label={`Delete rule ${n} of ${chain} on ${node}`}
      title={`Delete this rule: adds "iptables: {node: ${node}, args: ${args}}" after this step's action`}
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => void addFault(fault)}
    >
      delete
    </button>
  );
}

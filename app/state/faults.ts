/**
 * Faults pressed on the picture (issue 10): each is one or more actions
 * written into the scenario's text after the action the current step belongs
 * to, so the fault is saved, shared and undone like any edit. A built-in
 * becomes the custom scenario, as editing it does; the simulation runs again
 * in the worker and the view lands on the fault's first step.
 */
import type { ActionText, Simulation } from '@kubewire/sim-core';
import { useStore } from './store.ts';

export interface Fault {
  /** What the notice says was added: "crash pod-b's web container". */
  readonly label: string;
  readonly actions: readonly ActionText[];
}

const ref = (ns: string, name: string) => (ns === 'default' ? name : `${ns}/${name}`);

export const crashFault = (ns: string, pod: string, container: string): Fault => ({
  label: `crash ${ref(ns, pod)}'s ${container} container`,
  actions: [{ crash: { pod: ref(ns, pod), container } }],
});

export const deleteFault = (ns: string, pod: string): Fault => ({
  label: `delete pod ${ref(ns, pod)}`,
  actions: [{ delete: { pod: ref(ns, pod) } }],
});

export const unreadyFault = (ns: string, pod: string, ready = false): Fault => ({
  label: `${ready ? 'pass' : 'fail'} ${ref(ns, pod)}'s readiness probe`,
  actions: [{ ready: { pod: ref(ns, pod), ready } }],
});

/** `kubectl scale deployment/NAME --replicas=N`: the ReplicaSet controller adds or removes pods. */
export const scaleFault = (ns: string, deployment: string, replicas: number): Fault => ({
  label: `scale deployment ${ref(ns, deployment)} to ${replicas} replicas`,
  actions: [{ scale: { deployment: ref(ns, deployment), replicas } }],
});

/** The tunnel's UDP port dropped at each end for packets from the other node, as fault-vxlan-drop does by hand. */
export function tunnelDropFault(
  a: { readonly name: string; readonly ip: string },
  b: { readonly name: string; readonly ip: string },
  port: number,
): Fault {
  const rule = (from: string) => `-I INPUT -s ${from} -p udp --dport ${port} -j DROP`;
  return {
    label: `drop UDP ${port} between ${a.name} and ${b.name}`,
    actions: [
      { iptables: { node: b.name, args: rule(a.ip) } },
      { iptables: { node: a.name, args: rule(b.ip) } },
    ],
  };
}

/** `kubectl drain NODE`: cordoned, its pods evicted and replaced elsewhere (bare pods refuse it, as kubectl does). */
export const drainFault = (node: string): Fault => ({
  label: `drain ${node}`,
  actions: [{ drain: { node } }],
});

/** The node powers off: frames to it are lost; after the grace period it goes NotReady. */
export const nodeDownFault = (node: string): Fault => ({
  label: `power off ${node}`,
  actions: [{ 'node-down': { node } }],
});

/** `iptables -t TABLE -D CHAIN N`: rule N (1-based, as `-L --line-numbers` counts) deleted by hand. */
export const deleteRuleFault = (node: string, table: string, chain: string, n: number): Fault => ({
  label: `delete rule ${n} of ${chain} (${table}) on ${node}`,
  actions: [
    { iptables: { node, args: `${table === 'filter' ? '' : `-t ${table} `}-D ${chain} ${n}` } },
  ],
});

/** Where the fault's actions go: after the action the current step belongs to (setup: first). */
export function faultIndex(sim: Simulation, step: number): number {
  const action = sim.steps[step]?.action ?? -1;
  return action < 0 ? 0 : action + 1;
}

/** The step the fault's first action starts at (its actions end the trace early: the last step). */
export function landingStep(sim: Simulation, index: number): number {
  const i = sim.steps.findIndex((s) => s.action === index);
  return i < 0 ? sim.steps.length - 1 : i;
}

export const UNRUN_EDITS_NOTICE =
  'The editor has changes not yet run: run or revert them first, then add the fault.';

/** Write the fault into the scenario, simulate it and land on its first step. */
export async function addFault(fault: Fault): Promise<boolean> {
  const { formatAction, insertAction } = await import('./faultText.ts');
  const s = useStore.getState();
  if (!s.sim || !s.scenarioId) return false;
  // The user's own unrun edit is never overwritten by a button.
  if (s.draft !== s.sourceText) {
    s.showNotice(UNRUN_EDITS_NOTICE);
    return false;
  }
  const index = faultIndex(s.sim, s.step);
  let text = s.sourceText;
  fault.actions.forEach((a, i) => (text = insertAction(text, index + i, a)));
  const before = { id: s.scenarioId, text: s.sourceText, step: s.step };
  s.openPodCard(null);
  const outcome = await s.applyEdit(text, (sim) => landingStep(sim, index), 'the fault');
  if (outcome !== 'ok') return false;
  const lines = fault.actions.map((a) => `- ${formatAction(a)}`).join(' ');
  const notice = `Fault added as action ${index + 1}: ${fault.label} (${lines}). It is saved in the scenario's YAML.`;
  useStore.getState().showNotice(notice);
  useStore.getState().setFaultUndo({ ...before, notice });
  return true;
}

/** Back to the scenario as it was before the last fault, at the step it was shown at. */
export async function undoFault(): Promise<boolean> {
  const s = useStore.getState();
  const undo = s.faultUndo;
  if (!undo) return false;
  s.setFaultUndo(null);
  s.showNotice(null);
  return s.applyText(undo.id, undo.text, undo.step);
}

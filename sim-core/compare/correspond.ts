/**
 * Which step of one trace matches which step of another: the same scenario
 * under two modes (flannel vxlan and host-gw, iptables and IPVS) makes traces
 * of different lengths, so the two views are synced on meaning, not index.
 *
 * Each step gets two keys. Its exact key names what happened and where —
 * the action, which packet of the action (by order; ARP by its content), the
 * step kind and its facts' type, the namespace and device, and how many times that happened
 * before — so the steps both modes share (the pod's ARP, cni0's forward, the
 * frame crossing the node network) match one to one. A packet's milestones
 * (sent, leaves a node, enters a node, reaches a pod) are keyed without
 * places, so they match even when the modes take different devices or pick
 * different endpoints. A step with neither (VXLAN encap in vxlan, IPVS's
 * scheduling in ipvs mode) has no counterpart: the other side stays at the
 * counterpart of the last step before it that has one.
 */
import type { Step } from '../model.ts';
import { packetId } from './packet-id.ts';

export type MilestoneKind = 'sent' | 'leaves' | 'enters' | 'reaches';

export interface StepKeys {
  /** What happened where (see the file comment); unique in its trace. */
  readonly exact: readonly string[];
  /** The packet milestone a step is, or undefined. */
  readonly milestone: readonly (string | undefined)[];
  /** "leaves node-1", "reaches default/pod-b" for milestone steps. */
  readonly label: readonly (string | undefined)[];
}

/** How a step of one side maps to the other: the same step, the same milestone, or no counterpart. */
export interface StepMatch {
  readonly index: number;
  readonly kind: 'same' | 'milestone' | 'none';
}

export interface Correspondence {
  /** Left step → right step. */
  toRight(i: number): StepMatch;
  /** Right step → left step. */
  toLeft(j: number): StepMatch;
  readonly left: StepKeys;
  readonly right: StepKeys;
}

type NetnsKind = 'pod' | 'network' | 'machine';

/** A namespace id's kind by its shape: "@network", "node-1/ns/pod" (a pod), "node-1" or "laptop". */
function netnsKind(id: string): NetnsKind {
  if (id === '@network') return 'network';
  return id.includes('/') ? 'pod' : 'machine';
}

/** Where a pod's namespace id names the pod: "node-1/default/pod-a" → "default/pod-a". */
const podOf = (netns: string) => netns.slice(netns.indexOf('/') + 1);

function milestoneOf(step: Step, first: boolean): [MilestoneKind, string] | undefined {
  const at = step.place.netns;
  const from = step.from?.netns;
  if (first) {
    const src = from ?? at;
    return ['sent', `sent by ${netnsKind(src) === 'pod' ? podOf(src) : src}`];
  }
  if (step.kind !== 'transmit' || from === undefined) return undefined;
  const here = netnsKind(at);
  const there = netnsKind(from);
  if (here === 'network' && there === 'machine') return ['leaves', `leaves ${from}`];
  if (there === 'network' && here === 'machine') return ['enters', `enters ${at}`];
  if (here === 'pod' && from !== at) return ['reaches', `reaches ${podOf(at)}`];
  return undefined;
}

/** The keys of every step of a trace. O(steps). */
export function stepKeys(steps: readonly Step[]): StepKeys {
  const exact: string[] = [];
  const milestone: (string | undefined)[] = [];
  const label: (string | undefined)[] = [];
  const seen = new Map<string, number>();
  const count = (key: string) => {
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return `${key}|${n}`;
  };
  let action = -2;
  let ordinals = new Map<string, number>();
  let current = 'x';
  for (const step of steps) {
    if (step.action !== action) {
      action = step.action;
      ordinals = new Map();
      current = 'x';
    }
    const id = packetId(step.frame);
    let first = false;
    if (id?.startsWith('arp:')) current = id;
    else if (id !== undefined) {
      let n = ordinals.get(id);
      first = n === undefined;
      if (n === undefined) ordinals.set(id, (n = ordinals.size));
      current = `p${n}`;
    }
    // Setup has no packets to follow: the kubelet's and CNI's steps are named by what they say.
    const what = action < 0 ? step.summary : current;
    const where = `${step.place.netns}|${step.place.iface ?? ''}`;
    exact.push(count(`${action}|${what}|${step.kind}|${step.facts.type}|${where}`));
    const m = id && !id.startsWith('arp:') ? milestoneOf(step, first) : undefined;
    milestone.push(m && count(`${action}|${current}|${m[0]}`));
    label.push(m?.[1]);
  }
  return { exact, milestone, label };
}

function mapSide(
  from: StepKeys,
  to: StepKeys,
  actionsFrom: readonly number[],
  actionsTo: readonly number[],
) {
  const exactTo = new Map<string, number>();
  to.exact.forEach((k, j) => exactTo.set(k, j));
  const milestoneTo = new Map<string, number>();
  to.milestone.forEach((k, j) => k !== undefined && milestoneTo.set(k, j));
  const actionStart = new Map<number, number>();
  actionsTo.forEach((a, j) => actionStart.has(a) || actionStart.set(a, j));
  const index = new Int32Array(from.exact.length);
  const kind: StepMatch['kind'][] = [];
  let last = -1;
  let lastAction = -2;
  for (let i = 0; i < from.exact.length; i++) {
    const m = from.milestone[i];
    let j = exactTo.get(from.exact[i]);
    let k: StepMatch['kind'] = 'same';
    if (j === undefined && m !== undefined) {
      j = milestoneTo.get(m);
      k = 'milestone';
    }
    const action = actionsFrom[i];
    if (j === undefined) {
      k = 'none';
      j = lastAction === action ? last : (actionStart.get(action) ?? Math.max(0, last));
    } else {
      last = j;
      lastAction = action;
    }
    index[i] = j;
    kind.push(k);
  }
  return (i: number): StepMatch => {
    const at = Math.min(Math.max(0, i), index.length - 1);
    return index.length ? { index: index[at], kind: kind[at] } : { index: 0, kind: 'none' };
  };
}

/** The correspondence between two traces of one scenario under two modes. */
export function correspond(left: readonly Step[], right: readonly Step[]): Correspondence {
  const l = stepKeys(left);
  const r = stepKeys(right);
  const la = left.map((s) => s.action);
  const ra = right.map((s) => s.action);
  return { toRight: mapSide(l, r, la, ra), toLeft: mapSide(r, l, ra, la), left: l, right: r };
}

/** Scenario actions as people say them: "ping pod-a → 10.244.0.3". */
import type { Action, Step } from '@kubewire/sim-core';

type PodRef = Extract<Action, { kind: 'delete' }>['pod'];

const pod = (ref: PodRef) =>
  ref.namespace === 'default' ? ref.name : `${ref.namespace}/${ref.name}`;

export function actionLabel(action: Action | undefined): string {
  if (!action) return 'setup';
  switch (action.kind) {
    case 'ping':
      return `ping ${pod(action.from)} → ${action.to}`;
    case 'connect':
      return `connect ${pod(action.from)} → ${action.to}:${action.port}`;
    case 'crash':
      return `crash ${pod(action.pod)}/${action.container}`;
    case 'delete':
      return `delete ${pod(action.pod)}`;
    case 'send':
      return `send ${pod(action.from)} → ${action.to}:${action.port}/udp`;
    case 'ready':
      return `${pod(action.pod)} ${action.ready ? 'ready' : 'not ready'}`;
    case 'http':
      return `curl ${pod(action.from)} → ${action.url}`;
    case 'dig':
      return `dig ${pod(action.from)} ${action.name} ${action.qtype}`;
    case 'resolve':
      return `resolve ${pod(action.from)} ${action.name}`;
    case 'iptables':
      return `iptables on ${action.node}`;
    case 'scale':
      return `scale ${pod(action.deployment)} to ${action.replicas}`;
    case 'drain':
      return `drain ${action.node}`;
    case 'node-down':
      return `${action.node} down`;
  }
}

export interface ActionMark {
  readonly action: number;
  /** Index of the action's first step. */
  readonly step: number;
  readonly label: string;
}

/** Where each action (and the setup before them) begins on the timeline. */
export function actionMarks(steps: readonly Step[], actions: readonly Action[]): ActionMark[] {
  const marks: ActionMark[] = [];
  steps.forEach((s, i) => {
    if (i === 0 || steps[i - 1].action !== s.action)
      marks.push({ action: s.action, step: i, label: actionLabel(actions[s.action]) });
  });
  return marks;
}

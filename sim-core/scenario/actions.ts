/**
 * The `Scenario` document: title, goal, and the actions to play. Every pod an
 * action names must exist in the file, so a typo is caught at load time with
 * its line and column instead of failing halfway through a trace.
 */
import type { Node } from 'yaml';
import { isScalar } from 'yaml';
import { asFields, readBool } from './fields.ts';
import type { Fields } from './fields.ts';
import type { PodDraft } from './pods.ts';
import { parsePodRef, parseTarget, podKey } from './refs.ts';
import { didYouMean } from './suggest.ts';
import { HTTP_FIELDS, readHttpAction } from './http-action.ts';
import type { Action, PodRef, ScenarioSpec } from './types.ts';
import { isDnsName, readDnsAction } from './dns-actions.ts';
import { IPTABLES_FIELDS, readIptablesAction } from './iptables-action.ts';
import {
  DRAIN_FIELDS,
  NODE_DOWN_FIELDS,
  SCALE_FIELDS,
  readDrainAction,
  readNodeDownAction,
  readScaleAction,
} from './fault-actions.ts';

const ACTION_FIELDS = {
  ping: ['from', 'to', 'count', 'broadcast'],
  connect: ['from', 'to', 'port', 'data', 'close', 'timeout'],
  send: ['from', 'to', 'port', 'data'],
  crash: ['pod', 'container'],
  delete: ['pod', 'wait'],
  ready: ['pod', 'ready'],
  iptables: IPTABLES_FIELDS,
  http: HTTP_FIELDS,
  dig: ['from', 'name', 'type', 'server', 'search'],
  resolve: ['from', 'name'],
  scale: SCALE_FIELDS,
  drain: DRAIN_FIELDS,
  'node-down': NODE_DOWN_FIELDS,
} as const;
type ActionKind = keyof typeof ACTION_FIELDS;
const ACTIONS = Object.keys(ACTION_FIELDS) as ActionKind[];
/** In DESIGN.md, not implemented yet: refused by name rather than as typos. */
const PLANNED_ACTIONS: string[] = [];
/** Enough to watch ARP, conntrack and a few replies; more only slows the trace. */
const MAX_PING_COUNT = 100;
/** nc -w takes whole seconds; past Linux's own 131 s connect() timeout it changes nothing. */
const MAX_CONNECT_TIMEOUT = 600;

export interface ActionContext {
  readonly pods: ReadonlyMap<string, PodDraft>;
  /** Services by "ns/name": a `to` may name one (it means its ClusterIP). */
  readonly services?: ReadonlySet<string>;
  /** Hosts on the node network (spec.hosts): a ping or connect may come `from` one. */
  readonly hosts?: ReadonlySet<string>;
  /** The Cluster's node names (an iptables action names one); unchecked when unknown. */
  readonly nodes?: ReadonlySet<string>;
  /** The Deployments by "ns/name" (a scale action names one); unchecked when unknown. */
  readonly deployments?: ReadonlySet<string>;
  /** The cluster has DNS (spec.dns): a `to` may be a DNS name, resolved first. */
  readonly dns?: boolean;
  /** False when some document could not be parsed: a "missing" pod may be in it. */
  readonly checkRefs: boolean;
}

export function readScenario(top: Fields, env: ActionContext, clusterName: string): ScenarioSpec {
  const meta = top.map('metadata', ['name'], 'the Scenario metadata');
  const name = meta?.str('name') ?? clusterName;
  const spec = top.map('spec', ['title', 'goal', 'actions'], 'the Scenario spec');
  const title = spec?.str('title') ?? name;
  const goal = spec?.str('goal') ?? '';
  const actions: Action[] = [];
  for (const item of spec?.list('actions') ?? []) {
    const action = readAction(top, item.node, item.path, env);
    if (action) actions.push(action);
  }
  return { name, title, goal, actions };
}

function readAction(
  top: Fields,
  node: Node | null,
  path: string,
  env: ActionContext,
): Action | undefined {
  const ctx = top.ctx;
  const item = asFields(ctx, node, path, 'any', 'an action');
  if (!item) return undefined;
  const keys = item.keys();
  if (keys.length !== 1) {
    const msg =
      keys.length === 0
        ? `an action needs exactly one kind: ${ACTIONS.join(', ')}`
        : `an action has exactly one kind, but this one has ${keys.length}: ${keys.join(', ')}; start each action with its own "- "`;
    ctx.error(item.node, path, msg);
    return undefined;
  }
  const kind = keys[0];
  const keyNode = item.keyNode(kind);
  if (PLANNED_ACTIONS.includes(kind)) {
    ctx.error(keyNode, item.p(kind), `action '${kind}' is not supported yet`);
    return undefined;
  }
  if (!(ACTIONS as string[]).includes(kind)) {
    const msg = `unknown action '${kind}'${didYouMean(kind, ACTIONS)} (actions: ${ACTIONS.join(', ')})`;
    ctx.error(keyNode, item.p(kind), msg);
    return undefined;
  }
  const k = kind as ActionKind;
  const body = item.map(
    k,
    ACTION_FIELDS[k],
    `a ${k} action`,
    `${k} needs its fields, like ${example(k)}`,
  );
  if (!body) return undefined;
  const pos = ctx.pos(keyNode);

  switch (k) {
    case 'ping': {
      const from = readPod(body, 'from', env, `ping needs from: the pod that sends it`);
      const to = readTarget(body, env, 'ping needs to: a pod or an IPv4 address');
      const count = body.has('count')
        ? body.int('count', {
            min: 1,
            max: MAX_PING_COUNT,
            range: (n) => `count must be between 1 and ${MAX_PING_COUNT}, not ${n}`,
          })
        : 1;
      const broadcast = body.has('broadcast') ? readBool(body, 'broadcast') : false;
      if (!from || to === undefined || count === undefined || broadcast === undefined)
        return undefined;
      return { kind: 'ping', from, to, count, ...(broadcast ? { broadcast } : {}), pos };
    }
    case 'connect': {
      const from = readPod(
        body,
        'from',
        env,
        'connect needs from: the pod that opens the connection',
      );
      const to = readTarget(body, env, 'connect needs to: a pod or an IPv4 address');
      const port = body.int(
        'port',
        { min: 1, max: 65535, range: (n) => `port must be between 1 and 65535, not ${n}` },
        'connect needs a port (1..65535)',
      );
      const data = body.has('data') ? body.str('data') : undefined;
      const close = readBool(body, 'close');
      const timeout = body.has('timeout')
        ? body.int('timeout', {
            min: 1,
            max: MAX_CONNECT_TIMEOUT,
            range: (n) => `timeout must be between 1 and ${MAX_CONNECT_TIMEOUT} seconds, not ${n}`,
          })
        : undefined;
      if (!from || to === undefined || port === undefined) return undefined;
      if (body.has('data') && data === undefined) return undefined;
      if (body.has('close') && close === undefined) return undefined;
      if (body.has('timeout') && timeout === undefined) return undefined;
      return {
        kind: 'connect',
        from,
        to,
        port,
        ...(data !== undefined ? { data } : {}),
        ...(close ? { close } : {}),
        ...(timeout !== undefined ? { timeout } : {}),
        pos,
      };
    }
    case 'send': {
      const from = readPod(body, 'from', env, 'send needs from: the pod that sends the datagram');
      const to = readTarget(body, env, 'send needs to: a pod, a Service or an IPv4 address');
      const port = body.int(
        'port',
        { min: 1, max: 65535, range: (n) => `port must be between 1 and 65535, not ${n}` },
        'send needs a port (1..65535)',
      );
      const data = body.has('data') ? body.str('data') : 'x';
      if (!from || to === undefined || port === undefined || data === undefined) return undefined;
      return { kind: 'send', from, to, port, data, pos };
    }
    case 'http': {
      const from = readPod(body, 'from', env, 'http needs from: the pod or host that runs curl');
      return readHttpAction(body, from, pos);
    }
    case 'crash': {
      const pod = readPod(body, 'pod', env, 'crash needs pod: the pod whose container crashes');
      const container = body.str(
        'container',
        'crash needs container: which container in the pod crashes',
      );
      if (!pod || container === undefined) return undefined;
      const draft = env.pods.get(podKey(pod));
      const names = draft?.containers.map((c) => c.name) ?? [];
      if (draft?.complete && !names.includes(container)) {
        const msg =
          `pod ${podKey(pod)} has no container named ${container} (containers: ${names.join(', ')})` +
          didYouMean(container, names);
        ctx.error(body.value('container'), body.p('container'), msg);
        return undefined;
      }
      return { kind: 'crash', pod, container, pos };
    }
    case 'dig':
    case 'resolve':
      return readDnsAction(k, body, pos, env, (b, key, msg) => readPod(b, key, env, msg));
    case 'delete': {
      const pod = readPod(body, 'pod', env, 'delete needs pod: the pod to delete');
      const wait = body.has('wait') ? readBool(body, 'wait') : true;
      if (!pod || wait === undefined) return undefined;
      return { kind: 'delete', pod, wait, pos };
    }
    case 'ready': {
      const pod = readPod(body, 'pod', env, 'ready needs pod: the pod whose readiness changes');
      if (!body.has('ready')) body.missing('ready', 'ready needs ready: true or false');
      const ready = readBool(body, 'ready');
      if (!pod || ready === undefined) return undefined;
      return { kind: 'ready', pod, ready, pos };
    }
    case 'iptables':
      return readIptablesAction(body, pos, env.nodes);
    case 'scale':
      return readScaleAction(body, pos, env);
    case 'drain':
      return readDrainAction(body, pos, env);
    case 'node-down':
      return readNodeDownAction(body, pos, env);
  }
}

function example(kind: ActionKind): string {
  return {
    ping: '{from: client, to: web}',
    connect: '{from: client, to: web, port: 80}',
    send: '{from: client, to: dns, port: 53, data: hello}',
    crash: '{pod: web, container: app}',
    delete: '{pod: web}',
    ready: '{pod: web, ready: false}',
    iptables: '{node: node-2, args: "-I INPUT -p udp --dport 8472 -j DROP"}',
    http: '{from: client, url: "http://web.default/"}',
    dig: '{from: client, name: web.default.svc.cluster.local, type: A}',
    resolve: '{from: client, name: web}',
    scale: '{deployment: web, replicas: 3}',
    drain: '{node: node-2}',
    'node-down': '{node: node-2}',
  }[kind];
}

/** A pod reference that must name a pod in this file. */
function readPod(
  body: Fields,
  key: string,
  env: ActionContext,
  required: string,
): PodRef | undefined {
  const text = body.str(key, required);
  if (text === undefined) return undefined;
  const parsed = parsePodRef(text);
  if (!parsed.ok) {
    body.ctx.error(body.value(key), body.p(key), parsed.message);
    return undefined;
  }
  // A host outside the cluster, by its bare name (hosts have no namespace).
  if (key === 'from' && !text.includes('/') && env.hosts?.has(text)) return parsed.ref;
  return checkExists(body, key, parsed.ref, env) ? parsed.ref : undefined;
}

function checkExists(body: Fields, key: string, ref: PodRef, env: ActionContext): boolean {
  if (!env.checkRefs || env.pods.has(podKey(ref))) return true;
  const elsewhere = [...env.pods.values()].filter((p) => p.name === ref.name);
  const raw = body.value(key);
  const written = isScalar(raw) ? String(raw.value) : ref.name;
  let hint: string;
  if (!written.includes('/') && elsewhere.length > 0) {
    const where = elsewhere.map((p) => podKey(p)).join(' or ');
    hint = `; a name without a namespace means namespace default: did you mean ${where}?`;
  } else {
    hint = didYouMean(podKey(ref), env.pods.keys());
  }
  body.ctx.error(raw, body.p(key), `there is no pod ${podKey(ref)} in this scenario${hint}`);
  return false;
}

/** `to`: an IPv4 address, or a pod that must exist. Returned as written. */
function readTarget(body: Fields, env: ActionContext, required: string): string | undefined {
  const text = body.str('to', required);
  if (text === undefined) return undefined;
  const target = parseTarget(text);
  if (target.kind === 'invalid') {
    body.ctx.error(body.value('to'), body.p('to'), target.message);
    return undefined;
  }
  if (target.kind === 'pod' && env.services?.has(podKey(target.ref))) return text;
  // With cluster DNS, a name that is neither a pod nor a Service is looked up (curl example.com).
  if (target.kind === 'pod' && env.dns && !env.pods.has(podKey(target.ref)) && isDnsName(text))
    return text;
  if (target.kind === 'pod' && !checkExists(body, 'to', target.ref, env)) return undefined;
  return text;
}

/**
 * The API objects' panels as lines of kubectl's own output (printed by sim-core's kubectl
 * printers), each line labelled with what the current step did to it: the EndpointSlice
 * the controller wrote (created, updated, deleted) and, in its description, the endpoints
 * that came or went since the step before. Pure: (objects, objects before, facts) → rows.
 */
import {
  describeEndpointSlice,
  translateTimestampSince,
  type Dated,
  type EndpointSlice,
  type Endpoint,
  type TableRef,
} from '@kubewire/sim-core';

export type Change = TableRef['change'];

export interface KubeLine {
  readonly key: string;
  readonly text: string;
  readonly change?: Change;
  /** A line of the slice before the step that is gone now (an endpoint removed). */
  readonly ghost?: boolean;
  readonly kind: 'header' | 'row' | 'detail';
  /** An endpoint's address line: the endpoint, for its conditions. */
  readonly endpoint?: Endpoint;
}

export const objectKey = (o: { metadata: { namespace: string; name: string } }) =>
  `${o.metadata.namespace}/${o.metadata.name}`;

/** The slice an `eps.write` step wrote ("ns/name") and how, as a row change. */
export interface SliceWrite {
  readonly key: string;
  readonly change: Change;
}

const WRITE: Record<'create' | 'update' | 'delete', Change> = {
  create: 'added',
  update: 'updated',
  delete: 'removed',
};

/** The write an `eps.write` fact describes: its Service's namespace and the slice's name. */
export function sliceWrite(facts: {
  readonly type: string;
  readonly action?: string;
  readonly slice?: string;
  readonly service?: string;
}): SliceWrite | undefined {
  if (facts.type !== 'eps.write' || !facts.slice || !facts.service) return undefined;
  const action = facts.action as keyof typeof WRITE;
  return { key: `${facts.service.split('/')[0]}/${facts.slice}`, change: WRITE[action] };
}

/**
 * The AGE cells of a list as one string: with the list's identity, all that changes a
 * `kubectl get` table from one step to the next (steps are microseconds apart, AGE moves in
 * seconds), so a panel prints 2,000 rows again only when one of them reads differently.
 */
export function agesOf(list: readonly Dated<unknown>[], nowUs: number): string {
  let out = '';
  let last: string | undefined;
  list.forEach((d, i) => {
    const age = translateTimestampSince(d.createdUs, nowUs);
    // Each run of one age (all Services are created at 0) is one entry: where it starts.
    if (age !== last) out += `${i}:${age} `;
    last = age;
  });
  return out;
}

/**
 * kubectl get's table as lines: the header, then one line per object in the table's own
 * order (namespace, then name), keyed by the object. `keys` are the objects in that order.
 */
export function tableLines(
  text: string,
  keys: readonly string[],
  changeOf: (key: string) => Change | undefined,
): KubeLine[] {
  const lines = text.replace(/\n$/, '').split('\n');
  return lines.map((line, i) => {
    if (i === 0) return { key: 'header', text: line, kind: 'header' };
    const key = keys[i - 1] ?? `line ${i}`;
    const change = changeOf(key);
    return { key, text: line, kind: 'row', ...(change ? { change } : {}) };
  });
}

/** Objects in kubectl get's order: by namespace, then name. */
export function listOrder<T extends { metadata: { namespace: string; name: string } }>(
  objs: readonly T[],
): T[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...objs].sort(
    (a, b) =>
      cmp(a.metadata.namespace, b.metadata.namespace) || cmp(a.metadata.name, b.metadata.name),
  );
}

const endpointKey = (e: Endpoint) => e.addresses.join(',');

/**
 * `kubectl describe endpointslice` of one slice, line by line. When the step wrote the slice,
 * its Name line carries the write, each endpoint's lines are marked added (new since the step
 * before) and the endpoints it lost follow as struck-through lines of the slice before.
 */
export function describeLines(
  slice: EndpointSlice,
  before: EndpointSlice | undefined,
  write: Change | undefined,
): KubeLine[] {
  const lines = describeEndpointSlice(slice).replace(/\n$/, '').split('\n');
  const had = new Set((before?.endpoints ?? []).map(endpointKey));
  const key = objectKey(slice);
  const out: KubeLine[] = [];
  let ep = -1;
  let inEndpoints = false;
  lines.forEach((text, i) => {
    if (text.startsWith('Endpoints:')) inEndpoints = true;
    else if (!text.startsWith(' ')) inEndpoints = false;
    if (inEndpoints && /^\s+- Addresses:/.test(text)) ep++;
    const endpoint = inEndpoints && ep >= 0 ? slice.endpoints[ep] : undefined;
    const fresh = write && endpoint && !had.has(endpointKey(endpoint));
    const change: Change | undefined =
      i === 0 && write ? write : fresh && write !== 'removed' ? 'added' : undefined;
    if (text.startsWith('Events:') && write === 'updated' && before)
      out.push(...gone(slice, before));
    out.push({
      key: `${key} ${i}`,
      text,
      kind: i === 0 ? 'header' : 'detail',
      ...(change ? { change } : {}),
      ...(endpoint && /^\s+- Addresses:/.test(text) ? { endpoint } : {}),
    });
  });
  return out;
}

/** The endpoints of the slice before that the slice no longer has, as its description lines. */
function gone(slice: EndpointSlice, before: EndpointSlice): KubeLine[] {
  const now = new Set(slice.endpoints.map(endpointKey));
  const lost = before.endpoints.filter((e) => !now.has(endpointKey(e)));
  if (!lost.length) return [];
  const text = describeEndpointSlice({ ...before, endpoints: lost })
    .replace(/\n$/, '')
    .split('\n');
  const start = text.findIndex((l) => l.startsWith('Endpoints:')) + 1;
  const end = text.findIndex((l) => l.startsWith('Events:'));
  return text.slice(start, end).map((t, i) => ({
    key: `${objectKey(slice)} gone ${i}`,
    text: t,
    kind: 'detail',
    change: 'removed',
    ghost: true,
  }));
}

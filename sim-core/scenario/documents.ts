/**
 * Splitting the file into documents and deciding what each one is. Syntax
 * errors come from the yaml library with their offsets; a document with
 * syntax errors is not validated further, since its shape is unreliable.
 */
import { isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, LineCounter, Node, YAMLError, YAMLMap } from 'yaml';
import { DocContext } from './context.ts';
import type { Reporter } from './context.ts';
import { Fields, deref, describe } from './fields.ts';
import {
  CONFIG_MAP_FIELDS,
  ENDPOINT_SLICE_FIELDS,
  KNOWN_KUBERNETES_KINDS,
  LIST_FIELDS,
  OBJECT_FIELDS,
  SECRET_FIELDS,
} from './kubernetes-fields.ts';
import { didYouMean } from './suggest.ts';

/** Kind → the apiVersion it must have. */
const SUPPORTED = {
  Cluster: 'kubewire/v1',
  Namespace: 'v1',
  Pod: 'v1',
  Service: 'v1',
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  EndpointSlice: 'discovery.k8s.io/v1',
  Ingress: 'networking.k8s.io/v1',
  IngressClass: 'networking.k8s.io/v1',
  Secret: 'v1',
  ConfigMap: 'v1',
  Scenario: 'kubewire/v1',
} as const;
export type SupportedKind = keyof typeof SUPPORTED;
const KINDS = Object.keys(SUPPORTED) as SupportedKind[];
const KUBEWIRE_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec'] as const;

export interface ClassifiedDoc {
  readonly kind: SupportedKind;
  readonly top: Fields;
  readonly kindAt: Node;
}

export interface SplitResult {
  readonly docs: ClassifiedDoc[];
  /**
   * True when some document could not be read (syntax errors, no or unknown
   * kind): it may have been the Cluster or a pod, so checks that something
   * is missing from the file are skipped rather than guessed.
   */
  readonly incomplete: boolean;
}

/** Friendlier wording for the syntax errors students hit most. */
function syntaxMessage(err: YAMLError): string {
  switch (err.code) {
    case 'DUPLICATE_KEY':
      return 'YAML syntax error: this key appears twice in the same mapping';
    case 'TAB_AS_INDENT':
      return 'YAML syntax error: tabs are not allowed for indentation; use spaces';
    default:
      return `YAML syntax error: ${err.message}`;
  }
}

export function splitDocuments(
  text: string,
  lineCounter: LineCounter,
  reporter: Reporter,
): SplitResult {
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false }) as Document.Parsed[];
  const docs: ClassifiedDoc[] = [];
  let incomplete = false;
  for (const [index, doc] of Array.from(parsed).entries()) {
    if (doc.errors.length > 0) {
      incomplete = true;
      for (const err of doc.errors) reporter.add(err.pos[0], syntaxMessage(err), undefined, index);
      continue;
    }
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) continue;
    const contents = doc.contents;
    const start = contents.range?.[0] ?? 0;
    const read = (node: Node): void => {
      const ctx = new DocContext(reporter, index, node.range?.[0] ?? start, doc);
      const c = classify(ctx, node);
      if (c === 'unreadable') incomplete = true;
      else if (c !== 'unsupported') docs.push(c);
    };
    const items = isMap(contents) ? listItems(contents, reporter, index, doc) : undefined;
    if (items === undefined) read(contents);
    else if (items === 'unreadable') incomplete = true;
    else for (const item of items) read(item);
  }
  return { docs, incomplete };
}

/**
 * `kind: List` (what `kubectl get a,b -o yaml` prints): each of its items is
 * read as a document of its own, located where it is written (MAN4).
 * undefined: not a List.
 */
function listItems(
  contents: YAMLMap,
  reporter: Reporter,
  index: number,
  doc: Document.Parsed,
): Node[] | 'unreadable' | undefined {
  const kind = contents.get('kind', true) as Node | undefined;
  if (!isScalar(kind) || kind.value !== 'List') return undefined;
  const ctx = new DocContext(reporter, index, contents.range?.[0] ?? 0, doc);
  ctx.lenient = true;
  const top = new Fields(ctx, contents, '', LIST_FIELDS, 'a List');
  top.value('metadata');
  top.value('kind');
  const v = top.str('apiVersion');
  if (v !== undefined && v !== 'v1')
    ctx.error(top.value('apiVersion'), 'apiVersion', `a List has apiVersion v1, not ${v}`);
  const items = top.value('items');
  if (items === undefined) return [];
  if (!isSeq(items)) {
    ctx.error(items, 'items', `items must be a list of objects, not ${describe(items)}`);
    return 'unreadable';
  }
  return items.items.map((item, i) => {
    const node = deref(ctx, item, `items[${i}]`);
    return (node ?? item ?? contents) as Node;
  });
}

/** 'unsupported': a real kind we do not read yet; 'unreadable': we cannot tell what it is. */
function classify(ctx: DocContext, contents: Node): ClassifiedDoc | 'unsupported' | 'unreadable' {
  if (!isMap(contents)) {
    ctx.error(
      contents,
      '',
      `each document must be a mapping with apiVersion and kind, not ${describe(contents)}`,
    );
    return 'unreadable';
  }
  const kindNode = contents.get('kind', true) as Node | undefined;
  if (!kindNode || (isScalar(kindNode) && kindNode.value === null)) {
    ctx.error(contents, 'kind', `this document has no kind: add kind: ${KINDS.join(', ')}`);
    return 'unreadable';
  }
  if (!isScalar(kindNode) || typeof kindNode.value !== 'string') {
    ctx.error(kindNode, 'kind', `kind must be a word like Pod, not ${describe(kindNode)}`);
    return 'unreadable';
  }
  const kind = kindNode.value;
  if (!(KINDS as string[]).includes(kind)) {
    // A real kind (Job, NetworkPolicy) or a custom resource's (any kind with an
    // apiVersion that is not a typo of ours) is a located warning, not a refusal (MAN7).
    const known = (KNOWN_KUBERNETES_KINDS as readonly string[]).includes(kind);
    const hint = didYouMean(kind, KINDS);
    const apiVersion = contents.get('apiVersion', true) as Node | undefined;
    const group = isScalar(apiVersion) && typeof apiVersion.value === 'string';
    if (known || (group && !hint)) {
      ctx.warn(kindNode, 'kind', `${kind} is not simulated by Kubewire; it is ignored`);
      return 'unsupported';
    }
    ctx.error(
      kindNode,
      'kind',
      `unknown kind ${kind}${hint || ` (Kubewire reads ${KINDS.join(', ')})`}`,
    );
    return 'unreadable';
  }
  const k = kind as SupportedKind;
  ctx.lenient = !SUPPORTED[k].startsWith('kubewire/');
  const allowed = SUPPORTED[k].startsWith('kubewire/')
    ? KUBEWIRE_FIELDS
    : k === 'EndpointSlice'
      ? ENDPOINT_SLICE_FIELDS
      : k === 'Secret'
        ? SECRET_FIELDS
        : k === 'ConfigMap'
          ? CONFIG_MAP_FIELDS
          : OBJECT_FIELDS;
  const top = new Fields(ctx, contents, '', allowed, `a ${k} document`);
  top.value('kind');
  checkApiVersion(top, k);
  return { kind: k, top, kindAt: kindNode };
}

function checkApiVersion(top: Fields, kind: SupportedKind): void {
  const expected = SUPPORTED[kind];
  const an = /^[AEIOU]/.test(kind) ? 'an' : 'a';
  if (!top.has('apiVersion')) {
    top.missing('apiVersion', `apiVersion is missing: ${an} ${kind} has apiVersion: ${expected}`);
    return;
  }
  const v = top.str('apiVersion');
  if (v !== undefined && v !== expected) {
    top.ctx.error(
      top.value('apiVersion'),
      'apiVersion',
      `${an} ${kind} has apiVersion ${expected}, not ${v}`,
    );
  }
}

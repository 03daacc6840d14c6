/**
 * Splitting the file into documents and deciding what each one is. Syntax
 * errors come from the yaml library with their offsets; a document with
 * syntax errors is not validated further, since its shape is unreliable.
 */
import { isMap, isScalar, parseAllDocuments } from 'yaml';
import type { Document, LineCounter, Node, YAMLError } from 'yaml';
import { DocContext } from './context.ts';
import type { Reporter } from './context.ts';
import { Fields, describe } from './fields.ts';
import {
  ENDPOINT_SLICE_FIELDS,
  KNOWN_KUBERNETES_KINDS,
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
  EndpointSlice: 'discovery.k8s.io/v1',
  Ingress: 'networking.k8s.io/v1',
  IngressClass: 'networking.k8s.io/v1',
  Secret: 'v1',
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
    const ctx = new DocContext(reporter, index, doc.contents.range[0], doc);
    const c = classify(ctx, doc.contents);
    if (c === 'unreadable') incomplete = true;
    else if (c !== 'unsupported') docs.push(c);
  }
  return { docs, incomplete };
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
    const planned = (KNOWN_KUBERNETES_KINDS as readonly string[]).includes(kind);
    const hint = didYouMean(kind, KINDS);
    const msg = planned
      ? `kind ${kind} is not supported yet by this version of Kubewire`
      : `unknown kind ${kind}${hint || ` (Kubewire reads ${KINDS.join(', ')})`}`;
    ctx.error(kindNode, 'kind', msg);
    return planned ? 'unsupported' : 'unreadable';
  }
  const k = kind as SupportedKind;
  const allowed = SUPPORTED[k].startsWith('kubewire/')
    ? KUBEWIRE_FIELDS
    : k === 'EndpointSlice'
      ? ENDPOINT_SLICE_FIELDS
      : k === 'Secret'
        ? SECRET_FIELDS
        : OBJECT_FIELDS;
  const top = new Fields(ctx, contents, '', allowed, `a ${k} document`);
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

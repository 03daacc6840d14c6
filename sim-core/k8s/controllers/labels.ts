/**
 * Kubernetes label selectors (apimachinery pkg/labels and metav1.LabelSelector),
 * as the controllers match pods with them:
 *
 * - a Service's spec.selector is a plain map, every pair must be present
 *   (SelectorFromSet); an empty map matches everything, but a Service with
 *   no selector at all selects nothing (its EndpointSlices are the user's);
 * - a Deployment's or ReplicaSet's selector has matchLabels and
 *   matchExpressions (In, NotIn, Exists, DoesNotExist), all ANDed;
 * - the string form kubectl -l takes: `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 *   `a notin (x,y)`, `a`, `!a`, `a>1`, `a<1`, comma-separated.
 */

export type Labels = Readonly<Record<string, string>>;

export type Operator =
  | 'In'
  | 'NotIn'
  | 'Exists'
  | 'DoesNotExist'
  | 'Equals'
  | 'DoubleEquals'
  | 'NotEquals'
  | 'GreaterThan'
  | 'LessThan';

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values: readonly string[];
}

/** metav1.LabelSelector. */
export interface LabelSelector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly {
    readonly key: string;
    readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    readonly values?: readonly string[];
  }[];
}

function has(labels: Labels, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

/** labels.Requirement.Matches. */
export function requirementMatches(r: Requirement, labels: Labels): boolean {
  switch (r.operator) {
    case 'In':
    case 'Equals':
    case 'DoubleEquals':
      return has(labels, r.key) && r.values.includes(labels[r.key]);
    case 'NotIn':
    case 'NotEquals':
      return !has(labels, r.key) || !r.values.includes(labels[r.key]);
    case 'Exists':
      return has(labels, r.key);
    case 'DoesNotExist':
      return !has(labels, r.key);
    case 'GreaterThan':
    case 'LessThan': {
      if (!has(labels, r.key)) return false;
      const v = parseInt64(labels[r.key]);
      const bound = parseInt64(r.values[0] ?? '');
      if (v === undefined || bound === undefined) return false;
      return r.operator === 'GreaterThan' ? v > bound : v < bound;
    }
  }
}

function parseInt64(s: string): bigint | undefined {
  return /^[+-]?\d+$/.test(s) ? BigInt(s) : undefined;
}

/** All requirements hold (an empty list matches everything). */
export function matchesRequirements(reqs: readonly Requirement[], labels: Labels): boolean {
  return reqs.every((r) => requirementMatches(r, labels));
}

/** labels.SelectorFromSet(selector).Matches(labels): every pair present. */
export function matchesSet(selector: Labels, labels: Labels): boolean {
  return Object.entries(selector).every(([k, v]) => has(labels, k) && labels[k] === v);
}

/**
 * Whether a Service's selector picks these labels. No selector selects
 * nothing (GetPodServiceMemberships skips nil selectors).
 */
export function serviceSelects(selector: Labels | undefined, labels: Labels): boolean {
  return selector !== undefined && matchesSet(selector, labels);
}

/** metav1.LabelSelectorAsSelector: undefined (nil) selects nothing, {} everything. */
export function labelSelectorRequirements(sel: LabelSelector): Requirement[] {
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) {
    reqs.push({ key, operator: 'Equals', values: [value] });
  }
  for (const e of sel.matchExpressions ?? []) {
    reqs.push({ key: e.key, operator: e.operator, values: e.values ?? [] });
  }
  return reqs;
}

export function labelSelectorMatches(sel: LabelSelector | undefined, labels: Labels): boolean {
  return sel !== undefined && matchesRequirements(labelSelectorRequirements(sel), labels);
}

/** Split on commas outside parentheses. */
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(cur);
      cur = '';
    } else cur += ch;
  }
  terms.push(cur);
  return terms.map((t) => t.trim());
}

/**
 * labels.Parse for the selector string; throws on a malformed one. The
 * empty string is the everything selector.
 */
export function parseSelector(text: string): Requirement[] {
  if (text.trim() === '') return [];
  return splitTerms(text).map((term): Requirement => {
    if (term === '') throw new Error(`found '', expected: identifier`);
    let m = /^!\s*([^\s=!<>(),]+)$/.exec(term);
    if (m) return { key: m[1], operator: 'DoesNotExist', values: [] };
    m = /^([^\s=!<>(),]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(term);
    if (m) {
      const values = m[3]
        .split(',')
        .map((v) => v.trim())
        .filter((v, i, all) => v !== '' || all.length > 1);
      return { key: m[1], operator: m[2] === 'in' ? 'In' : 'NotIn', values };
    }
    m = /^([^\s=!<>(),]+)\s*(==|=|!=|>|<)\s*([^\s=!<>(),]*)$/.exec(term);
    if (m) {
      const op: Record<string, Operator> = {
        '=': 'Equals',
        '==': 'DoubleEquals',
        '!=': 'NotEquals',
        '>': 'GreaterThan',
        '<': 'LessThan',
      };
      return { key: m[1], operator: op[m[2]], values: [m[3]] };
    }
    m = /^([^\s=!<>(),]+)$/.exec(term);
    if (m) return { key: m[1], operator: 'Exists', values: [] };
    throw new Error(`unable to parse requirement: ${term}`);
  });
}

/** Match a selector string against labels. */
export function selectorMatches(text: string, labels: Labels): boolean {
  return matchesRequirements(parseSelector(text), labels);
}

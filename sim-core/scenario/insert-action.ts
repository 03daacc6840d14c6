/**
 * A fault added from the picture (a crash, a delete, an iptables DROP) is an
 * action written into the scenario's own text, so it is saved, shared and
 * undone like any edit. The text is edited where the action goes, not
 * re-printed: the user's comments, order and flow maps stay as they wrote them.
 */
import { Document, isMap, isScalar, isSeq, parseAllDocuments, type Node, type YAMLSeq } from 'yaml';

/** One action as written: `{crash: {pod: web-0, container: app}}`. */
export type ActionText = Readonly<
  Record<string, Readonly<Record<string, string | number | boolean>>>
>;

/** `crash: {pod: web-0, container: app}`: one action in the flow style the built-ins use. */
export function formatAction(action: ActionText): string {
  const doc = new Document(action);
  const top = doc.contents;
  if (isMap(top)) for (const pair of top.items) if (isMap(pair.value)) pair.value.flow = true;
  return doc.toString({ flowCollectionPadding: false, lineWidth: 0 }).trimEnd();
}

const scenarioDoc = (text: string) =>
  parseAllDocuments(text).find((d) => {
    const top = 'contents' in d ? d.contents : null;
    return (
      isMap(top) &&
      top.items.some(
        (p) =>
          isScalar(p.key) &&
          p.key.value === 'kind' &&
          isScalar(p.value) &&
          p.value.value === 'Scenario',
      )
    );
  });

const lineStart = (text: string, at: number) => text.lastIndexOf('\n', at - 1) + 1;

/**
 * The text with `action` as the Scenario's action number `index` (0-based;
 * past the end appends). A file without a Scenario document gets one.
 */
export function insertAction(text: string, index: number, action: ActionText): string {
  const line = formatAction(action);
  const doc = scenarioDoc(text);
  if (!doc || !('contents' in doc)) {
    const sep = text.length === 0 || text.endsWith('\n') ? '' : '\n';
    return `${text}${sep}---\napiVersion: kubewire/v1\nkind: Scenario\nmetadata:\n  name: faults\nspec:\n  actions:\n    - ${line}\n`;
  }
  const actions = doc.getIn(['spec', 'actions'], true) as Node | undefined;
  if (isSeq(actions) && !actions.flow && actions.items.length > 0) {
    const items = (actions as YAMLSeq<Node>).items;
    const first = items[0].range ?? [0, 0, 0];
    const dash = text.lastIndexOf('-', first[0]);
    const indent = text.slice(lineStart(text, dash), dash);
    if (index < items.length) {
      const item = items[Math.max(0, index)];
      const at = lineStart(text, text.lastIndexOf('-', item.range?.[0] ?? 0));
      return `${text.slice(0, at)}${indent}- ${line}\n${text.slice(at)}`;
    }
    const end = items[items.length - 1].range?.[1] ?? text.length;
    const nl = text[end - 1] === '\n' ? end - 1 : text.indexOf('\n', end);
    if (nl < 0) return `${text}\n${indent}- ${line}\n`;
    return `${text.slice(0, nl + 1)}${indent}- ${line}\n${text.slice(nl + 1)}`;
  }
  // No actions yet, or a flow list: that one document is printed again with the action in.
  const list = isSeq(actions) ? actions.items.map((n) => doc.createNode(n)) : [];
  list.splice(Math.max(0, Math.min(index, list.length)), 0, doc.createNode(action));
  const seq = doc.createNode(list) as YAMLSeq;
  for (const item of seq.items)
    if (isMap(item)) for (const p of item.items) if (isMap(p.value)) p.value.flow = true;
  doc.setIn(['spec', 'actions'], seq);
  const [start, , to] = doc.range;
  // The document's range starts at its `---` line, which stays as written.
  const from = text.startsWith('---', start) ? text.indexOf('\n', start) + 1 : start;
  const printed = doc.toString({ flowCollectionPadding: false, lineWidth: 0 });
  const body = printed.startsWith('---') ? printed.slice(printed.indexOf('\n') + 1) : printed;
  return `${text.slice(0, from)}${body}${text.slice(to)}`;
}

/**
 * `kubectl describe endpointslice` (k8s.io/kubectl pkg/describe,
 * describeEndpointSliceV1), line for line: the prefix writer's two spaces a
 * level, printLabelsMultiline and printAnnotationsMultiline, and the whole
 * description aligned by tabbedString's tab writer (minwidth 0, padding 2).
 * kubectl prints only the Ready condition of each endpoint (not serving or
 * terminating), and `Events:  <none>` when the slice has no events — Kubewire
 * records none for slices. Several slices are separated by a blank line, as
 * `kubectl describe` separates objects ("\n\n" between descriptions).
 */
import type { EndpointSlice } from '../k8s/api-types.ts';
import { KUBECTL_DESCRIBE, tabwrite } from './tabwriter.ts';

const level = (n: number) => '  '.repeat(n);

/** printLabelsMultiline: sorted `key=value`, one a line, `<none>` when empty. */
function labelsLines(
  title: string,
  labels: Readonly<Record<string, string>> | undefined,
): string[] {
  const keys = Object.keys(labels ?? {}).sort();
  if (!keys.length) return [`${title}:\t<none>`];
  return keys.map((k, i) => `${i === 0 ? `${title}:` : ''}\t${k}=${labels![k]}`);
}

/** maxAnnotationLen: a longer annotation is printed on its own lines, cut at 138 characters. */
const MAX_ANNOTATION_LEN = 140;

/** printAnnotationsMultiline (last-applied-configuration is skipped). */
function annotationsLines(annotations: Readonly<Record<string, string>> | undefined): string[] {
  const a = annotations ?? {};
  const keys = Object.keys(a)
    .filter((k) => k !== 'kubectl.kubernetes.io/last-applied-configuration')
    .sort();
  if (!keys.length) return ['Annotations:\t<none>'];
  const out: string[] = [];
  keys.forEach((k, i) => {
    const head = i === 0 ? 'Annotations:' : '';
    const value = a[k].replace(/\n$/, '');
    if (value.length + k.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      out.push(`${head}\t${k}:`);
      for (const s of value.split('\n')) {
        const cut =
          s.length > MAX_ANNOTATION_LEN - 2 ? `${s.slice(0, MAX_ANNOTATION_LEN - 2)}...` : s;
        out.push(`\t  ${cut}`);
      }
    } else out.push(`${head}\t${k}: ${value}`);
  });
  return out;
}

/** One slice's description, newline-terminated. */
export function describeEndpointSlice(eps: EndpointSlice): string {
  const lines = [
    `Name:\t${eps.metadata.name}`,
    `Namespace:\t${eps.metadata.namespace}`,
    ...labelsLines('Labels', eps.metadata.labels),
    ...annotationsLines(eps.metadata.annotations),
    `AddressType:\t${eps.addressType}`,
  ];
  if (!eps.ports.length) lines.push('Ports: <unset>');
  else {
    lines.push('Ports:', `${level(1)}Name\tPort\tProtocol`, `${level(1)}----\t----\t--------`);
    for (const p of eps.ports)
      lines.push(`${level(1)}${p.name || '<unset>'}\t${p.port}\t${p.protocol}`);
  }
  if (!eps.endpoints.length) lines.push('Endpoints: <none>');
  else {
    lines.push('Endpoints:');
    for (const e of eps.endpoints) {
      lines.push(`${level(1)}- Addresses:\t${e.addresses.join(', ') || '<none>'}`);
      lines.push(`${level(2)}Conditions:`, `${level(3)}Ready:\t${e.conditions.ready}`);
      lines.push(`${level(2)}Hostname:\t${e.hostname ?? '<unset>'}`);
      if (e.targetRef) lines.push(`${level(2)}TargetRef:\t${e.targetRef.kind}/${e.targetRef.name}`);
      lines.push(`${level(2)}NodeName:\t${e.nodeName ?? '<unset>'}`);
      lines.push(`${level(2)}Zone:\t${e.zone ?? '<unset>'}`);
    }
  }
  lines.push('Events:\t<none>');
  return tabwrite(lines.map((l) => `${l}\n`).join(''), KUBECTL_DESCRIBE);
}

/** `kubectl describe endpointslices`: each slice, a blank line between them. */
export function describeEndpointSlices(slices: readonly EndpointSlice[]): string {
  return slices.map(describeEndpointSlice).join('\n\n');
}

/**
 * Kubernetes name rules, with the wording of kubectl's validation errors so a
 * student sees the same rule here and on a real cluster.
 */

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Undefined when valid, else why not (names of nodes, namespaces, containers). */
export function dns1123LabelProblem(s: string): string | undefined {
  if (s.length > 63) return 'must be no more than 63 characters';
  if (!LABEL.test(s)) {
    return "must consist of lower case letters, digits or '-', and start and end with a letter or digit (e.g. 'my-name')";
  }
  return undefined;
}

/** Undefined when valid, else why not (names of pods, the cluster domain). */
export function dns1123SubdomainProblem(s: string): string | undefined {
  if (s.length > 253) return 'must be no more than 253 characters';
  if (!SUBDOMAIN.test(s)) {
    return "must consist of lower case letters, digits, '-' or '.', and start and end with a letter or digit (e.g. 'example.com')";
  }
  return undefined;
}

/** Label keys are "[prefix/]name": prefix a DNS subdomain, name ≤ 63 characters. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && dns1123SubdomainProblem(prefix)) {
    return `the prefix ${dns1123SubdomainProblem(prefix)}`;
  }
  if (name.length > 63) return 'must be no more than 63 characters';
  if (!LABEL_NAME.test(name)) {
    return "must consist of letters, digits, '-', '_' or '.', and start and end with a letter or digit";
  }
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!LABEL_VALUE.test(value)) {
    return "must be empty or consist of letters, digits, '-', '_' or '.', and start and end with a letter or digit";
  }
  return undefined;
}

/** Port names (IANA_SVC_NAME): ≤ 15 lower-case letters, digits and single '-', with a letter. */
export function portNameProblem(s: string): string | undefined {
  if (s.length > 15) return 'must be no more than 15 characters';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s)) {
    return "must consist of lower case letters, digits or '-', and start and end with a letter or digit";
  }
  if (s.includes('--')) return "must not contain two '-' in a row";
  if (!/[a-z]/.test(s)) return 'must contain at least one letter';
  return undefined;
}

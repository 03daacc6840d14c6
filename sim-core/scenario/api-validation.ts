/**
 * apimachinery's validators (k8s.io/apimachinery/pkg/util/validation) with
 * their exact messages, and field.ErrorList's wording, for the kinds whose
 * errors we print as the API server prints them (Ingress, IngressClass,
 * Secret): `spec.rules[0].host: Invalid value: "Foo": a lowercase RFC 1123 …`.
 */

/** validation.RegexError: the message, examples and the regex, as Go builds the string. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  const eg = examples.map((e, i) => `${i > 0 ? ' or ' : ''}'${e}', `).join('');
  return `${msg} (e.g. ${eg}regex used for validation is '${fmt}')`;
}

const maxLen = (n: number) => `must be no more than ${n} characters`;

const LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN_FMT = `${LABEL_FMT}(\\.${LABEL_FMT})*`;
const WILDCARD_FMT = `\\*\\.${SUBDOMAIN_FMT}`;
const DNS1035_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const CONFIG_KEY_FMT = '[-._a-zA-Z0-9]+';
const whole = (fmt: string) => new RegExp(`^${fmt}$`);

/** validation.IsDNS1123Subdomain (names of Ingresses, IngressClasses, Secrets; rule hosts). */
export function dns1123SubdomainErrors(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 253) errs.push(maxLen(253));
  if (!whole(SUBDOMAIN_FMT).test(s))
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        SUBDOMAIN_FMT,
        'example.com',
      ),
    );
  return errs;
}

/** validation.IsWildcardDNS1123Subdomain: `*.` and a subdomain; the wildcard is one whole label. */
export function wildcardSubdomainErrors(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 253) errs.push(maxLen(253));
  if (!whole(WILDCARD_FMT).test(s))
    errs.push(
      regexError(
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
        WILDCARD_FMT,
        '*.example.com',
      ),
    );
  return errs;
}

/** validation.IsDNS1035Label: apivalidation.ValidateServiceName, for a backend's service.name. */
export function dns1035LabelErrors(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 63) errs.push(maxLen(63));
  if (!whole(DNS1035_FMT).test(s))
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_FMT,
        'my-name',
        'abc-123',
      ),
    );
  return errs;
}

/** validation.IsValidPortName (IANA_SVC_NAME), every message that applies. */
export function portNameErrors(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 15) errs.push(maxLen(15));
  if (!/^[-a-z0-9]+$/.test(s))
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(s)) errs.push('must contain at least one letter (a-z)');
  if (s.includes('--')) errs.push('must not contain consecutive hyphens');
  if (s.startsWith('-') || s.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** validation.IsConfigMapKey: a Secret's data keys. */
export function configMapKeyErrors(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 253) errs.push(maxLen(253));
  if (!whole(CONFIG_KEY_FMT).test(s))
    errs.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        CONFIG_KEY_FMT,
        'key.name',
        'KEY_NAME',
        'key-name',
      ),
    );
  if (s === '.') errs.push("must not be '.'");
  else if (s === '..') errs.push("must not be '..'");
  else if (s.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** field.Invalid's text: a string value is quoted, a number is not. */
export function invalid(path: string, value: string | number, detail: string): string {
  const v = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return `${path}: Invalid value: ${v}: ${detail}`;
}

/** field.Required's text. */
export function required(path: string, detail = ''): string {
  return `${path}: Required value${detail ? `: ${detail}` : ''}`;
}

/** field.NotSupported's text. */
export function notSupported(path: string, value: string, values: readonly string[]): string {
  return `${path}: Unsupported value: "${value}": supported values: ${values.map((v) => `"${v}"`).join(', ')}`;
}

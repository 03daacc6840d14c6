/**
 * How the API server words a refused Service, and how kubectl prints it.
 *
 * A field error (apimachinery util/validation/field) reads
 * `<path>: Invalid value: <value>: <detail>`, the value printed as Go's fmt
 * does for its type: a string quoted (%q), an int32/int64 plain, anything
 * else with %#v — so spec.clusterIPs (a []string) shows as
 * `[]string{"10.97.0.1"}` and a nodePort (a Go int) as `30080`.
 *
 * errors.NewInvalid makes the status message `Service "web" is invalid: <errors>`
 * (several errors as `[a, b]`); kubectl prints an Invalid status as
 * `The Service "web" is invalid: <error>` (several as a "* " list).
 * An allocation that fails for want of room is an InternalError instead:
 * `Internal error occurred: failed to allocate a serviceIP: range is full`.
 */

/** A Go value as the field error prints it. */
export type GoValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'string-slice'; readonly value: readonly string[] };

/** Go's %q for the plain strings the Service errors carry. */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

export function formatGoValue(v: GoValue): string {
  switch (v.kind) {
    case 'string':
      return goQuote(v.value);
    case 'int':
      return String(v.value);
    case 'string-slice':
      return `[]string{${v.value.map(goQuote).join(', ')}}`;
  }
}

export interface FieldError {
  readonly type: 'FieldValueInvalid';
  readonly field: string;
  readonly badValue: GoValue;
  readonly detail: string;
}

export function fieldInvalid(field: string, badValue: GoValue, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, badValue, detail };
}

/** field.Error.Error(): "<field>: Invalid value: <value>: <detail>". */
export function fieldErrorString(e: FieldError): string {
  return `${e.field}: Invalid value: ${formatGoValue(e.badValue)}: ${e.detail}`;
}

/** An API status error, as a Service create returns it. */
export class ServiceStatusError extends Error {
  constructor(
    readonly reason: 'Invalid' | 'InternalError',
    readonly code: 422 | 500,
    message: string,
    readonly serviceName: string,
    readonly causes: readonly FieldError[],
  ) {
    super(message);
    this.name = 'ServiceStatusError';
  }
}

/** errors.NewInvalid(Kind("Service"), name, errs): reason Invalid, code 422. */
export function newInvalid(name: string, errs: readonly FieldError[]): ServiceStatusError {
  const texts = errs.map(fieldErrorString);
  const aggregate = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  return new ServiceStatusError(
    'Invalid',
    422,
    `Service "${name}" is invalid: ${aggregate}`,
    name,
    errs,
  );
}

/** errors.NewInternalError(err): reason InternalError, code 500. */
export function newInternalError(name: string, detail: string): ServiceStatusError {
  return new ServiceStatusError(
    'InternalError',
    500,
    `Internal error occurred: ${detail}`,
    name,
    [],
  );
}

/**
 * What kubectl create/apply prints for the error: an Invalid status as
 * `The Service "web" is invalid: …` (one cause inline, several as a
 * "* " list), anything else as `Error from server (<reason>): <message>`.
 */
export function kubectlErrorMessage(err: ServiceStatusError): string {
  if (err.reason === 'Invalid' && err.causes.length > 0) {
    const prefix = `The Service "${err.serviceName}" is invalid: `;
    if (err.causes.length === 1) return prefix + fieldErrorString(err.causes[0]);
    return `${prefix}\n${err.causes.map((c) => `* ${fieldErrorString(c)}`).join('\n')}`;
  }
  return `Error from server (${err.reason}): ${err.message}`;
}

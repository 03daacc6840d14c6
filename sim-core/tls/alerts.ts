/**
 * TLS alerts (RFC 8446 §6). Every failure inside the library is a TlsError
 * naming the alert the endpoint sends before it gives up, as OpenSSL does
 * (e.g. a bad Finished is `decrypt_error`, a wrong record type
 * `unexpected_message`).
 */
export const ALERT_CODES = {
  close_notify: 0,
  unexpected_message: 10,
  bad_record_mac: 20,
  record_overflow: 22,
  handshake_failure: 40,
  bad_certificate: 42,
  unsupported_certificate: 43,
  certificate_expired: 45,
  certificate_unknown: 46,
  illegal_parameter: 47,
  unknown_ca: 48,
  decode_error: 50,
  decrypt_error: 51,
  protocol_version: 70,
  insufficient_security: 71,
  internal_error: 80,
  user_canceled: 90,
  missing_extension: 109,
  unsupported_extension: 110,
  unrecognized_name: 112,
  certificate_required: 116,
  no_application_protocol: 120,
} as const;

export type AlertDescription = keyof typeof ALERT_CODES;

const NAMES = new Map<number, AlertDescription>(
  Object.entries(ALERT_CODES).map(([k, v]) => [v, k as AlertDescription]),
);

export function alertName(code: number): string {
  return NAMES.get(code) ?? `unknown(${code})`;
}

export class TlsError extends Error {
  constructor(
    readonly alert: AlertDescription,
    message: string,
  ) {
    super(`${alert}: ${message}`);
    this.name = 'TlsError';
  }
}

/** The two bytes of an alert message: level (1 warning, 2 fatal) and description. */
export function alertBytes(description: AlertDescription): Uint8Array {
  // RFC 8446 §6: close_notify and user_canceled are warnings, all others fatal.
  const warning = description === 'close_notify' || description === 'user_canceled';
  return Uint8Array.of(warning ? 1 : 2, ALERT_CODES[description]);
}

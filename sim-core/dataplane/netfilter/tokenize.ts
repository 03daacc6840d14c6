/**
 * Splits one iptables-restore rule line into arguments the way
 * add_param_to_argv (iptables/xshared.c) does: spaces and tabs separate,
 * double quotes group (and may start or end mid-word), a backslash escapes
 * the next character inside quotes only. Single quotes are ordinary
 * characters. Each token keeps its 1-based column for error messages.
 */

export interface Token {
  readonly text: string;
  /** 1-based column of the token's first character (its opening quote, if quoted). */
  readonly column: number;
}

export type TokenizeResult =
  | { readonly ok: true; readonly tokens: readonly Token[] }
  | { readonly ok: false; readonly column: number; readonly message: string };

export function tokenize(line: string, startColumn = 1): TokenizeResult {
  const tokens: Token[] = [];
  let buf = '';
  let start = -1;
  let inQuote = false;
  let quoteAt = 0;
  let quoted = false;
  const flush = (): void => {
    if (buf !== '' || quoted) tokens.push({ text: buf, column: start + startColumn });
    buf = '';
    start = -1;
    quoted = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (start < 0 && c !== ' ' && c !== '\t') start = i;
    if (inQuote) {
      if (c === '\\' && i + 1 < line.length) buf += line[++i];
      else if (c === '"') {
        // The closing quote ends the argument, even mid-word.
        inQuote = false;
        flush();
      } else buf += c;
    } else if (c === '"') {
      inQuote = true;
      quoted = true;
      quoteAt = i;
    } else if (c === ' ' || c === '\t') {
      if (buf !== '') flush();
    } else buf += c;
  }
  // iptables-restore would carry the newline into the argument; we call it what it is.
  if (inQuote)
    return { ok: false, column: quoteAt + startColumn, message: 'unterminated quoted string' };
  if (buf !== '') flush();
  return { ok: true, tokens };
}

/**
 * proxyutil.LineBuffer: Write joins its words (and the words of any word
 * lists) with single spaces into one line of iptables-restore input.
 */
export type Words = readonly (string | readonly string[])[];

export class LineBuffer {
  readonly #lines: string[] = [];

  write(...words: Words): void {
    this.#lines.push(words.flatMap((w) => (typeof w === 'string' ? [w] : [...w])).join(' '));
  }

  get lines(): readonly string[] {
    return this.#lines;
  }
}

/** utiliptables.MakeChainLine: ":NAME - [0:0]". */
export function makeChainLine(chain: string): string {
  return `:${chain} - [0:0]`;
}

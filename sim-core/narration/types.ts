/**
 * What a step says about itself: a headline for a projector (one line,
 * at most 12 words) and the full explanation, in the real system's terms.
 */
export interface Narration {
  readonly headline: string;
  readonly explanation: string;
}

/** One narrator per fact type: the table that makes every fact renderable (checked by the compiler). */
export type Narrators<F extends { readonly type: string }> = {
  readonly [K in F['type']]: (fact: Extract<F, { readonly type: K }>) => Narration;
};

/** A fact of type T with its fields. */
export type FactOf<T extends string, P = object> = { readonly type: T } & Readonly<P>;

/** "s" when n is not 1. */
export const plural = (n: number, word: string, many = `${word}s`): string =>
  `${n} ${n === 1 ? word : many}`;

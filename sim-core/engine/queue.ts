/**
 * The discrete-event queue: events ordered by simulated time, ties broken by
 * insertion order, so processing is deterministic. The engine only advances
 * when told (`pop`); nothing here reads a clock.
 */
export interface Scheduled<E> {
  readonly timeUs: number;
  readonly seq: number;
  readonly event: E;
}

export class EventQueue<E> {
  private heap: Scheduled<E>[] = [];
  private seq = 0;
  private marked = 0;

  /** `mark`: which events to count (the foreground ones), so "are any left?" is O(1). */
  constructor(private readonly mark?: (e: E) => boolean) {}

  /** How many queued events `mark` says yes to. */
  get markedSize(): number {
    return this.marked;
  }

  get size(): number {
    return this.heap.length;
  }

  push(timeUs: number, event: E): void {
    const item = { timeUs, seq: this.seq++, event };
    if (this.mark?.(event)) this.marked++;
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  /** The next event, without removing it. */
  peek(): Scheduled<E> | undefined {
    return this.heap[0];
  }

  pop(): Scheduled<E> | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    if (this.mark?.(top.event)) this.marked--;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

function before<E>(a: Scheduled<E>, b: Scheduled<E>): boolean {
  return a.timeUs < b.timeUs || (a.timeUs === b.timeUs && a.seq < b.seq);
}
